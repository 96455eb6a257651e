import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectRedis } from '@waitroom/store-redis';
import { deleteKeys } from '@waitroom/store-redis/testing';
import { expect } from 'vitest';
import { type AppOptions, buildApp, type WaitroomApp } from '../src/app.js';
import { loadSettings } from '../src/settings.js';

/** A clock the test moves by hand: engine ticks, admissions and expiries read it. */
export class FakeClock {
  /** Starts at the real time (whole seconds), so that signed tokens' dates make sense to a verifier. */
  now = Math.floor(Date.now() / 1000) * 1000;

  advance(ms: number): number {
    this.now += ms;
    return this.now;
  }

  readonly read = (): number => this.now;
}

export interface StartOptions {
  /** Settings as environment variables, on top of the test defaults. */
  env?: Record<string, string | undefined>;
  /** Reuse a data folder (a restart); by default a fresh temporary one. */
  dataDir?: string;
  /** The operator's token; `null` leaves ADMIN_TOKEN unset so the server generates one. */
  adminToken?: string | null;
  clock?: FakeClock;
  background?: boolean;
  live?: AppOptions['live'];
  logger?: AppOptions['logger'];
  /** Listen on a real port (default true); false for `app.inject` only. */
  listen?: boolean;
  /** The built web app to serve; by default apps/web/dist (built or not). */
  webDir?: string;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** The JSON body parsed, or the text of any other body. */
  body: T;
  text: string;
}

export interface RequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Serialised as JSON unless it is already a string. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ErrorBody {
  error: { code: string; message: string };
}

export interface TicketStatus {
  ticketId: string;
  roomId: string;
  state: 'waiting' | 'admitted' | 'expired' | 'completed' | 'left';
  position: number | null;
  etaSeconds: number | null;
  etaRange: [number, number] | null;
  admissionToken?: string;
  admissionExpiresAt?: string;
  pollAfterMs: number;
  roomStatus: 'scheduled' | 'open' | 'paused' | 'closed';
  joinedAt: string;
  expiryReason?: 'abandoned' | 'admission-expired';
}

export interface JoinedTicket extends TicketStatus {
  queueToken: string;
}

// The wire shapes of rooms are the core's own types (JSON carries them unchanged).
import type { PublicRoom, RoomSettings, RoomStats } from '@waitroom/core';

export type { PublicRoom, RoomSettings, RoomStats };

export interface TestServer {
  app: WaitroomApp;
  /** `http://127.0.0.1:<port>`, or '' when not listening. */
  url: string;
  dataDir: string;
  /** The operator's token as configured (undefined when the server generated it). */
  adminToken: string | undefined;
  clock: FakeClock;
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  /** A request carrying the operator's token. */
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>>;
  /** Creates a room through the operator API; fails the test unless it answers 201. */
  createRoom(settings: Partial<RoomSettings> & { id: string }): Promise<RoomSettings>;
  /** Joins a room through the shopper API; fails the test unless it answers 201. */
  join(roomId: string): Promise<JoinedTicket>;
  /** A ticket's status by its queue token; fails the test unless it answers 200. */
  status(roomId: string, queueToken: string): Promise<TicketStatus>;
  stats(roomId: string): Promise<RoomStats>;
  admit(roomId: string, count: number): Promise<number>;
  /** Graceful shutdown (idempotent). */
  close(): Promise<void>;
}

const running = new Set<TestServer>();
const tempDirs = new Set<string>();

/** A fresh temporary folder, removed by `cleanUp`. */
export async function tempDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'waitroom-test-'));
  tempDirs.add(dir);
  return dir;
}

