import { type Admission, busiestMinute, creditCap, perMinuteLimit } from '@waitroom/store-contract';
import { describe, expect, it } from 'vitest';
import { WaitingRoomEngine } from './engine.js';
import { MemoryQueueStore } from './memory/memory-queue-store.js';

const T0 = Date.UTC(2030, 0, 1);
const ROOM = 'sale';

describe('admission by rate through the engine', () => {
  for (const tickMs of [100, 250, 400, 1000]) {
    it(`on ticks of ${tickMs} ms, a busy line is admitted at the configured rate and no minute passes it by more than a tick`, async () => {
      for (const rate of [1, 7, 60, 90, 200, 600, 3000]) {
        let now = T0;
        let n = 0;
        const store = new MemoryQueueStore();
        const engine = new WaitingRoomEngine({
          store,
          clock: () => now,
          newTicketId: () => `t${++n}`,
          newSeed: () => 'seed',
          tickMs,
        });
        await engine.createRoom({
          id: ROOM,
          name: 'Sale',
          admitRatePerMinute: rate,
          heartbeatTimeoutSeconds: 3600,
        });
        // Idle with nobody waiting, long enough for the credit to fill up to its cap.
        const burstSeconds = tickMs / 1000;
        const fillMs = (creditCap(rate, burstSeconds) / rate) * 60_000;
        for (; now <= T0 + fillMs + tickMs; now += tickMs) await engine.tick();
        const minutes = 2;
        for (let k = 0; k < rate * minutes + 10; k++) await engine.join(ROOM);
        const admissions: Admission[] = [];
        let before = 0;
        for (const start = now; now < start + minutes * 60_000; ) {
          now += tickMs;
          await engine.tick();
          const total = (await store.getRoom(ROOM))?.counters.admittedTotal ?? 0;
          admissions.push({ at: now, admitted: total - before });
          before = total;
        }
        const label = `${rate} a minute`;
        expect(busiestMinute(admissions), label).toBeLessThanOrEqual(perMinuteLimit(rate, burstSeconds));
        // The first tick spends the full credit, one tick's worth plus one ticket; every later
        // tick earns one tick's worth; at most the fraction of a ticket is still in credit.
        expect(admissions[0]?.admitted, label).toBe(Math.floor(creditCap(rate, burstSeconds) + 1e-9));
        expect(before, label).toBe(Math.floor(rate * minutes + 1 + 1e-9));
      }
    });
  }
});
