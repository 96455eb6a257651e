/**
 * Redis memory per waiting ticket, run in its own process: join `n` tickets with random
 * 16-character base64url ids (like the server's) into one room through `RedisQueueStore`,
 * many joins in flight at once (the client pipelines them), and divide the growth of Redis's
 * `used_memory` (INFO memory) by `n`. Prints one JSON line.
 *
 *   node --import tsx bench/redis-memory-per-ticket.ts [n] [redis-url]
 *
 * It works in a logical database of its own (MEMORY_DB), emptied with FLUSHDB before and
 * after: that database only, never the one the servers' keys are in.
 */

import { withDefaults } from '@waitroom/core';
import { connectRedis, RedisQueueStore } from '@waitroom/store-redis';
import type { Redis } from 'ioredis';
import { DEFAULT_REDIS_URL, info, openRedis, redisCpuSeconds, safeUrl, urlWithDb } from './lib/redis.js';
import { newTicketId } from './lib/ticket-ids.js';

/** The logical database the figure is taken in, emptied before and after. */
export const MEMORY_DB = 9;
/** Joins in flight at once: enough for every pipeline the client sends to be full. */
const IN_FLIGHT = 1000;

export interface RedisMemoryResult {
  tickets: number;
  /** The room's waiting count after the joins. */
  waiting: number;
  /** Where the last ticket joined stands, read back: `tickets` when the line is whole. */
  lastPosition: number | null;
  db: number;
  usedMemoryBefore: number;
  usedMemoryAfter: number;
  /** used_memory after − before. */
  bytes: number;
  bytesPerTicket: number;
  joinSeconds: number;
  joinsPerSecond: number;
  /** Redis CPU (INFO cpu, sys + user) per join, in microseconds. */
  redisUsPerJoin: number | null;
  /** Keys in the database after the joins (the room's few keys: the figure is not spread over many). */
  keys: number;
}

/** Joins `count` tickets, IN_FLIGHT at a time; returns the last ticket's id. */
async function fill(store: RedisQueueStore, roomId: string, count: number): Promise<string> {
  let next = 0;
  let last = '';
  const worker = async () => {
    while (next < count) {
      const k = next++;
      const ticketId = newTicketId();
      if (k === count - 1) last = ticketId;
      const outcome = await store.join(roomId, { ticketId, now: Date.now(), predictor: null });
      if (!outcome.ok) throw new Error(`join ${k} into ${roomId}: ${outcome.reason}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, count) }, worker));
  return last;
}

async function usedMemory(admin: Redis): Promise<number> {
  const memory = await info(admin, 'memory');
  if (memory.used_memory === undefined) throw new Error('INFO memory gave no used_memory');
  return memory.used_memory;
}

/** FLUSHDB empties the database the client selected: make sure that it is MEMORY_DB. */
async function flushMemoryDb(admin: Redis): Promise<void> {
  if (admin.options.db !== MEMORY_DB) throw new Error(`not on database ${MEMORY_DB}: nothing flushed`);
  await admin.flushdb('SYNC');
}

async function measure(n: number, baseUrl: string): Promise<RedisMemoryResult> {
  const url = urlWithDb(baseUrl, MEMORY_DB);
  const admin = await openRedis(url);
  let store: RedisQueueStore | null = null;
  try {
    await flushMemoryDb(admin);
    const client = await connectRedis(url, { cluster: false, timeoutMs: 10_000 });
    if ((client as Redis).options.db !== MEMORY_DB)
      throw new Error(`the store is not on database ${MEMORY_DB}`);
    store = new RedisQueueStore({ client, keyPrefix: 'wrmem:' });
    const room = (id: string) => withDefaults({ id, name: id, admitRatePerMinute: 0 });

    // Load the scripts and warm the join path on a throwaway room, then make the measured
    // room: neither the script cache nor the room's own keys count as tickets.
    await store.createRoom(room('warm-up'), Date.now());
    await fill(store, 'warm-up', 2000);
    await store.createRoom(room('memory'), Date.now());

    const before = await usedMemory(admin);
    const cpuBefore = await redisCpuSeconds(admin);
    const started = performance.now();
    const last = await fill(store, 'memory', n);
    const joinSeconds = (performance.now() - started) / 1000;
    const cpuAfter = await redisCpuSeconds(admin);
    // Redis gives back a client's grown input buffer once the client is idle; wait for it.
    await new Promise((done) => setTimeout(done, 1500));
    const after = await usedMemory(admin);

    const waiting = (await store.getRoom('memory'))?.waiting ?? 0;
    const ticket = await store.readTicket('memory', last, { now: Date.now(), touch: false });
    const keys = await admin.dbsize();
    return {
      tickets: n,
      waiting,
      lastPosition: ticket?.position ?? null,
      db: MEMORY_DB,
      usedMemoryBefore: before,
      usedMemoryAfter: after,
      bytes: after - before,
      bytesPerTicket: (after - before) / n,
      joinSeconds,
      joinsPerSecond: n / joinSeconds,
      redisUsPerJoin: cpuBefore === null || cpuAfter === null ? null : ((cpuAfter - cpuBefore) / n) * 1e6,
      keys,
    };
  } finally {
    await store?.close();
    await flushMemoryDb(admin);
    admin.disconnect();
  }
}

// Only when run as a script: run.ts imports the types and MEMORY_DB.
if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const url = process.argv[3] ?? DEFAULT_REDIS_URL;
  try {
    const result = await measure(n, url);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } catch (error) {
    console.error(`redis-memory-per-ticket (${safeUrl(url)}): ${(error as Error).message}`);
    process.exit(1);
  }
}