export function testAdminToken(): string {
  return `test-admin-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;
}

/**
 * The queue store the server tests run on: the embedded one by default, or Redis when the
 * vitest project sets TEST_QUEUE_STORE=redis (see vitest.config.ts), so that the whole HTTP
 * suite holds on both.
 */
export const TEST_QUEUE_STORE = process.env.TEST_QUEUE_STORE === 'redis' ? 'redis' : 'embedded';
const redisPrefixes = new Set<string>();

/** Settings that put a server on Redis, under a key prefix of its data folder's own (a restart finds its keys). */
function queueStoreEnv(dataDir: string): Record<string, string> {
  if (TEST_QUEUE_STORE !== 'redis') return {};
  const prefix = `wrtest-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}:`;
  redisPrefixes.add(prefix);
  return { REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: prefix };
}

/**
 * Builds the real app on a temporary data folder, with its own operator token, logs off
 * and no demo room unless the test asks, and listens on a free port of 127.0.0.1.
 */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await tempDataDir());
  const adminToken = options.adminToken === null ? undefined : (options.adminToken ?? testAdminToken());
  const clock = options.clock ?? new FakeClock();
  const settings = loadSettings({
    DATA_DIR: dataDir,
    ADMIN_TOKEN: adminToken,
    DEMO_ROOM: 'false',
    JOIN_LIMIT_PER_MINUTE: '0',
    ...queueStoreEnv(dataDir),
    ...options.env,
  });
  const app = await buildApp({
    settings,
    clock: clock.read,
    // TEST_LOG_LEVEL=error (or any pino level) shows the server's log, e.g. the cause of a 500.
    logger: options.logger ?? (process.env.TEST_LOG_LEVEL ? { level: process.env.TEST_LOG_LEVEL } : false),
    background: options.background ?? false,
    ...(options.live ? { live: options.live } : {}),
    ...(options.webDir ? { webDir: options.webDir } : {}),
  });
  let url = '';
  if (options.listen === false) {
    await app.ready();
  } else {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    url = address;
  }

  const request = async <T>(method: string, path: string, opts: RequestOptions = {}) => {
    if (!url) throw new Error('this test server is not listening; use app.inject');
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${url}${path}`, { method, headers, body });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    const parsed: unknown = text !== '' && type.includes('application/json') ? JSON.parse(text) : text;
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  };

  const expectStatus = <T>(res: ApiResponse<T>, status: number, what: string): T => {
    if (res.status !== status) {
      throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body;
  };

  let closed = false;
  const server: TestServer = {
    app,
    url,
    dataDir,
    adminToken,
    clock,
    request,
    admin: (method, path, body) => request(method, path, { token: adminToken ?? '', body }),
    createRoom: async (room) =>
      expectStatus(
        await request<RoomSettings>('POST', '/api/admin/rooms', {
          token: adminToken ?? '',
          body: { name: `Room ${room.id}`, ...room },
        }),
        201,
        `create room ${room.id}`,
      ),
    join: async (roomId) =>
      expectStatus(
        await request<JoinedTicket>('POST', `/api/rooms/${roomId}/tickets`),
        201,
        `join ${roomId}`,
      ),
    status: async (roomId, queueToken) =>
      expectStatus(
        await request<TicketStatus>('GET', `/api/rooms/${roomId}/tickets/me`, { token: queueToken }),
        200,
        `status in ${roomId}`,
      ),
    stats: async (roomId) =>
      expectStatus(
        await request<RoomStats>('GET', `/api/admin/rooms/${roomId}/stats`, { token: adminToken ?? '' }),
        200,
        `stats of ${roomId}`,
      ),
    admit: async (roomId, count) =>
      expectStatus(
        await request<{ admitted: number }>('POST', `/api/admin/rooms/${roomId}/admit`, {
          token: adminToken ?? '',
          body: { count },
        }),
        200,
        `admit in ${roomId}`,
      ).admitted,
    close: async () => {
      if (closed) return;
      closed = true;
      running.delete(server);
      await app.close();
    },
  };
  running.add(server);
  return server;
}

/**
 * Stops a server the way a crash would leave its data: no graceful close, so no final
 * compaction of the journal. Only its timers and its listening socket are stopped, so that
 * the test process stays clean.
 */
export async function crash(server: TestServer): Promise<void> {
  running.delete(server);
  await server.app.waitroom.engine.stop();
  server.app.waitroom.hub.stop();
  server.app.server.closeAllConnections();
  await new Promise<void>((resolve) => server.app.server.close(() => resolve()));
}

/** Closes every server a test left open and removes the temporary folders; use in `afterEach`. */
export async function cleanUp(): Promise<void> {
  const servers = [...running];
  running.clear();
  await Promise.all(servers.map((s) => s.close()));
  const dirs = [...tempDirs];
  tempDirs.clear();
  if (redisPrefixes.size > 0) {
    const client = await connectRedis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
    for (const prefix of redisPrefixes) await deleteKeys(client, prefix);
    redisPrefixes.clear();
    client.disconnect();
  }
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
}

/** The value of one Prometheus sample, e.g. `metric(text, 'waitroom_joins_total', { room: 'a' })`. */
export function metric(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      found[pair[1]!] = pair[2]!;
    }
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(m[3]);
  }
  return undefined;
}

/**
 * A lane's requests so far by the path that answered them (`waitroom_status_reads_total`,
 * `waitroom_join_requests_total`), from /metrics; NaN for a count the server does not show.
 */
export async function laneCounts(
  server: TestServer,
  name: string,
): Promise<{ lane: number; fastify: number }> {
  const text = (await server.request<string>('GET', '/metrics')).text;
  return {
    lane: metric(text, name, { path: 'lane' }) ?? Number.NaN,
    fastify: metric(text, name, { path: 'fastify' }) ?? Number.NaN,
  };
}

/** A heartbeat timeout long enough that nobody is abandoned while a test moves the clock. */
export const DAY_SECONDS = 24 * 3600;

/** Joins `n` shoppers one after the other, so their join order is the array's. */
export async function joinMany(server: TestServer, roomId: string, n: number): Promise<JoinedTicket[]> {
  const tickets: JoinedTicket[] = [];
  for (let i = 0; i < n; i++) tickets.push(await server.join(roomId));
  return tickets;
}

/** The present status of each ticket, read through its queue token. */
export async function statusesOf(
  server: TestServer,
  roomId: string,
  tickets: readonly JoinedTicket[],
): Promise<TicketStatus[]> {
  const out: TicketStatus[] = [];
  for (const t of tickets) out.push(await server.status(roomId, t.queueToken));
  return out;
}

/** Asserts a refusal in the contract's JSON error shape; returns its message. */
export function expectError(res: ApiResponse, status: number, code: string): string {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/json');
  expect(res.body).toEqual({ error: { code, message: expect.any(String) } });
  return (res.body as ErrorBody).error.message;
}
