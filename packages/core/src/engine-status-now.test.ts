import { describe, expect, it } from 'vitest';
import { WaitingRoomEngine } from './engine.js';
import type { Journal, JournalRecord } from './memory/journal.js';
import { MemoryQueueStore } from './memory/memory-queue-store.js';

const T0 = Date.UTC(2030, 0, 1);

/** A journal that writes when told to, like the embedded store's between two turns. */
class HeldJournal implements Journal {
  readonly records: JournalRecord[] = [];
  private pending: { promise: Promise<void>; resolve: () => void } | null = null;
  append(record: JournalRecord): void {
    this.records.push(record);
    if (!this.pending) {
      let resolve = () => {};
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      this.pending = { promise, resolve };
    }
  }
  written(): Promise<void> | null {
    return this.pending?.promise ?? null;
  }
  flush(): void {
    const pending = this.pending;
    this.pending = null;
    pending?.resolve();
  }
}

async function setup() {
  let now = T0;
  let n = 0;
  const journal = new HeldJournal();
  const store = new MemoryQueueStore({ journal });
  const engine = new WaitingRoomEngine({
    store,
    clock: () => now,
    newTicketId: () => `t${++n}`,
    newSeed: () => 'seed',
  });
  const settle = async <T>(work: Promise<T>) => {
    await Promise.resolve();
    journal.flush();
    return work;
  };
  await settle(
    engine.createRoom({ id: 'sale', name: 'Sale', admitRatePerMinute: 60, heartbeatTimeoutSeconds: 60 }),
  );
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await settle(engine.join('sale'))).ticketId);
  return { engine, journal, ids, settle, advance: (ms: number) => (now += ms) };
}

describe('the engine’s status read at once (statusNow)', () => {
  it('gives what status gives, and counts as a sign of life', async () => {
    const { engine, ids, settle, advance } = await setup();
    expect(engine.statusNow('sale', ids[1]!)).toEqual(await settle(engine.status('sale', ids[1]!)));
    expect(engine.statusNow('sale', ids[1]!)?.position).toBe(2);
    // 50 s, a read at once, 50 s more: the ticket is 50 s silent, not 100, and stays in line.
    advance(50_000);
    engine.statusNow('sale', ids[2]!);
    advance(50_000);
    await settle(engine.tick());
    expect(engine.statusNow('sale', ids[2]!)?.state).toBe('waiting');
    expect((await settle(engine.status('sale', ids[0]!))).state).not.toBe('waiting');
  });

  it('waits (undefined) while a change is not yet written, and refuses a ticket it does not know', async () => {
    const { engine, journal, ids } = await setup();
    const joining = engine.join('sale');
    await Promise.resolve();
    expect(engine.statusNow('sale', ids[0]!)).toBeUndefined();
    journal.flush();
    await joining;
    expect(engine.statusNow('sale', ids[0]!)?.position).toBe(1);
    expect(() => engine.statusNow('sale', 'nobody')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(engine.statusNow('elsewhere', ids[0]!)).toBeUndefined();
  });
});
