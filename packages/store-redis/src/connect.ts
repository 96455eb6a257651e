import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisClient } from './redis-queue-store.js';

export interface ConnectOptions {
  /** Called with a short, secret-free line when the connection drops or fails (rate-limited). */
  onError?: (message: string) => void;
  /** Connection timeout and the longest any one command may wait, in ms (default 2000). */
  timeoutMs?: number;
  /** 'auto' (default) asks the first node whether it is part of a cluster. */
  cluster?: boolean | 'auto';
}

/**
 * Connects to `url`: one node (`redis://host:port/db`), or a cluster from one or more of its
 * nodes (`redis://a:7000,redis://b:7001`), found out by asking the first node. The client
 * never queues commands while Redis is away and never waits longer than `timeoutMs`, so a
 * request during an outage gets a prompt 503 rather than a hang; it reconnects by itself.
 */
export async function connectRedis(url: string, options: ConnectOptions = {}): Promise<RedisClient> {
  const urls = url
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  const first = urls[0];
  if (!first) throw new Error('REDIS_URL names no server');
  const timeoutMs = options.timeoutMs ?? 2000;
  const base: RedisOptions = {
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // No automatic pipelining: the store sends each turn's joins and reads of a room as one
    // script call already (turn-batch.ts), and ioredis defers an auto-pipelined command with
    // setImmediate, which, called from the store's own end-of-turn flush, waits for the next
    // turn of the event loop: a whole round of other requests' work. Sent at once, two servers
    // side by side on one Redis: joins +15 % (bench/README.md).
    enableAutoPipelining: false,
    // Try again every half second at first, then every two seconds, for ever.
    retryStrategy: (times) => Math.min(500 * times, 2000),
    lazyConnect: true,
  };
  const report = throttle(options.onError);

  let cluster = options.cluster ?? 'auto';
  if (cluster === 'auto') {
    const probe = new Redis(first, { ...base, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      const info = await probe.info('cluster');
      cluster = /cluster_enabled:1/.test(info);
    } finally {
      probe.disconnect();
    }
  }

  if (cluster) {
    const nodes = urls.map((u) => {
      const parsed = new URL(u);
      return { host: parsed.hostname, port: Number(parsed.port || 6379) };
    });
    const parsed = new URL(first);
    const client = new Cluster(nodes, {
      enableOfflineQueue: false,
      enableAutoPipelining: false,
      lazyConnect: true,
      clusterRetryStrategy: (times) => Math.min(500 * times, 2000),
      redisOptions: {
        ...base,
        username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
        password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
        tls: parsed.protocol === 'rediss:' ? {} : undefined,
      },
    });
    client.on('error', (error: Error) => report(error));
    await client.connect();
    return client;
  }

  const client = new Redis(first, base);
  client.on('error', (error: Error) => report(error));
  await client.connect();
  return client;
}

/** At most one report every ten seconds, with the error's message only (never the URL). */
function throttle(onError: ((message: string) => void) | undefined): (error: Error) => void {
  let last = 0;
  return (error) => {
    const now = Date.now();
    if (!onError || now - last < 10_000) return;
    last = now;
    onError(`Redis: ${error.message}`);
  };
}
