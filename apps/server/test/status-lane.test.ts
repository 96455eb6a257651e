import { request } from 'node:http';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../src/settings.js';
import {
  type ApiResponse,
  cleanUp,
  DAY_SECONDS,
  expectError,
  laneCounts,
  metric,
  startServer,
  type TestServer,
  type TicketStatus,
} from './helper.js';

/**
 * The status read's lane (plugins/status-lane.ts) answers the usual status read before
 * Fastify's router; everything else must reach the Fastify route and be answered exactly as
 * without the lane. ROUTE is how these tests get the route's own answer to compare.
 */
afterEach(cleanUp);

const ME = '/api/rooms/sale/tickets/me';
/** The same route to Fastify, which the lane never takes (it serves no query string). */
const ROUTE = `${ME}?route`;

async function saleServer(env: Record<string, string> = {}, logger?: { level: string; stream: Writable }) {
  const server = await startServer({ env, ...(logger ? { logger } : {}) });
  await server.createRoom({
    id: 'sale',
    name: 'Sale',
    admitRatePerMinute: 60,
    heartbeatTimeoutSeconds: DAY_SECONDS,
  });
  return server;
}

/** Status reads so far by the path that answered them, from /metrics. */
const readsByPath = (server: TestServer) => laneCounts(server, 'waitroom_status_reads_total');

/** The headers of an answer without those that differ between any two answers. */
function stableHeaders(res: ApiResponse): Record<string, string> {
  const out: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (name !== 'date') out[name] = value;
  });
  return out;
}

