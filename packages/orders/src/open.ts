import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  CompiledQuery,
  type Dialect,
  Kysely,
  MysqlDialect,
  type MysqlPool,
  PostgresDialect,
  type SqliteDatabase,
  SqliteDialect,
} from 'kysely';
import mysql from 'mysql2';
import pg from 'pg';
import type { OrdersDatabase } from './database-schema.js';
import { KyselyOrderStore } from './kysely-order-store.js';
import { GroupCommitSqliteDialect, GroupSync, walFileSync } from './sqlite-group-commit.js';
import type { DatabaseDialect } from './types.js';

export interface OpenOrderStoreOptions {
  /** `postgres://…` / `postgresql://…`, `mysql://…` / `mariadb://…`; unset: SQLite in `dataDir`. */
  databaseUrl?: string | undefined;
  /** Where the SQLite file `orders.sqlite` lives (created if need be). */
  dataDir: string;
  /** PostgreSQL only: keep the tables in this schema (created by `migrate()`), e.g. one per test run. */
  pgSchema?: string | undefined;
  /** Connections per instance (PostgreSQL, MySQL). Default 10. */
  poolSize?: number;
  /** How long opening one connection may take before the query fails. Default 3 s. */
  connectTimeoutMs?: number;
  /** How long a query may wait for a free connection of the pool. Default 10 s. */
  acquireTimeoutMs?: number;
  /** Errors of idle pooled connections (the database restarted…): the pool replaces them. */
  onPoolError?: (error: Error) => void;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Which database a URL names, or null for an unsupported one. */
export function dialectOf(databaseUrl: string | undefined): DatabaseDialect | null {
  if (databaseUrl === undefined || databaseUrl === '') return 'sqlite';
  const scheme = /^([a-z0-9+.-]+):\/\//i.exec(databaseUrl)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgres';
  if (scheme === 'mysql' || scheme === 'mariadb') return 'mysql';
  return null;
}

/** The URL with its password hidden, fit for a log line or an error message. */
export function describeDatabase(databaseUrl: string | undefined, dataDir?: string): string {
  if (databaseUrl === undefined || databaseUrl === '') {
    return `SQLite ${dataDir === undefined ? 'orders.sqlite' : join(dataDir, 'orders.sqlite')}`;
  }
  try {
    const url = new URL(databaseUrl);
    if (url.password !== '') url.password = '***';
    url.search = '';
    return url.toString();
  } catch {
    return 'an unreadable DATABASE_URL';
  }
}

/**
 * Opens the order store DATABASE_URL names; nothing is created until `migrate()`. A database
 * that does not answer fails the first query within the connect timeout: never a hang.
 */
export async function openOrderStore(options: OpenOrderStoreOptions): Promise<KyselyOrderStore> {
  const dialect = dialectOf(options.databaseUrl);
  if (dialect === null) {
    throw new Error(
      `DATABASE_URL must start with postgres://, postgresql://, mysql:// or mariadb:// (got ${describeDatabase(options.databaseUrl)})`,
    );
  }
  if (dialect !== 'sqlite' && !URL.canParse(options.databaseUrl ?? '')) {
    throw new Error('DATABASE_URL is not a valid URL');
  }
  if (options.pgSchema !== undefined && (dialect !== 'postgres' || !SCHEMA_NAME.test(options.pgSchema))) {
    throw new Error(
      `pgSchema must be a plain identifier, and only with PostgreSQL (got '${options.pgSchema}')`,
    );
  }
  const db = new Kysely<OrdersDatabase>({ dialect: makeDialect(dialect, options) });
  return new KyselyOrderStore(db, dialect, { pgSchema: options.pgSchema });
}

function makeDialect(dialect: DatabaseDialect, options: OpenOrderStoreOptions): Dialect {
  const url = options.databaseUrl ?? '';
  const poolSize = options.poolSize ?? 10;
  const connectTimeoutMs = options.connectTimeoutMs ?? 3_000;
  const acquireTimeoutMs = options.acquireTimeoutMs ?? 10_000;
  const onPoolError = options.onPoolError ?? (() => {});
  switch (dialect) {
    case 'sqlite': {
      const { database, walPath } = openSqlite(options.dataDir);
      const config = { database: withStatementCache(database) };
      return walPath === null
        ? new SqliteDialect(config)
        : new GroupCommitSqliteDialect(config, new GroupSync(walFileSync(walPath)));
    }
    case 'postgres':
      return new PostgresDialect({
        pool: postgresPool(
          url,
          { poolSize, connectTimeoutMs, acquireTimeoutMs, onPoolError },
          options.pgSchema,
        ),
      });
    case 'mysql':
      return new MysqlDialect({
        pool: mysqlPool(url, { poolSize, connectTimeoutMs, acquireTimeoutMs, onPoolError }),
        // A lock held by a stuck transaction fails a waiting one in seconds, not InnoDB's 50.
        onCreateConnection: async (connection) => {
          await connection.executeQuery(CompiledQuery.raw('set session innodb_lock_wait_timeout = 10'));
        },
      });
  }
}

/**
 * SQLite in WAL mode: a commit is on disk (the WAL synced) before the order is confirmed, so a
 * confirmed order survives a crash or a power cut. The sync is made off the event loop and
 * shared by the commits made meanwhile (GroupCommitSqliteDialect), so SQLite itself runs with
 * synchronous=NORMAL. Should the file system refuse WAL mode, SQLite keeps its rollback
 * journal and syncs each commit itself (synchronous=FULL). Several processes may share the
 * file; a writer waits up to busy_timeout for another's lock.
 */
export function openSqlite(dataDir: string): { database: Database.Database; walPath: string | null } {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'orders.sqlite');
  const database = new Database(path, { timeout: 5_000 });
  const wal = database.pragma('journal_mode = WAL', { simple: true }) === 'wal';
  database.pragma(wal ? 'synchronous = NORMAL' : 'synchronous = FULL');
  database.pragma('foreign_keys = ON');
  return { database, walPath: wal ? `${path}-wal` : null };
}

