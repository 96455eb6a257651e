// The ceiling on Redis: the bare Fastify 5 app of ceiling-server.js, logger off, whose one
// route does one Redis INCR and answers its count. The client is ioredis with the options the
// waiting room's own client has that bear on speed (packages/store-redis/src/connect.ts):
// automatic pipelining on, no offline queue, one retry, the same timeouts. Plain JavaScript
// under `node`, like the real server.
import Fastify from 'fastify';
import { Redis } from 'ioredis';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const key = `${process.env.REDIS_KEY_PREFIX ?? 'wrbench:'}ceiling`;

const redis = new Redis(url, {
  connectTimeout: 2000,
  commandTimeout: 2000,
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
  enableAutoPipelining: true,
  retryStrategy: (times) => Math.min(500 * times, 2000),
  lazyConnect: true,
});
redis.on('error', (error) => console.error(`Redis: ${error.message}`));
await redis.connect();

const app = Fastify({ logger: false });

app.get('/', async () => ({ count: await redis.incr(key) }));

const port = Number(process.env.PORT ?? 3101);
const host = process.env.HOST ?? '127.0.0.1';
await app.listen({ port, host });

process.once('SIGTERM', () => {
  app
    .close()
    .then(() => redis.quit())
    .then(() => process.exit(0));
});
