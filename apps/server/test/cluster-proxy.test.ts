/**
 * The several-instance layout as an operator would run it (docs/OPERATIONS.md): `npm run
 * cluster` starts three server instances on one Redis and one PostgreSQL database behind
 * nginx, and the contract is walked through the proxy only, by shoppers on different
 * addresses. Then a SIGTERM must stop every process the script started.
 *
 * Needs nginx, Redis and PostgreSQL. On a developer's machine a missing one skips the file;
 * in CI (`CI=true`) it fails it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { findNginx } from '../../../deploy/cluster/nginx.js';
import { childPids } from '../../../deploy/cluster/processes.js';
import { redisUrl, requireRedis } from '../../../packages/store-redis/src/testing/redis-available.js';
import { DAY_SECONDS, expectError, type JoinedTicket, metric, type TicketStatus } from './helper.js';
import { ClientAt } from './support/client-at.js';
import { requireSqlServer, SQL_SERVER_URLS } from './support/databases.js';
import { customer, type OrderResponse } from './support/orders.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../../../deploy/cluster/cluster.ts', import.meta.url));
const INSTANCES = 3;
const JOIN_LIMIT = 5;
/** Three servers started from source on a busy two-core machine can take a while. */
const START_TIMEOUT_MS = 150_000;
const STOP_TIMEOUT_MS = 40_000;

function nginxOrSkip(): string | undefined {
  const binary = findNginx();
  if (binary) return binary;
  if (process.env.CI === 'true') {
    throw new Error('nginx is required in CI (CI=true) but is not installed: apt-get install nginx-light');
  }
  console.warn(
    'cluster-proxy.test.ts skipped: nginx is not installed (Debian: apt-get install nginx-light); ' +
      'in CI it would fail instead.',
  );
  return undefined;
}

/** The shoppers connect from 127.0.0.2 and up: all of 127/8 is the loopback on Linux, not elsewhere. */
async function loopbackAliases(): Promise<boolean> {
  const server = createServer();
  const ok = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen({ port: 0, host: '127.0.0.2' }, () => resolve(true));
  });
  if (ok) await new Promise<void>((resolve) => server.close(() => resolve()));
  if (ok || process.env.CI === 'true') {
    if (!ok) throw new Error('the test needs to connect from 127.0.0.2 and up (Linux loopback)');
    return true;
  }
  console.warn('cluster-proxy.test.ts skipped: this system cannot use 127.0.0.2 as a client address.');
  return false;
}

const nginx = nginxOrSkip();
const ready =
  nginx !== undefined &&
  (await loopbackAliases()) &&
  (await requireRedis()) &&
  (await requireSqlServer('postgres'));

/** What the script printed once everything answered. */
interface Started {
  url: string;
  adminToken: string;
  keyPrefix: string;
  databaseUrl: string;
  instances: { url: string; pid: number }[];
  nginxPid: number;
}

