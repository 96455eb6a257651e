/**
 * How the servers under test are started: the bare Fastify ceilings (one answering at once,
 * one doing a Redis INCR first) and the waiting room, on its embedded store or on Redis.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { freePort, type ServerChild, startServer } from './child-process.js';
import { openRedis, runKeyPrefix } from './redis.js';

export async function startCeiling(root: string, logDir: string): Promise<ServerChild> {
  const port = await freePort();
  const logFile = join(logDir, 'ceiling.log');
  writeFileSync(logFile, '');
  return startServer({
    name: 'ceiling server',
    args: [join(root, 'bench', 'ceiling-server.js')],
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1' },
    cwd: root,
    port,
    logFile,
    readyPath: '/',
  });
}

/** A Redis for a server under test, and the prefix of every key the server makes there. */
export interface RedisTarget {
  url: string;
  keyPrefix: string;
}

/** The ceiling on Redis: the same bare app, its route doing one INCR (`${keyPrefix}ceiling`). */
export async function startRedisCeiling(
  root: string,
  logDir: string,
  redis: RedisTarget,
): Promise<ServerChild> {
  const port = await freePort();
  const logFile = join(logDir, 'ceiling-redis.log');
  writeFileSync(logFile, '');
  return startServer({
    name: 'Redis ceiling server',
    args: [join(root, 'bench', 'ceiling-redis-server.js')],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.keyPrefix,
    },
    cwd: root,
    port,
    logFile,
    readyPath: '/',
  });
}

export interface WaitroomServer {
  child: ServerChild;
  adminToken: string;
  /** A fresh directory for this run's embedded store; the caller removes it. */
  dataDir: string;
}

export interface WaitroomOptions {
  /** Run the queue on Redis (REDIS_URL, REDIS_KEY_PREFIX). */
  redis?: RedisTarget;
  /** The order database (DATABASE_URL); unset: SQLite in the fresh data directory. */
  databaseUrl?: string;
  /** The server's name in messages and its log file's name (without `.log`), if not the default. */
  name?: string;
  logName?: string;
  /** More settings for the server, e.g. `{ STATUS_LANE: 'false' }`. */
  env?: Record<string, string>;
}

/**
 * The real server as `npm start` runs it, on an empty data directory. The join limit is set
 * so high that nobody is refused, while the limiter still runs on every join. With `redis`,
 * it runs on Redis (REDIS_URL, REDIS_KEY_PREFIX), everything else the same; the caller
 * deletes the keys. With `databaseUrl`, its orders go to that database instead of SQLite.
 */
export async function startWaitroom(
  root: string,
  logDir: string,
  options: WaitroomOptions = {},
): Promise<WaitroomServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'waitroom-bench-'));
  const adminToken = randomBytes(24).toString('hex');
  const logFile = join(logDir, `${options.logName ?? (options.redis ? 'server-redis' : 'server')}.log`);
  writeFileSync(logFile, '');
  const child = await startServer({
    name: options.name ?? (options.redis ? 'waitroom server on Redis' : 'waitroom server'),
    // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server under load.
    args: [...nodeArgs(), join(root, 'apps', 'server', 'dist', 'server.js')],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      JOIN_LIMIT_PER_MINUTE: '1000000000',
      ADMIN_TOKEN: adminToken,
      ...(options.redis ? { REDIS_URL: options.redis.url, REDIS_KEY_PREFIX: options.redis.keyPrefix } : {}),
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      ...options.env,
    },
    cwd: root,
    port,
    logFile,
    readyPath: '/readyz',
  });
  return { child, adminToken, dataDir };
}

/** A scenario's own waiting room, and the Redis it runs on (with the prefix of its keys), if any. */
export interface ScenarioWaitroom {
  waitroom: WaitroomServer;
  redis: Redis | null;
  keyPrefix: string | null;
}

/**
 * The waiting room for a scenario of its own (the sale, the fan-out): on the embedded store,
 * or with `redisUrl` on that Redis under a key prefix of the run; the caller deletes the keys
 * and disconnects `redis`. Its log is `<logName>.log` (`<logName>-redis.log` on Redis).
 */
export async function startScenarioWaitroom(
  root: string,
  logDir: string,
  redisUrl: string | null,
  logName: string,
  name: string,
): Promise<ScenarioWaitroom> {
  const redis = redisUrl ? await openRedis(redisUrl) : null;
  const keyPrefix = redisUrl ? runKeyPrefix() : null;
  const waitroom = await startWaitroom(root, logDir, {
    logName: redisUrl ? `${logName}-redis` : logName,
    name,
    ...(redisUrl && keyPrefix ? { redis: { url: redisUrl, keyPrefix } } : {}),
  });
  return { waitroom, redis, keyPrefix };
}

/** Extra Node options for the waiting-room server, from BENCH_SERVER_NODE_ARGS (split on spaces). */
function nodeArgs(): string[] {
  return (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
}