/** Prepared statements kept per SQLite connection: more than the order store's distinct queries. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely prepares every query it runs on SQLite afresh, and better-sqlite3's prepare costs
 * more than running the statement (a tenth of the server's time in a sale's orders). The
 * queries are few and their text repeats (the values are parameters), so each prepared
 * statement is kept by its SQL text, the least recently used dropped first. A statement in
 * the middle of an iteration (a streamed query) is never handed out twice: a fresh one is made.
 */
export function withStatementCache(database: Database.Database, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const statements = new Map<string, Database.Statement>();
  return {
    close: () => database.close(),
    prepare: (sql: string) => {
      const kept = statements.get(sql);
      if (kept && !kept.busy) {
        statements.delete(sql);
        statements.set(sql, kept);
        return kept;
      }
      const statement = database.prepare(sql);
      if (!kept) {
        if (statements.size >= size) statements.delete(statements.keys().next().value!);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

interface PoolLimits {
  poolSize: number;
  connectTimeoutMs: number;
  acquireTimeoutMs: number;
  onPoolError: (error: Error) => void;
}

function postgresPool(url: string, limits: PoolLimits, schema: string | undefined): pg.Pool {
  // pg's pool uses one timeout for opening a connection and for waiting for a free one: the
  // client gets its own, shorter one, so that a database that is down fails fast while a
  // busy pool still lets a request wait its turn.
  class PromptClient extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, connectionTimeoutMillis: limits.connectTimeoutMs });
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    Client: PromptClient as unknown as new () => pg.ClientBase,
    max: limits.poolSize,
    connectionTimeoutMillis: limits.acquireTimeoutMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'waitroom-orders',
    statement_timeout: 15_000,
    idle_in_transaction_session_timeout: 60_000,
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
  });
  // Without a listener, an idle connection's error (a database restart) would end the process.
  pool.on('error', limits.onPoolError);
  return pool;
}

function mysqlPool(url: string, limits: PoolLimits): MysqlPool {
  const pool = mysql.createPool({
    uri: url.replace(/^mariadb:/i, 'mysql:'),
    connectionLimit: limits.poolSize,
    maxIdle: limits.poolSize,
    idleTimeout: 30_000,
    connectTimeout: limits.connectTimeoutMs,
    enableKeepAlive: true,
    waitForConnections: true,
    queueLimit: 0,
  });
  pool.on('connection', (connection) => connection.on('error', limits.onPoolError));
  // mysql2 lets a request wait for a free connection forever: bound it.
  return {
    getConnection(callback) {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        callback(
          new Error(`no free database connection within ${limits.acquireTimeoutMs} ms`),
          undefined as never,
        );
      }, limits.acquireTimeoutMs);
      pool.getConnection((error, connection) => {
        if (settled) {
          connection?.release();
          return;
        }
        settled = true;
        clearTimeout(timer);
        callback(error, connection);
      });
    },
    end(callback) {
      pool.end(callback);
    },
  };
}
