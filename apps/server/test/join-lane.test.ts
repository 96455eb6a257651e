import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../src/settings.js';
import {
  type ApiResponse,
  cleanUp,
  DAY_SECONDS,
  expectError,
  type JoinedTicket,
  laneCounts,
  metric,
  startServer,
  type TestServer,
} from './helper.js';

/**
 * The join's lane (plugins/join-lane.ts) makes the plain join before Fastify's router;
 * everything else must reach the Fastify route and be answered exactly as without the lane.
 * ROUTE is how these tests get the route's own answer to compare: the lane takes no query
 * string, the route ignores it.
 */
afterEach(cleanUp);

const JOIN = '/api/rooms/sale/tickets';
const ROUTE = `${JOIN}?route`;

async function saleServer(env: Record<string, string> = {}, room: Record<string, unknown> = {}) {
  const server = await startServer({ env });
  await server.createRoom({
    id: 'sale',
    name: 'Sale',
    admitRatePerMinute: 60,
    heartbeatTimeoutSeconds: DAY_SECONDS,
    ...room,
  });
  return server;
}

/** Joins so far by the path that answered them, from /metrics. */
const joinsByPath = (server: TestServer) => laneCounts(server, 'waitroom_join_requests_total');

/**
 * The headers of a join's answer, without those that differ between any two answers (the
 * date) and with the cookie's token (its one part that names the ticket) blanked.
 */
function stableHeaders(res: ApiResponse<JoinedTicket>): Record<string, string> {
  const out: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (name !== 'date') out[name] = value;
  });
  if (out['set-cookie'] !== undefined)
    out['set-cookie'] = out['set-cookie'].replace(res.body.queueToken, '…');
  return out;
}

/** A join sent to another Host than the server's address (fetch does not let a caller name the Host). */
function joinWithHost(
  server: TestServer,
  path: string,
  host: string,
): Promise<{ status: number; cookie: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method: 'POST', headers: { host } });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, cookie: String(res.headers['set-cookie'] ?? '') });
    });
    req.on('error', reject);
    req.end();
  });
}

const joinAt = (server: TestServer, path: string, headers: Record<string, string> = {}) =>
  server.request<JoinedTicket>('POST', path, { headers });

