import { randomBytes } from 'node:crypto';
import { redisUrl, requireRedis } from '@waitroom/store-redis/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { newPrivateJwk } from '../src/security/signing-keys.js';
import {
  cleanUp,
  DAY_SECONDS,
  expectError,
  metric,
  startServer,
  type TestServer,
  tempDataDir,
  testAdminToken,
} from './helper.js';
import { type EventReader, openEvents } from './support/event-reader.js';

const available = await requireRedis();
const readers: EventReader[] = [];

afterEach(async () => {
  for (const r of readers.splice(0)) r.close();
  await cleanUp();
});

/** Two instances in this process sharing one Redis prefix and the same secrets, as a deployment would. */
async function twoInstances(
  env: Record<string, string> = {},
  background = true,
): Promise<[TestServer, TestServer]> {
  const shared = {
    REDIS_URL: redisUrl(),
    REDIS_KEY_PREFIX: `wrtest-pair-${randomBytes(4).toString('hex')}:`,
    QUEUE_TOKEN_SECRET: randomBytes(32).toString('hex'),
    SIGNING_KEYS: JSON.stringify([await newPrivateJwk('EdDSA')]),
    ...env,
  };
  const adminToken = testAdminToken();
  const live = { refreshMs: 20, quietRefreshMs: 60_000, keepAliveMs: 5_000 };
  const a = await startServer({ env: shared, adminToken, live, background });
  const b = await startServer({ env: shared, adminToken, live, background });
  return [a, b];
}

