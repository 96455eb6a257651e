import { randomBytes } from 'node:crypto';
import {
  type JoinOutcome,
  MemoryQueueStore,
  WaitingRoomEngine,
  WaitroomError,
  withDefaults,
} from '@waitroom/core';
import { afterAll, describe, expect, it } from 'vitest';
import { connectRedis } from './connect.js';
import { RedisQueueStore } from './redis-queue-store.js';
import { deleteKeys } from './testing/delete-keys.js';
import { redisUrl, requireRedis } from './testing/redis-available.js';

const available = await requireRedis();
const keyPrefix = `wrtest:${randomBytes(4).toString('hex')}:`;

const verdicts = (outcomes: JoinOutcome[]) => outcomes.map((o) => (o.ok ? 'joined' : o.reason));

/**
 * On one Redis node the store counts a join's limit in the join's own script (one round trip
 * instead of two): every join counted, refused or not, each with the count it would have had
 * alone, on the same key the server's limit store counts on.
 */
describe.skipIf(!available)('the join limit counted in the join, on one Redis node', () => {
  afterAll(async () => {
    const client = await connectRedis(redisUrl());
    await deleteKeys(client, keyPrefix);
    client.disconnect();
  });

  it('refuses the joins past the limit in a crowd, key by key, and places the others in order', async () => {
    const client = await connectRedis(redisUrl());
    const store = new RedisQueueStore({ client, keyPrefix });
    try {
      expect(store.countsJoinLimits).toBe(true);
      const t0 = Date.now();
      const roomId = `limit-${randomBytes(4).toString('hex')}`;
      await store.createRoom(withDefaults({ id: roomId, name: 'Limit' }), t0);
      const a = `${keyPrefix}rl:a`;
      const b = `${keyPrefix}rl:b`;
      const limit = (key: string) => ({ key, max: 3, windowMs: 60_000 });
      // One turn: five from a, two from b, one not counted, interleaved.
      const crowd = ['a', 'b', 'a', '-', 'a', 'a', 'b', 'a'];
      const outcomes = await Promise.all(
        crowd.map((who, k) =>
          store.join(roomId, {
            ticketId: `c${k}`,
            now: t0,
            predictor: null,
            ...(who === '-' ? {} : { limit: limit(who === 'a' ? a : b) }),
          }),
        ),
      );
      expect(verdicts(outcomes)).toEqual([
        'joined',
        'joined',
        'joined',
        'joined',
        'joined',
        'RATE_LIMITED',
        'joined',
        'RATE_LIMITED',
      ]);
      // The joined are placed in the order they came, with no place for the refused.
      expect(outcomes.map((o) => (o.ok ? o.ticket.position : null))).toEqual([1, 2, 3, 4, 5, null, 6, null]);
      expect((await store.getRoom(roomId))?.waiting).toBe(6);
      for (const o of outcomes) {
        if (!o.ok && o.reason === 'RATE_LIMITED') {
          expect(o.retryAfterMs).toBeGreaterThan(0);
          expect(o.retryAfterMs).toBeLessThanOrEqual(60_000);
        }
      }
      // Every join counted, refused or not, in a window of the limit's length.
      expect(await client.get(a)).toBe('5');
      expect(await client.get(b)).toBe('2');
      expect(await client.pttl(a)).toBeGreaterThan(50_000);

      // A count made elsewhere on the same key (the route's limit store) counts here too.
      await client.incrby(b, 1);
      const next = await store.join(roomId, {
        ticketId: 'n1',
        now: t0 + 1,
        predictor: null,
        limit: limit(b),
      });
      expect(verdicts([next])).toEqual(['RATE_LIMITED']);
      const fresh = await store.join(roomId, {
        ticketId: 'n2',
        now: t0 + 1,
        predictor: null,
        limit: limit(`${keyPrefix}rl:c`),
      });
      expect(fresh.ok && fresh.ticket.position).toBe(7);
    } finally {
      await store.close();
    }
  });
  it("the engine refuses a join past the limit with RATE_LIMITED and the window's seconds left", async () => {
    const client = await connectRedis(redisUrl());
    const store = new RedisQueueStore({ client, keyPrefix });
    let n = 0;
    const engine = new WaitingRoomEngine({
      store,
      clock: Date.now,
      newTicketId: () => `e${++n}`,
      newSeed: () => 'seed',
    });
    try {
      const roomId = `engine-${randomBytes(4).toString('hex')}`;
      await engine.createRoom({ id: roomId, name: 'Engine' });
      const limit = { key: `${keyPrefix}rl:engine`, max: 1, windowMs: 30_000 };
      expect((await engine.join(roomId, limit)).position).toBe(1);
      const refused = await engine.join(roomId, limit).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(WaitroomError);
      expect((refused as WaitroomError).code).toBe('RATE_LIMITED');
      const seconds = (refused as WaitroomError).details?.retryAfterSeconds as number;
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(30);
      expect((await store.getRoom(roomId))?.waiting).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('the engine will not hand a limit to a store that does not count it', async () => {
    const engine = new WaitingRoomEngine({
      store: new MemoryQueueStore(),
      clock: Date.now,
      newTicketId: () => 'm1',
      newSeed: () => 'seed',
    });
    await engine.createRoom({ id: 'memory', name: 'Memory' });
    await expect(engine.join('memory', { key: 'k', max: 1, windowMs: 60_000 })).rejects.toThrow(
      'does not count join limits',
    );
  });
});