describe('the status read’s lane', () => {
  it('answers a waiting ticket’s read itself, with the status, headers and body the route gives', async () => {
    const server = await saleServer();
    const tickets = [await server.join('sale'), await server.join('sale'), await server.join('sale')];
    const before = await readsByPath(server);

    for (const [i, t] of tickets.entries()) {
      const lane = await server.request<TicketStatus>('GET', ME, { token: t.queueToken });
      const route = await server.request<TicketStatus>('GET', ROUTE, { token: t.queueToken });
      expect(lane.status).toBe(200);
      expect(lane.body.position).toBe(i + 1);
      expect(lane.text).toBe(route.text);
      expect(stableHeaders(lane)).toEqual(stableHeaders(route));
    }
    const after = await readsByPath(server);
    expect(after.lane - before.lane).toBe(tickets.length);
    // The `?` reads are not status reads to the lane: it never counted them.
    expect(after.fastify - before.fastify).toBe(0);
  });

  it('counts its reads as signs of life and in the route’s latency metric', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Sale', admitRatePerMinute: 0, heartbeatTimeoutSeconds: 30 });
    const kept = await server.join('sale');
    const dropped = await server.join('sale');
    const latency = async () =>
      metric(
        (await server.request<string>('GET', '/metrics')).text,
        'waitroom_http_request_duration_seconds_count',
        {
          method: 'GET',
          route: '/api/rooms/:roomId/tickets/me',
          status_code: '200',
        },
      ) ?? 0;
    const counted = await latency();
    const before = await readsByPath(server);
    for (let s = 0; s < 4; s++) {
      server.clock.advance(10_000);
      await server.status('sale', kept.queueToken);
      await server.app.waitroom.engine.tick();
    }
    expect((await readsByPath(server)).lane - before.lane).toBe(4);
    expect(await latency()).toBe(counted + 4);
    expect((await server.status('sale', kept.queueToken)).position).toBe(1);
    const gone = await server.request<TicketStatus>('GET', ME, { token: dropped.queueToken });
    expect(gone.body.state).toBe('expired');
    expect(gone.body.expiryReason).toBe('abandoned');
  });

  it('hands every read it cannot answer to the route, which refuses it in the contract’s shape', async () => {
    const server = await saleServer();
    const t = await server.join('sale');
    await server.createRoom({ id: 'other', name: 'Other', admitRatePerMinute: 60 });
    const before = await readsByPath(server);

    expectError(await server.request('GET', ME), 401, 'INVALID_TOKEN');
    expectError(await server.request('GET', ME, { token: `${t.queueToken}x` }), 401, 'INVALID_TOKEN');
    expectError(
      await server.request('GET', ME, { headers: { authorization: `Basic ${t.queueToken}` } }),
      401,
      'INVALID_TOKEN',
    );
    expectError(
      await server.request('GET', '/api/rooms/other/tickets/me', { token: t.queueToken }),
      401,
      'INVALID_TOKEN',
    );
    expect((await server.request('DELETE', ME, { token: t.queueToken })).status).toBe(204);
    // The token is genuine, but the ticket has left: the store says so, and the route answers.
    const left = await server.request<TicketStatus>('GET', ME, { token: t.queueToken });
    expect(left.status).toBe(200);
    expect(left.body.state).toBe('left');

    const after = await readsByPath(server);
    expect(after.fastify - before.fastify).toBe(4);
    expect(after.lane - before.lane).toBe(1);
  });

  it('leaves HEAD, bodies and unknown rooms to the route', async () => {
    const server = await saleServer();
    const t = await server.join('sale');
    const before = await readsByPath(server);
    const head = await fetch(`${server.url}${ME}`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${t.queueToken}` },
    });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    const withBody = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}${ME}`, {
        headers: { authorization: `Bearer ${t.queueToken}`, 'content-length': '0' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(withBody).toBe(200);
    expectError(
      await server.request('GET', '/api/rooms/No_Such/tickets/me', { token: t.queueToken }),
      401,
      'INVALID_TOKEN',
    );
    const after = await readsByPath(server);
    expect(after.lane - before.lane).toBe(0);
  });

  it('answers an admitted ticket with its admission token, as the route does', async () => {
    const server = await saleServer();
    const t = await server.join('sale');
    expect(await server.admit('sale', 1)).toBe(1);
    const before = await readsByPath(server);
    const lane = await server.request<TicketStatus>('GET', ME, { token: t.queueToken });
    const route = await server.request<TicketStatus>('GET', ROUTE, { token: t.queueToken });
    expect(lane.body.state).toBe('admitted');
    expect(lane.body.admissionToken).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
    expect({ ...lane.body, admissionToken: '' }).toEqual({ ...route.body, admissionToken: '' });
    expect(stableHeaders(lane)).toEqual(stableHeaders(route));
    expect((await readsByPath(server)).lane - before.lane).toBe(1);
  });

  it('sends HSTS when a trusted proxy says https, and only then', async () => {
    const trusted = await saleServer({ TRUST_PROXY: '127.0.0.1' });
    const t = await trusted.join('sale');
    const https = await trusted.request('GET', ME, {
      token: t.queueToken,
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(https.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    const route = await trusted.request('GET', ROUTE, {
      token: t.queueToken,
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(stableHeaders(https)).toEqual(stableHeaders(route));
    const plain = await trusted.request('GET', ME, {
      token: t.queueToken,
      headers: { 'x-forwarded-proto': 'http' },
    });
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    expect((await readsByPath(trusted)).lane).toBe(2);

    const untrusted = await saleServer({ TRUST_PROXY: '10.0.0.1' });
    const u = await untrusted.join('sale');
    const claimed = await untrusted.request('GET', ME, {
      token: u.queueToken,
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(claimed.status).toBe(200);
    expect(claimed.headers.get('strict-transport-security')).toBeNull();
  });

  it('stays off with STATUS_LANE=false, and refuses a start with a bad value', async () => {
    const server = await saleServer({ STATUS_LANE: 'false' });
    const t = await server.join('sale');
    expect((await server.status('sale', t.queueToken)).position).toBe(1);
    const text = (await server.request<string>('GET', '/metrics')).text;
    expect(metric(text, 'waitroom_status_reads_total', { path: 'lane' })).toBeUndefined();
    expect(() => loadSettings({ STATUS_LANE: 'yes' })).toThrow(/STATUS_LANE/);
  });

  it('stays off while every request is logged, and with CORS', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).trim().split('\n'));
        done();
      },
    });
    const logged = await saleServer({}, { level: 'info', stream });
    const t = await logged.join('sale');
    expect((await logged.status('sale', t.queueToken)).position).toBe(1);
    const text = (await logged.request<string>('GET', '/metrics')).text;
    expect(metric(text, 'waitroom_status_reads_total', { path: 'lane' })).toBeUndefined();
    const requests = lines.map((l) => JSON.parse(l) as { req?: { url?: string } });
    expect(requests.some((l) => l.req?.url === ME)).toBe(true);

    const cors = await saleServer({ CORS_ORIGINS: 'https://shop.example' });
    const c = await cors.join('sale');
    const res = await cors.request('GET', ME, {
      token: c.queueToken,
      headers: { origin: 'https://shop.example' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const plain = await cors.request('GET', ME, { token: c.queueToken });
    expect(plain.headers.get('vary')).toBe('Origin');
  });
});
