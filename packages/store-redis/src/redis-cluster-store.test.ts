import { runQueueStoreContract } from '@waitroom/store-contract';
import { Cluster } from 'ioredis';
import * as vitest from 'vitest';
import { connectRedis } from './connect.js';
import { RedisQueueStore } from './redis-queue-store.js';
import { requireRedisServerBinary } from './testing/redis-available.js';
import { type RedisClusterHandle, startRedisCluster } from './testing/redis-cluster.js';

const canStart = requireRedisServerBinary();

// The same contract on a three-master cluster the test starts itself: every step of a room
// runs on the node that holds the room's hash slot.
vitest.describe.skipIf(!canStart)('the Redis queue store on a Redis Cluster', () => {
  let cluster: RedisClusterHandle | null = null;

  vitest.beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
  }, 60_000);
  vitest.afterAll(async () => {
    await cluster?.stop();
  });

  vitest.it('connectRedis finds out by itself that the server is a cluster', async () => {
    const client = await connectRedis(cluster!.url);
    vitest.expect(client).toBeInstanceOf(Cluster);
    client.disconnect();
  });

  vitest.it("leaves the join limit to the server: its keys are not in the room's slot", async () => {
    const store = new RedisQueueStore({ client: await connectRedis(cluster!.url), keyPrefix: 'wr:' });
    try {
      vitest.expect(store.countsJoinLimits).toBe(false);
      await vitest
        .expect(
          store.join('anywhere', {
            ticketId: 't1',
            now: Date.now(),
            predictor: null,
            limit: { key: 'wr:rl:a', max: 1, windowMs: 60_000 },
          }),
        )
        .rejects.toThrow('does not count join limits');
    } finally {
      await store.close();
    }
  });

  runQueueStoreContract(
    vitest,
    async () => new RedisQueueStore({ client: await connectRedis(cluster!.url), keyPrefix: 'wr:' }),
    { roomIdPrefix: 'cluster' },
  );
});
