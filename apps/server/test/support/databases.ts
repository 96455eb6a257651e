/**
 * A database of a test's own on the machine's PostgreSQL or MariaDB, for tests that run the
 * server with DATABASE_URL: created empty, dropped afterwards. Without the server the tests
 * are skipped on a developer's machine and fail in CI (`CI=true`).
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';

export type SqlServer = 'postgres' | 'mysql';

export const SQL_SERVER_URLS: Record<SqlServer, string> = {
  postgres: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  mysql: process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql',
};

export interface TestDatabase {
  /** DATABASE_URL for the server. */
  url: string;
  drop(): Promise<void>;
}

/** Whether the server answers; throws in CI when it does not. */
export async function requireSqlServer(kind: SqlServer): Promise<boolean> {
  try {
    const db = await createTestDatabase(kind);
    await db.drop();
    return true;
  } catch (error) {
    if (process.env.CI === 'true') {
      throw new Error(`${kind} at ${SQL_SERVER_URLS[kind]} is required in CI: ${(error as Error).message}`);
    }
    return false;
  }
}

export async function createTestDatabase(kind: SqlServer): Promise<TestDatabase> {
  const name = `wrtest_${randomBytes(5).toString('hex')}`;
  const admin = new URL(SQL_SERVER_URLS[kind]);
  const url = new URL(admin.href);
  url.pathname = `/${name}`;
  if (kind === 'postgres') {
    const run = async (sql: string) => {
      const client = new pg.Client({ connectionString: admin.href, connectionTimeoutMillis: 3000 });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await run(`CREATE DATABASE ${name}`);
    return { url: url.href, drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
  }
  const run = async (sql: string) => {
    const connection = await mysql.createConnection({ uri: admin.href, connectTimeout: 3000 });
    try {
      await connection.query(sql);
    } finally {
      await connection.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  return { url: url.href, drop: () => run(`DROP DATABASE IF EXISTS ${name}`) };
}
