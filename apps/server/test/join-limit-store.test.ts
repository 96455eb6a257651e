import { randomBytes } from 'node:crypto';
import { connectRedis, type RedisClient } from '@waitroom/store-redis';
import {
  deleteKeys,
  type RedisClusterHandle,
  redisUrl,
  requireRedis,
  requireRedisServerBinary,
  startRedisCluster,
} from '@waitroom/store-redis/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJoinLimit } from '../src/plugins/join-limit.js';
import { batchedRedisStore } from '../src/plugins/join-limit-store.js';

const available = await requireRedis();
const canStartCluster = requireRedisServerBinary();
const nameSpace = `wrtest:${randomBytes(4).toString('hex')}:rl:`;

/**
 * The join limit's Redis store against the machine's Redis: every hit of a turn, whatever its
 * address, counted by one call, each with its own exact count, and the counts shared by every
 * instance (two clients here, as two servers would have).
 */
describe.skipIf(!available)("the join limit's Redis store", () => {
  let a: RedisClient;
  let b: RedisClient;
  beforeAll(async () => {
    a = await connectRedis(redisUrl());
    b = await connectRedis(redisUrl());
  });
  afterAll(async () => {
    await deleteKeys(a, nameSpace);
    a.disconnect();
    b.disconnect();
  });

  it('counts a turn of joins from many addresses exactly, each address in its own window', async () => {
    const limit = createJoinLimit(batchedRedisStore(a, nameSpace), 3, null, { skipOnError: false })!;
    // In one turn: five from x, one from y, two from z, interleaved.
    const addresses = ['x', 'y', 'x', 'z', 'x', 'x', 'z', 'x'];
    const verdicts = await Promise.all(addresses.map((address) => limit.count(address)));
    expect(verdicts.map((v) => v.exceeded)).toEqual([false, false, false, false, false, true, false, true]);
    for (const v of verdicts.filter((v) => v.exceeded)) {
      expect(v.retryAfterSeconds).toBeGreaterThan(0);
      expect(v.retryAfterSeconds).toBeLessThanOrEqual(60);
    }
    // The next turn goes on from those counts: y has room for two more, z for one.
    const next = await Promise.all(['y', 'z', 'y', 'z', 'y'].map((address) => limit.count(address)));
    expect(next.map((v) => v.exceeded)).toEqual([false, false, false, true, true]);
    // The window's keys all share one hash tag (one cluster slot), with the window's expiry.
    const keys = await a.keys(`${nameSpace}*`);
    expect(keys.sort()).toEqual(['x', 'y', 'z'].map((address) => `${nameSpace}{join-limit}:${address}`));
    for (const key of keys) {
      const ttl = await a.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
  });

  it('shares the counts between instances', async () => {
    const onA = createJoinLimit(batchedRedisStore(a, nameSpace), 4, null, { skipOnError: false })!;
    const onB = createJoinLimit(batchedRedisStore(b, nameSpace), 4, null, { skipOnError: false })!;
    const address = `shared-${randomBytes(3).toString('hex')}`;
    const both = await Promise.all([onA.count(address), onB.count(address), onA.count(address)]);
    expect(both.every((v) => !v.exceeded)).toBe(true);
    expect((await onB.count(address)).exceeded).toBe(false);
    expect((await onA.count(address)).exceeded).toBe(true);
    expect((await onB.count(address)).exceeded).toBe(true);
  });
});

describe.skipIf(!canStartCluster)("the join limit's Redis store on a Redis Cluster", () => {
  let cluster: RedisClusterHandle | null = null;
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('counts a turn of joins from addresses that would hash to different nodes in one call', async () => {
    const client = await connectRedis(cluster!.url);
    try {
      const limit = createJoinLimit(batchedRedisStore(client, 'wr:rl:'), 2, null, { skipOnError: false })!;
      const addresses = Array.from({ length: 30 }, (_, k) => `10.0.${k}.1`);
      const turn = await Promise.all([...addresses, ...addresses, ...addresses].map((a) => limit.count(a)));
      expect(turn.map((v) => v.exceeded)).toEqual([
        ...addresses.map(() => false),
        ...addresses.map(() => false),
        ...addresses.map(() => true),
      ]);
    } finally {
      client.disconnect();
    }
  });
});
