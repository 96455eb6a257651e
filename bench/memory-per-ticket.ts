/**
 * Heap per waiting ticket on the in-memory queue store, run in its own process with
 * `--expose-gc`: join `n` tickets with random 16-character base64url ids (like the server's),
 * collect garbage, and divide the growth by `n`. Prints one JSON line.
 *
 * Typed arrays keep their contents outside the V8 heap (`arrayBuffers`), so both figures are
 * reported; the target is judged on their sum, the memory the store really holds.
 */

import { MemoryQueueStore, withDefaults } from '@waitroom/core';
import { newTicketId } from './lib/ticket-ids.js';

export interface MemoryResult {
  tickets: number;
  waiting: number;
  heapUsedBytes: number;
  arrayBuffersBytes: number;
  heapUsedPerTicket: number;
  arrayBuffersPerTicket: number;
  totalPerTicket: number;
  joinSeconds: number;
}

const collect = globalThis.gc;
if (!collect) throw new Error('run with node --expose-gc');

const n = Number(process.argv[2] ?? 1_000_000);
async function fill(store: MemoryQueueStore, roomId: string, count: number): Promise<void> {
  await store.createRoom(withDefaults({ id: roomId, name: roomId, admitRatePerMinute: 0 }), Date.now());
  for (let k = 0; k < count; k++) {
    await store.join(roomId, { ticketId: newTicketId(), now: Date.now(), predictor: null });
  }
}

function settle(): NodeJS.MemoryUsage {
  for (let k = 0; k < 4; k++) collect!();
  return process.memoryUsage();
}

// Compile the join path on a throwaway store first, so that code does not count as tickets.
await fill(new MemoryQueueStore(), 'warm-up', 20_000);

const store = new MemoryQueueStore();
const before = settle();
const started = performance.now();
await fill(store, 'memory', n);
const joinSeconds = (performance.now() - started) / 1000;
const after = settle();

const waiting = (await store.getRoom('memory'))?.waiting ?? 0;
const heapUsedBytes = after.heapUsed - before.heapUsed;
const arrayBuffersBytes = after.arrayBuffers - before.arrayBuffers;
const result: MemoryResult = {
  tickets: n,
  waiting,
  heapUsedBytes,
  arrayBuffersBytes,
  heapUsedPerTicket: heapUsedBytes / n,
  arrayBuffersPerTicket: arrayBuffersBytes / n,
  totalPerTicket: (heapUsedBytes + arrayBuffersBytes) / n,
  joinSeconds,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
