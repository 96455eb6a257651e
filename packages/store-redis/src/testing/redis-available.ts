/**
 * Helpers for tests that need Redis: find out whether a Redis server (or the
 * redis-server binary) is there, and decide between skipping and failing.
 *
 * The rule everywhere: on a developer machine a missing Redis skips the tests;
 * in CI (`CI=true`) it fails them, so a broken CI setup never passes silently.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';

/** How long the availability probe waits for a connection and for the PING reply. */
const PROBE_TIMEOUT_MS = 1_000;

function inCI(): boolean {
  return process.env.CI === 'true';
}

/** The Redis the tests use: `TEST_REDIS_URL`, or the default local server. */
export function redisUrl(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/**
 * Whether a Redis server answers a PING at `url` (default: `redisUrl()`).
 * One attempt with a short timeout, no reconnects; never throws.
 */
export async function redisIsAvailable(url: string = redisUrl()): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: PROBE_TIMEOUT_MS,
    commandTimeout: PROBE_TIMEOUT_MS,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  // Failures surface through the awaited promises; without a listener ioredis
  // would also print them as "Unhandled error event".
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * For `describe.skipIf(!(await requireRedis()))`: true when Redis answers at
 * `url`; when it does not, throws in CI and returns false elsewhere.
 */
export async function requireRedis(url: string = redisUrl()): Promise<boolean> {
  if (await redisIsAvailable(url)) return true;
  if (inCI()) {
    throw new Error(
      `Redis is required in CI (CI=true) but does not answer at ${url}; ` +
        'start a Redis server or point TEST_REDIS_URL at one.',
    );
  }
  return false;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The path of a Redis executable (`redis-server`, `redis-cli`): the first one
 * on PATH, else the one in /usr/bin; undefined when there is none.
 */
export function findRedisExecutable(name: 'redis-server' | 'redis-cli'): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const dir of [...dirs, '/usr/bin']) {
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** Whether a redis-server binary is installed (/usr/bin or PATH), i.e. a cluster can be started. */
export function hasRedisServerBinary(): boolean {
  return findRedisExecutable('redis-server') !== undefined;
}

/**
 * The binary counterpart of `requireRedis`: true when redis-server is
 * installed; when it is not, throws in CI and returns false elsewhere.
 */
export function requireRedisServerBinary(): boolean {
  if (hasRedisServerBinary()) return true;
  if (inCI()) {
    throw new Error(
      'The redis-server binary is required in CI (CI=true) but is neither in /usr/bin nor on PATH; ' +
        'install Redis (e.g. apt-get install redis-server).',
    );
  }
  return false;
}
