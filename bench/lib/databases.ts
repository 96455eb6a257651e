/**
 * The order databases the bench measures on: SQLite (the server's embedded default, nothing
 * to create) and a database of the bench's own on the machine's PostgreSQL and MariaDB,
 * created empty for one server and dropped after it. Every such database is named
 * `wrbench_…`, so that those an interrupted run left are found and dropped by the next.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { cpuSecondsByName } from './child-process.js';
import { safeUrl } from './redis.js';

export type OrderDatabaseKind = 'sqlite' | 'postgres' | 'mariadb';

export const ORDER_DATABASES: readonly OrderDatabaseKind[] = ['sqlite', 'postgres', 'mariadb'];

export const DATABASE_NAMES: Record<OrderDatabaseKind, string> = {
  sqlite: 'SQLite',
  postgres: 'PostgreSQL',
  mariadb: 'MariaDB',
};

/** The servers the bench uses unless --postgres-url or --mariadb-url say otherwise. */
export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_MARIADB_URL = 'mysql://root@127.0.0.1:3306/mysql';

/** Every database the bench creates starts with this. */
export const BENCH_DATABASE_PREFIX = 'wrbench_';

/** Command names of the database server's processes, whose CPU is read around each run. */
const PROCESS_NAMES: Record<OrderDatabaseKind, readonly string[]> = {
  sqlite: [],
  postgres: ['postgres', 'postmaster'],
  mariadb: ['mariadbd', 'mysqld'],
};

/** One database of the bench's own, on a server reached through `adminUrl`. */
export interface BenchDatabase {
  name: string;
  /** DATABASE_URL for the waiting room. */
  url: string;
  drop(): Promise<void>;
}

type Run = (sql: string) => Promise<unknown[]>;

/** One statement on its own connection, which fails within 3 s when the server is not there. */
function runner(kind: Exclude<OrderDatabaseKind, 'sqlite'>, adminUrl: string): Run {
  if (kind === 'postgres') {
    return async (sql) => {
      const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
      // An error of the idle client (the server going away) must not end the bench.
      client.on('error', () => {});
      await client.connect();
      try {
        return (await client.query(sql)).rows as unknown[];
      } finally {
        await client.end();
      }
    };
  }
  return async (sql) => {
    const connection = await mysql.createConnection({ uri: adminUrl, connectTimeout: 3000 });
    try {
      const [rows] = await connection.query(sql);
      return Array.isArray(rows) ? (rows as unknown[]) : [];
    } finally {
      await connection.end();
    }
  };
}

function databaseName(): string {
  return `${BENCH_DATABASE_PREFIX}${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** Creates an empty database on the server; throws, saying which server, when it does not answer. */
export async function createBenchDatabase(
  kind: Exclude<OrderDatabaseKind, 'sqlite'>,
  adminUrl: string,
): Promise<BenchDatabase> {
  const run = runner(kind, adminUrl);
  const name = databaseName();
  try {
    await run(`CREATE DATABASE ${name}`);
  } catch (error) {
    throw new Error(
      `${DATABASE_NAMES[kind]} at ${safeUrl(adminUrl)} did not create a database (${(error as Error).message})`,
    );
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop =
    kind === 'postgres' ? `DROP DATABASE IF EXISTS ${name} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${name}`;
  return { name, url: url.href, drop: async () => void (await run(drop)) };
}

/** Drops the databases earlier runs left (`wrbench_…`); returns their names. None when the server is not there. */
export async function dropLeftoverDatabases(
  kind: Exclude<OrderDatabaseKind, 'sqlite'>,
  adminUrl: string,
): Promise<string[]> {
  const run = runner(kind, adminUrl);
  const pattern = `${BENCH_DATABASE_PREFIX.replace('_', '\\_')}%`;
  let names: string[];
  try {
    const rows =
      kind === 'postgres'
        ? await run(`SELECT datname AS name FROM pg_database WHERE datname LIKE '${pattern}'`)
        : await run(
            `SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE '${pattern}'`,
          );
    names = rows.map((row) => String((row as { name: unknown }).name));
  } catch {
    return [];
  }
  for (const name of names) {
    if (!/^wrbench_[a-z0-9_]+$/.test(name)) continue;
    await run(
      kind === 'postgres'
        ? `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`
        : `DROP DATABASE IF EXISTS ${name}`,
    );
  }
  return names;
}

/**
 * The CPU seconds of the database server's processes on this machine, by pid, or null for
 * SQLite (it runs inside the waiting room's process) and where none is found.
 */
export function databaseCpuSnapshot(kind: OrderDatabaseKind): Map<number, number> | null {
  const names = PROCESS_NAMES[kind];
  if (names.length === 0) return null;
  const snapshot = cpuSecondsByName(names);
  return snapshot.size === 0 ? null : snapshot;
}
