/**
 * Helpers for the tests that need PostgreSQL or MySQL/MariaDB: find out whether the server
 * answers, decide between skipping and failing, and give each run a schema or database of its
 * own, dropped afterwards.
 *
 * The rule everywhere: on a developer machine a missing server skips the tests; in CI
 * (`CI=true`) it fails them, so a broken CI setup never passes silently.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { describeDatabase } from '../open.js';

const PROBE_TIMEOUT_MS = 1_500;

function inCI(): boolean {
  return process.env.CI === 'true';
}

/** The PostgreSQL the tests use: `TEST_POSTGRES_URL`, or the local server as user postgres. */
export function postgresUrl(): string {
  return process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** The MySQL or MariaDB the tests use: `TEST_MYSQL_URL`, or the local server as root. */
export function mysqlUrl(): string {
  return process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';
}

/** A name no other run uses: tests running side by side never see each other's tables. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

async function withPostgres<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

async function withMysql<T>(url: string, work: (connection: mysql.Connection) => Promise<T>): Promise<T> {
  const connection = await mysql.createConnection({ uri: url, connectTimeout: PROBE_TIMEOUT_MS });
  connection.on('error', () => {});
  try {
    return await work(connection);
  } finally {
    await connection.end().catch(() => {});
  }
}

export async function postgresIsAvailable(url: string = postgresUrl()): Promise<boolean> {
  try {
    return await withPostgres(
      url,
      async (client) => (await client.query('select 1 as one')).rows.length === 1,
    );
  } catch {
    return false;
  }
}

export async function mysqlIsAvailable(url: string = mysqlUrl()): Promise<boolean> {
  try {
    return await withMysql(url, async (connection) => {
      await connection.query('select 1');
      return true;
    });
  } catch {
    return false;
  }
}

function required(name: string, variable: string, url: string): never {
  throw new Error(
    `${name} is required in CI (CI=true) but does not answer at ${describeDatabase(url)}; start it or point ${variable} at one.`,
  );
}

/** For `describe.skipIf(!(await requirePostgres()))`: true when it answers; in CI a missing one throws. */
export async function requirePostgres(url: string = postgresUrl()): Promise<boolean> {
  if (await postgresIsAvailable(url)) return true;
  if (inCI()) required('PostgreSQL', 'TEST_POSTGRES_URL', url);
  return false;
}

/** For `describe.skipIf(!(await requireMysql()))`: true when it answers; in CI a missing one throws. */
export async function requireMysql(url: string = mysqlUrl()): Promise<boolean> {
  if (await mysqlIsAvailable(url)) return true;
  if (inCI()) required('MySQL/MariaDB', 'TEST_MYSQL_URL', url);
  return false;
}

export interface Scratch {
  /** The URL to open the store with. */
  url: string;
  /** PostgreSQL: the schema to pass as `pgSchema`. */
  pgSchema?: string;
  /** Drops the schema or the database, with everything in it. */
  drop(): Promise<void>;
}

/** A schema of its own on the PostgreSQL server (created by the store's `migrate()`). */
export function postgresScratch(url: string = postgresUrl()): Scratch {
  const schema = uniqueName('orders_test');
  return {
    url,
    pgSchema: schema,
    drop: () =>
      withPostgres(url, (client) => client.query(`drop schema if exists ${schema} cascade`).then(() => {})),
  };
}

/** A database of its own on the MySQL/MariaDB server; the URL names it. */
export async function mysqlScratch(url: string = mysqlUrl()): Promise<Scratch> {
  const database = uniqueName('orders_test');
  await withMysql(url, (connection) => connection.query(`create database ${database}`));
  const scratchUrl = new URL(url);
  scratchUrl.pathname = `/${database}`;
  return {
    url: scratchUrl.toString(),
    drop: () =>
      withMysql(url, (connection) => connection.query(`drop database if exists ${database}`)).then(() => {}),
  };
}

export interface SilentServer {
  port: number;
  close(): Promise<void>;
}

/**
 * A TCP server that accepts connections and never says a word: a database that hangs. A store
 * pointed at it must give up within its connect timeout.
 */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the silent server has no port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens: a database that is down. */
export async function closedPort(): Promise<number> {
  const server = await startSilentServer();
  await server.close();
  return server.port;
}