interface Script {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function startScript(port: number, database: string): Script {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JOIN_LIMIT_PER_MINUTE: String(JOIN_LIMIT),
    LOG_LEVEL: 'warn',
    DEMO_ROOM: 'false',
    ADMIT_TICK_MS: '100',
  };
  delete env.ADMIN_TOKEN;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      SCRIPT,
      '--from-source',
      '--instances',
      String(INSTANCES),
      '--port',
      String(port),
      '--redis-url',
      redisUrl(),
      '--postgres-url',
      SQL_SERVER_URLS.postgres,
      '--database',
      database,
      '--fresh-database',
    ],
    { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

async function waitStarted(script: Script): Promise<Started> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exited = false;
  void script.exited.then(() => {
    exited = true;
  });
  while (!/^Ready: /m.test(script.output())) {
    if (exited) throw new Error(`npm run cluster exited before it was ready:\n${script.output()}`);
    if (Date.now() > deadline) throw new Error(`npm run cluster not ready in time:\n${script.output()}`);
    await sleep(200);
  }
  const out = script.output();
  const instances = [...out.matchAll(/^ {2}instance \d+ {2}(http:\S+) {2}pid (\d+)/gm)].map((m) => ({
    url: m[1]!,
    pid: Number(m[2]),
  }));
  const nginxLine = /^ {2}nginx {7}(http:\S+) {2}pid (\d+)/m.exec(out);
  const token = /^Operator token: (\S+)$/m.exec(out);
  const prefix = /keys under (\S+)$/m.exec(out);
  const database = /^ {2}PostgreSQL {2}(\S+)$/m.exec(out);
  if (!nginxLine || !token || !prefix || !database || instances.length !== INSTANCES) {
    throw new Error(`unexpected output of npm run cluster:\n${out}`);
  }
  return {
    url: nginxLine[1]!,
    nginxPid: Number(nginxLine[2]),
    adminToken: token[1]!,
    keyPrefix: prefix[1]!,
    databaseUrl: database[1]!,
    instances,
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Each instance's own count of the joins it served in `roomId`, read from its /metrics. */
async function joinsPerInstance(started: Started, roomId: string): Promise<number[]> {
  return Promise.all(
    started.instances.map(async (instance) => {
      const res = await fetch(`${instance.url}/metrics`);
      return metric(await res.text(), 'waitroom_joins_total', { room: roomId }) ?? 0;
    }),
  );
}

let script: Script | null = null;
let database: string | null = null;
const pids: number[] = [];

afterAll(async () => {
  // After a failure part way: let the script stop everything and clean up, or kill it all.
  if (script && script.child.exitCode === null && script.child.signalCode === null) {
    script.child.kill('SIGTERM');
    if ((await Promise.race([script.exited, sleep(STOP_TIMEOUT_MS, null)])) === null) {
      script.child.kill('SIGKILL');
    }
  }
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  if (database) {
    const client = new pg.Client({ connectionString: SQL_SERVER_URLS.postgres });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.end();
  }
}, STOP_TIMEOUT_MS + 20_000);

describe.skipIf(!ready)('several instances behind nginx (npm run cluster)', () => {
  it(
    'serves the contract through the proxy, shares the line and the join limit, and stops every process',
    async () => {
      database = `wrtest_cluster_${randomBytes(4).toString('hex')}`;
      script = startScript(await freePort(), database);
      const started = await waitStarted(script);
      pids.push(script.child.pid!, started.nginxPid, ...started.instances.map((i) => i.pid));
      pids.push(...childPids(started.nginxPid));
      expect(pids.length).toBeGreaterThan(INSTANCES + 2); // nginx's workers too

      const operator = new ClientAt(started.url, '127.0.0.2');
      const admin = (method: string, path: string, body?: unknown) =>
        operator.request(method, path, { token: started.adminToken, body });

      // The operator, through the proxy.
      expectError(await operator.request('GET', '/api/admin/rooms'), 401, 'INVALID_TOKEN');
      const room = 'cluster-sale';
      expect(
        (
          await admin('POST', '/api/admin/rooms', {
            id: room,
            name: 'Cluster sale',
            admitRatePerMinute: 0,
            heartbeatTimeoutSeconds: DAY_SECONDS,
          })
        ).status,
      ).toBe(201);
      const products = await admin('PUT', `/api/admin/rooms/${room}/products`, {
        products: [
          { id: 'poster', name: 'Poster', priceCents: 1500, currency: 'EUR', stock: 10, maxPerOrder: 2 },
        ],
      });
      expect(products.status).toBe(200);
      // Prometheus reads each instance on its own address, never through the proxy.
      expectError(await operator.request('GET', '/metrics'), 404, 'NOT_FOUND');

      // Six shoppers on six addresses join one after the other; the proxy spreads the joins
      // over the instances, and the line they share stays one line.
      const shoppers = Array.from({ length: 6 }, (_, i) => new ClientAt(started.url, `127.0.0.${11 + i}`));
      const tickets: JoinedTicket[] = [];
      for (const shopper of shoppers) {
        const res = await shopper.request<JoinedTicket>('POST', `/api/rooms/${room}/tickets`);
        expect(res.status).toBe(201);
        tickets.push(res.body);
      }
      expect(tickets.map((t) => t.position)).toEqual([1, 2, 3, 4, 5, 6]);
      const served = await joinsPerInstance(started, room);
      expect(served.reduce((a, b) => a + b, 0)).toBe(6);
      expect(served.every((n) => n > 0)).toBe(true);

      const statusOf = async (i: number): Promise<TicketStatus> => {
        const res = await shoppers[i]!.request<TicketStatus>('GET', `/api/rooms/${room}/tickets/me`, {
          token: tickets[i]!.queueToken,
        });
        expect(res.status).toBe(200);
        return res.body;
      };
      for (let round = 0; round < 2; round++) {
        const positions = [];
        for (let i = 0; i < shoppers.length; i++) positions.push((await statusOf(i)).position);
        expect(positions).toEqual([1, 2, 3, 4, 5, 6]);
      }

      // The first shopper's live stream, through the proxy: a status at once, and the admission
      // as soon as the operator admits (the stream and the admit call may be on different
      // instances: the change crosses them through Redis).
      const stream = await shoppers[0]!.events(room, tickets[0]!.queueToken);
      try {
        expect(stream.response.headers.get('content-type')).toContain('text/event-stream');
        const first = await stream.nextStatus();
        expect(first).toMatchObject({ state: 'waiting', position: 1 });
        const admitted = await admin('POST', `/api/admin/rooms/${room}/admit`, { count: 1 });
        expect(admitted.body).toEqual({ admitted: 1 });
        const update = await stream.nextStatus((s) => s.state === 'admitted');
        expect(update.admissionToken).toEqual(expect.any(String));
      } finally {
        stream.close();
      }
      const positions = [];
      for (let i = 1; i < shoppers.length; i++) positions.push((await statusOf(i)).position);
      expect(positions).toEqual([1, 2, 3, 4, 5]);

      // The order, with the admission token, into the PostgreSQL the instances share.
      const admission = (await statusOf(0)).admissionToken!;
      const orderBody = { customer: customer(1), items: [{ productId: 'poster', quantity: 2 }] };
      const placed = await shoppers[0]!.request<OrderResponse>('POST', '/api/orders', {
        token: admission,
        headers: { 'idempotency-key': 'cluster-order-1' },
        body: orderBody,
      });
      expect(placed.status).toBe(201);
      expect(placed.body).toMatchObject({
        roomId: room,
        status: 'confirmed',
        totalCents: 3000,
        currency: 'EUR',
      });
      const replay = await shoppers[0]!.request<OrderResponse>('POST', '/api/orders', {
        token: admission,
        headers: { 'idempotency-key': 'cluster-order-1' },
        body: orderBody,
      });
      expect([200, 201]).toContain(replay.status);
      expect(replay.body.id).toBe(placed.body.id);
      const read = await shoppers[0]!.request<OrderResponse>('GET', `/api/orders/${placed.body.id}`, {
        token: admission,
      });
      expect(read.status).toBe(200);
      expect((await statusOf(0)).state).toBe('completed');
      const db = new pg.Client({ connectionString: started.databaseUrl });
      await db.connect();
      try {
        const rows = await db.query('SELECT count(*)::int AS n FROM orders WHERE room_id = $1', [room]);
        expect(rows.rows[0].n).toBe(1);
      } finally {
        await db.end();
      }
      const stats = await admin('GET', `/api/admin/rooms/${room}/stats`);
      expect(stats.body).toMatchObject({ waiting: 5, joinedTotal: 6, admittedTotal: 1, completedTotal: 1 });

      // The join limit counts each shopper's address, as the proxy forwarded it, across all
      // instances; a shopper cannot pick another address by sending X-Forwarded-For.
      const limitRoom = 'cluster-limit';
      expect((await admin('POST', '/api/admin/rooms', { id: limitRoom, name: 'Limit' })).status).toBe(201);
      const eager = new ClientAt(started.url, '127.0.0.50');
      for (let i = 0; i < JOIN_LIMIT; i++) {
        expect((await eager.request('POST', `/api/rooms/${limitRoom}/tickets`)).status).toBe(201);
      }
      expect((await joinsPerInstance(started, limitRoom)).filter((n) => n > 0).length).toBeGreaterThan(1);
      const refused = await eager.request('POST', `/api/rooms/${limitRoom}/tickets`);
      expectError(refused, 429, 'RATE_LIMITED');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const spoofed = await eager.request('POST', `/api/rooms/${limitRoom}/tickets`, {
        headers: { 'x-forwarded-for': '203.0.113.7' },
      });
      expectError(spoofed, 429, 'RATE_LIMITED');
      const other = new ClientAt(started.url, '127.0.0.51');
      expect((await other.request('POST', `/api/rooms/${limitRoom}/tickets`)).status).toBe(201);

      // SIGTERM (what Ctrl-C does too): everything stops, the run's Redis keys go.
      script.child.kill('SIGTERM');
      const exit = await Promise.race([script.exited, sleep(STOP_TIMEOUT_MS, null)]);
      expect(exit, `npm run cluster did not stop:\n${script.output()}`).toEqual({ code: 0, signal: null });
      expect(script.output()).toMatch(/^Stopped\.$/m);
      await sleep(200);
      expect(pids.filter(alive)).toEqual([]);
      await expect(fetch(`${started.url}/healthz`)).rejects.toThrow();
      const redis = new Redis(redisUrl(), { lazyConnect: true });
      await redis.connect();
      try {
        const left: string[] = [];
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${started.keyPrefix}*`, 'COUNT', 1000);
          cursor = next;
          left.push(...keys);
        } while (cursor !== '0');
        expect(left).toEqual([]);
      } finally {
        redis.disconnect();
      }
    },
    START_TIMEOUT_MS + 120_000,
  );
});
