import { randomBytes } from 'node:crypto';
import { runQueueStoreContract } from '@waitroom/store-contract';
import * as vitest from 'vitest';
import { connectRedis } from './connect.js';
import { RedisQueueStore } from './redis-queue-store.js';
import { deleteKeys } from './testing/delete-keys.js';
import { redisUrl, requireRedis } from './testing/redis-available.js';

const available = await requireRedis();
// Keys of this run only: runs sharing the machine's Redis never see each other's rooms.
const keyPrefix = `wrtest:${randomBytes(4).toString('hex')}:`;

vitest.describe.skipIf(!available)('the Redis queue store on one node', () => {
  vitest.afterAll(async () => {
    const client = await connectRedis(redisUrl());
    await deleteKeys(client, keyPrefix);
    client.disconnect();
  });

  runQueueStoreContract(
    vitest,
    async () => new RedisQueueStore({ client: await connectRedis(redisUrl()), keyPrefix }),
    { roomIdPrefix: 'redis' },
  );
});

vitest.describe.skipIf(!available)('the Redis queue store as plain scripts (Redis 6.2, no functions)', () => {
  runQueueStoreContract(
    vitest,
    async () => new RedisQueueStore({ client: await connectRedis(redisUrl()), keyPrefix, steps: 'scripts' }),
    { roomIdPrefix: 'redis-scripts' },
  );
});