async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!available)('several instances on one Redis', () => {
  it('an admission made through one instance reaches the live streams held by another, in one message', async () => {
    const [a, b] = await twoInstances();
    await a.createRoom({
      id: 'sale',
      name: 'Sale',
      admitRatePerMinute: 0,
      heartbeatTimeoutSeconds: DAY_SECONDS,
    });
    const tickets = [await b.join('sale'), await a.join('sale'), await b.join('sale'), await b.join('sale')];
    const streams = await Promise.all(
      [tickets[0]!, tickets[2]!, tickets[3]!].map((t) => openEvents(b.url, 'sale', t.queueToken)),
    );
    readers.push(...streams);
    for (const s of streams) await s.nextStatus((st) => st.state === 'waiting');
    const sentBefore = a.app.waitroom.changeBus!.sent;
    const receivedBefore = b.app.waitroom.changeBus!.received;

    // The operator admits three at once through instance A; B holds the streams.
    expect(await a.admit('sale', 3)).toBe(3);
    const first = await streams[0]!.nextStatus((st) => st.state === 'admitted');
    expect(first.admissionToken).toEqual(expect.any(String));
    const third = await streams[1]!.nextStatus((st) => st.state === 'admitted');
    expect(third.ticketId).toBe(tickets[2]!.ticketId);
    // The fourth moved from position 4 to 1 without any read of its own.
    expect((await streams[2]!.nextStatus((st) => st.position === 1)).state).toBe('waiting');

    // One room change, one message, however many tickets it moved.
    expect(a.app.waitroom.changeBus!.sent - sentBefore).toBe(1);
    await eventually(
      async () => b.app.waitroom.changeBus!.received - receivedBefore === 1,
      2_000,
      'the message reaching B',
    );
    // Each instance counts only what it did, so that a sum over instances is exact.
    const admissions = async (server: TestServer) =>
      metric((await server.request('GET', '/metrics')).text, 'waitroom_admissions_total', { room: 'sale' }) ??
      0;
    expect(await admissions(a)).toBe(3);
    expect(await admissions(b)).toBe(0);
  });

  it('a leave through one instance moves the positions shown by the other at once', async () => {
    const [a, b] = await twoInstances();
    await a.createRoom({
      id: 'sale',
      name: 'Sale',
      admitRatePerMinute: 0,
      heartbeatTimeoutSeconds: DAY_SECONDS,
    });
    const first = await a.join('sale');
    const second = await b.join('sale');
    const stream = await openEvents(b.url, 'sale', second.queueToken);
    readers.push(stream);
    expect((await stream.nextStatus()).position).toBe(2);
    const left = await a.request('DELETE', '/api/rooms/sale/tickets/me', { token: first.queueToken });
    expect(left.status).toBe(204);
    expect((await stream.nextStatus((st) => st.position === 1)).position).toBe(1);
  });

  it('a setting changed through one instance is what the other shows', async () => {
    // No admission ticks (which re-read every room): only the message can tell B.
    const [a, b] = await twoInstances({}, false);
    await a.createRoom({
      id: 'sale',
      name: 'Sale',
      admitRatePerMinute: 60,
      heartbeatTimeoutSeconds: DAY_SECONDS,
    });
    expect(
      (await b.request<{ admitRatePerMinute: number }>('GET', '/api/rooms/sale')).body.admitRatePerMinute,
    ).toBe(60);
    const patched = await a.admin('PATCH', '/api/admin/rooms/sale', {
      admitRatePerMinute: 600,
      status: 'paused',
    });
    expect(patched.status).toBe(200);
    await eventually(
      async () => {
        const room = (
          await b.request<{ admitRatePerMinute: number; status: string }>('GET', '/api/rooms/sale')
        ).body;
        return room.admitRatePerMinute === 600 && room.status === 'paused';
      },
      2_000,
      'B showing the new rate and the pause',
    );
  });

  it('the join limit per address counts the joins made through every instance', async () => {
    const [a, b] = await twoInstances({ JOIN_LIMIT_PER_MINUTE: '4' });
    await a.createRoom({
      id: 'sale',
      name: 'Sale',
      admitRatePerMinute: 0,
      heartbeatTimeoutSeconds: DAY_SECONDS,
    });
    for (const server of [a, b, a, b]) {
      expect((await server.request('POST', '/api/rooms/sale/tickets')).status).toBe(201);
    }
    for (const server of [a, b]) {
      const refused = await server.request('POST', '/api/rooms/sale/tickets');
      expectError(refused, 429, 'RATE_LIMITED');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('a burst of joins from one address, made at once through two instances, is held to the limit exactly', async () => {
    const [a, b] = await twoInstances({ JOIN_LIMIT_PER_MINUTE: '25' });
    await a.createRoom({
      id: 'burst',
      name: 'Burst',
      admitRatePerMinute: 0,
      heartbeatTimeoutSeconds: DAY_SECONDS,
    });
    const answers = await Promise.all(
      Array.from({ length: 80 }, (_, k) => (k % 2 === 0 ? a : b).request('POST', '/api/rooms/burst/tickets')),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(25);
    expect(statuses.filter((status) => status === 429)).toHaveLength(55);
    const room = await a.admin('GET', '/api/admin/rooms/burst/stats');
    expect((room.body as { waiting: number }).waiting).toBe(25);
  });

  it('instances starting together on one data folder make one set of secrets and all use it', async () => {
    const dataDir = await tempDataDir();
    const env = { REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: `wrtest-once-${randomBytes(4).toString('hex')}:` };
    const servers = await Promise.all([1, 2, 3].map(() => startServer({ dataDir, adminToken: null, env })));
    // One operator token was made and printed; it works on every instance.
    const generated = servers.map((s) => s.app.waitroom.admin.generated).filter((t) => t !== null);
    expect(generated).toHaveLength(1);
    for (const server of servers) {
      const res = await server.request('POST', '/api/admin/rooms', {
        token: generated[0]!,
        body: { id: `r${servers.indexOf(server)}`, name: 'Room' },
      });
      expect(res.status).toBe(201);
    }
    // One signing key: every instance publishes the same one.
    const jwks = await Promise.all(
      servers.map(async (s) => (await s.request('GET', '/.well-known/jwks.json')).text),
    );
    expect(new Set(jwks).size).toBe(1);
    // One queue-token secret: a token from one instance is good on the others.
    const ticket = await servers[0]!.join('r0');
    for (const server of servers.slice(1)) {
      expect((await server.status('r0', ticket.queueToken)).position).toBe(1);
    }
  });
});
