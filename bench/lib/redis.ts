/**
 * The bench's own calls to Redis, outside the measured load: is it there, its CPU time and
 * memory from INFO, and deleting the keys a run left. One node only (no cluster).
 */
import { Redis } from 'ioredis';

/** The Redis the bench uses unless --redis-url says otherwise. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** Every key of a bench run starts with this, then the run's own part, so that leftovers are found. */
export const BENCH_KEY_PREFIX = 'wrbench:';

/** A key prefix no earlier run used, as the server's REDIS_KEY_PREFIX allows it. */
export function runKeyPrefix(): string {
  return `${BENCH_KEY_PREFIX}${Date.now().toString(36)}-${process.pid}:`;
}

/** `url` with its password replaced, for the report. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(not a URL)';
  }
}

/** `url` with its logical database replaced by `db`. */
export function urlWithDb(url: string, db: number): string {
  const parsed = new URL(url);
  parsed.pathname = `/${db}`;
  return parsed.toString();
}

/** A connected client that fails at once rather than waiting for a Redis that is not there. */
export async function openRedis(url: string): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    commandTimeout: 30_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The connection's own error (ECONNREFUSED...) says more than the rejection ("Connection is closed").
  let cause: Error | null = null;
  client.on('error', (error: Error) => {
    cause ??= error;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new Error(`Redis at ${safeUrl(url)} did not answer (${(cause ?? (error as Error)).message})`);
  }
  return client;
}

/** One section of INFO as numbers by field name (fields that are not numbers are left out). */
export async function info(client: Redis, section: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const line of (await client.info(section)).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0 || line.startsWith('#')) continue;
    const value = Number(line.slice(colon + 1));
    if (Number.isFinite(value)) out[line.slice(0, colon)] = value;
  }
  return out;
}

/** CPU seconds the Redis server has used so far (INFO cpu: used_cpu_sys + used_cpu_user). */
export async function redisCpuSeconds(client: Redis): Promise<number | null> {
  try {
    const cpu = await info(client, 'cpu');
    const sys = cpu.used_cpu_sys;
    const user = cpu.used_cpu_user;
    return sys === undefined || user === undefined ? null : sys + user;
  } catch {
    return null;
  }
}

/** Deletes every key matching `pattern` in the client's database; returns how many went. */
export async function deleteKeys(client: Redis, pattern: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await client.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
