/**
 * The cluster's shared services: the PostgreSQL database of the orders (created if missing)
 * and the Redis of the lines (checked at start, the run's keys removed at the end).
 */
import { Redis } from 'ioredis';
import pg from 'pg';

const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Makes sure the database exists on the server `adminUrl` points at (dropped and created
 * again when `fresh`), and returns the DATABASE_URL of it. The server's migrations, run by the
 * instances at start, create the tables.
 */
export async function preparePostgres(adminUrl: string, name: string, fresh: boolean): Promise<string> {
  if (!DATABASE_NAME.test(name)) {
    throw new Error(`--database must be lower-case letters, digits and _ (got ${JSON.stringify(name)})`);
  }
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL does not answer at ${redact(adminUrl)}: ${(error as Error).message}`);
  }
  try {
    if (fresh) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}

function quickClient(url: string): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    commandTimeout: 5_000,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  client.on('error', () => {});
  return client;
}

/** Throws with a clear message unless one Redis node answers at `url`. */
export async function checkRedis(url: string): Promise<void> {
  if (url.includes(','))
    throw new Error('--redis-url takes one Redis node (the cluster script starts no Redis Cluster)');
  const client = quickClient(url);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new Error(`Redis does not answer at ${redact(url)}: ${(error as Error).message}`);
  } finally {
    client.disconnect();
  }
}

/** Removes every key under `prefix` (the run's own); returns how many there were. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  const client = quickClient(url);
  let deleted = 0;
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
  return deleted;
}

/** A URL fit to print: the password, if any, hidden. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.href;
  } catch {
    return url;
  }
}