describe('the join’s lane', () => {
  it('makes a plain join itself, with the place, token, cookie, headers and body the route gives', async () => {
    const server = await saleServer();
    const before = await joinsByPath(server);
    const lane = await joinAt(server, JOIN);
    const route = await joinAt(server, ROUTE);
    const again = await joinAt(server, JOIN);
    expect([lane.status, route.status, again.status]).toEqual([201, 201, 201]);
    expect([lane.body.position, route.body.position, again.body.position]).toEqual([1, 2, 3]);
    expect(stableHeaders(lane)).toEqual(stableHeaders(route));
    expect(lane.headers.get('set-cookie')).toContain(`wr_place=${lane.body.queueToken};`);
    // What depends on the place (its id, position, estimate, time, token) aside, the same answer.
    const shape = (t: JoinedTicket) => ({
      ...t,
      ticketId: '',
      position: 0,
      etaSeconds: typeof t.etaSeconds,
      etaRange: t.etaRange?.length,
      joinedAt: '',
      queueToken: '',
    });
    expect(shape(lane.body)).toEqual(shape(route.body));
    expect(Object.keys(lane.body)).toEqual(Object.keys(route.body));
    // The lane's token is a queue token like any: it reads the place and keeps it.
    expect((await server.status('sale', lane.body.queueToken)).ticketId).toBe(lane.body.ticketId);
    expect((await server.stats('sale')).waiting).toBe(3);
    const after = await joinsByPath(server);
    expect(after.lane - before.lane).toBe(2);
    expect(after.fastify - before.fastify).toBe(0);
  });

  it('counts its joins in the room’s figures and the route’s latency metric', async () => {
    const server = await saleServer();
    for (let i = 0; i < 3; i++) await joinAt(server, JOIN);
    await joinAt(server, ROUTE);
    const text = (await server.request<string>('GET', '/metrics')).text;
    expect(metric(text, 'waitroom_joins_total', { room: 'sale' })).toBe(4);
    const latency = { method: 'POST', route: '/api/rooms/:roomId/tickets', status_code: '201' };
    expect(metric(text, 'waitroom_http_request_duration_seconds_count', latency)).toBe(4);
  });

  it('shares one join limit with the route: the limit holds whichever path the joins take', async () => {
    const server = await saleServer({ JOIN_LIMIT_PER_MINUTE: '5' });
    const statuses: number[] = [];
    let refusal: ApiResponse<JoinedTicket> | null = null;
    for (let i = 0; i < 12; i++) {
      const res = await joinAt(server, i % 3 === 0 ? ROUTE : JOIN);
      statuses.push(res.status);
      if (res.status === 429) refusal ??= res;
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    expectError(refusal!, 429, 'RATE_LIMITED');
    const retryAfter = Number(refusal!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refusal!.headers.get('x-ratelimit-limit')).toBe('5');
    // The same refusal from the route itself.
    const byRoute = await joinAt(server, ROUTE);
    expectError(byRoute, 429, 'RATE_LIMITED');
    expect((await server.stats('sale')).waiting).toBe(5);
    // Another address has its own count (TRUST_PROXY is off: X-Forwarded-For changes nothing).
    expect((await joinAt(server, JOIN, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(429);
  });

  it('counts a join by the address TRUST_PROXY names, as the route does', async () => {
    const server = await saleServer({ JOIN_LIMIT_PER_MINUTE: '2', TRUST_PROXY: '127.0.0.1' });
    const from = (address: string, path = JOIN) => joinAt(server, path, { 'x-forwarded-for': address });
    expect((await from('203.0.113.1')).status).toBe(201);
    expect((await from('203.0.113.1', ROUTE)).status).toBe(201);
    expectError(await from('203.0.113.1'), 429, 'RATE_LIMITED');
    expect((await from('203.0.113.2')).status).toBe(201);
    expect((await from('198.51.100.1, 203.0.113.2')).status).toBe(201);
    expectError(await from('203.0.113.2', ROUTE), 429, 'RATE_LIMITED');
    expect((await joinsByPath(server)).lane).toBe(3);
  });

  it('leaves bodies, join cookies, challenges, Origins and rooms it cannot join to the route', async () => {
    const server = await saleServer();
    await server.createRoom({ id: 'guarded', name: 'Guarded', requireChallenge: true });
    await server.createRoom({ id: 'shut', name: 'Shut' });
    expect((await server.admin('PATCH', '/api/admin/rooms/shut', { status: 'closed' })).status).toBe(200);
    const first = await joinAt(server, JOIN);
    const before = await joinsByPath(server);

    const withBody = await server.request<JoinedTicket>('POST', JOIN, { body: {} });
    expect(withBody.status).toBe(201);
    // A browser bringing back its cookie gets its own place again, which only the route knows.
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const kept = await joinAt(server, JOIN, { cookie });
    expect(kept.status).toBe(200);
    expect(kept.body.ticketId).toBe(first.body.ticketId);
    expect((await joinAt(server, JOIN, { origin: server.url })).status).toBe(201);
    // A room that asks for no challenge ignores a solution: the route's rule, not the lane's.
    expect((await joinAt(server, JOIN, { 'x-altcha': 'not-a-solution' })).status).toBe(201);
    expectError(await joinAt(server, '/api/rooms/guarded/tickets'), 403, 'CHALLENGE_REQUIRED');
    expectError(await joinAt(server, '/api/rooms/shut/tickets'), 409, 'ROOM_CLOSED');
    expectError(await joinAt(server, '/api/rooms/nowhere/tickets'), 404, 'ROOM_NOT_FOUND');

    const after = await joinsByPath(server);
    expect(after.lane - before.lane).toBe(0);
    expect((await server.stats('sale')).waiting).toBe(4);
  });

  it('sends HSTS and a Secure cookie when a trusted proxy says https, and a Secure cookie to a host that is not local', async () => {
    const trusted = await saleServer({ TRUST_PROXY: '127.0.0.1' });
    const https = await joinAt(trusted, JOIN, { 'x-forwarded-proto': 'https' });
    expect(https.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(https.headers.get('set-cookie')).toMatch(/; Secure/);
    expect(stableHeaders(https)).toEqual(
      stableHeaders(await joinAt(trusted, ROUTE, { 'x-forwarded-proto': 'https' })),
    );
    const plain = await joinAt(trusted, JOIN);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/);
    const named = await joinWithHost(trusted, JOIN, 'shop.example');
    expect(named.cookie).toMatch(/; Secure/);
    expect(named.cookie.replace(/=[^;]*/, '')).toBe(
      (await joinWithHost(trusted, ROUTE, 'shop.example')).cookie.replace(/=[^;]*/, ''),
    );
    expect((await joinsByPath(trusted)).lane).toBe(3);

    const untrusted = await saleServer({ TRUST_PROXY: '10.0.0.1' });
    const claimed = await joinAt(untrusted, JOIN, { 'x-forwarded-proto': 'https' });
    expect(claimed.status).toBe(201);
    expect(claimed.headers.get('strict-transport-security')).toBeNull();
  });

  it('stays off with JOIN_LANE=false, and refuses a start with a bad value', async () => {
    const server = await saleServer({ JOIN_LANE: 'false' });
    expect((await joinAt(server, JOIN)).status).toBe(201);
    const text = (await server.request<string>('GET', '/metrics')).text;
    expect(metric(text, 'waitroom_join_requests_total', { path: 'lane' })).toBeUndefined();
    expect(metric(text, 'waitroom_status_reads_total', { path: 'lane' })).toBe(0);
    expect(() => loadSettings({ JOIN_LANE: 'yes' })).toThrow(/JOIN_LANE/);
  });
});
