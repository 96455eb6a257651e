import { afterEach, describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../src/settings.js';
import {
  cleanUp,
  type ErrorBody,
  expectError,
  metric,
  startServer,
  TEST_QUEUE_STORE,
  type TestServer,
} from './helper.js';

afterEach(cleanUp);

async function joinFrom(server: TestServer, roomId: string, forwardedFor?: string) {
  return server.request<ErrorBody>('POST', `/api/rooms/${roomId}/tickets`, {
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  });
}

describe('health and readiness', () => {
  it('answers /healthz and /readyz with 200 while the process and its store are fine', async () => {
    const server = await startServer();
    const health = await server.request('GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok' });
    const ready = await server.request('GET', '/readyz');
    expect(ready.status).toBe(200);
    // The run's queue store: the embedded one, or Redis in the vitest project that asks for it.
    expect(ready.body).toMatchObject({ status: 'ready', queueStore: TEST_QUEUE_STORE });
  });

  it('offers the demo room on a first start with an empty store', async () => {
    const server = await startServer({ env: { DEMO_ROOM: undefined } });
    const demo = await server.request('GET', '/api/rooms/demo');
    expect(demo.status).toBe(200);
    expect(demo.body).toMatchObject({ id: 'demo', status: 'open' });
  });
});

describe('metrics', () => {
  it('counts joins, admissions and abandonments, and shows the waiting and the active of each room', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Sale', admitRatePerMinute: 0, heartbeatTimeoutSeconds: 5 });
    await server.createRoom({ id: 'quiet', name: 'Quiet', admitRatePerMinute: 0 });
    const tickets = [];
    for (let i = 0; i < 6; i++) tickets.push(await server.join('sale'));
    await server.join('quiet');
    await server.request('DELETE', '/api/rooms/sale/tickets/me', { token: tickets[5]!.queueToken });
    expect(await server.admit('sale', 2)).toBe(2);

    const res = await server.request<string>('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const sale = { room: 'sale' };
    expect(metric(res.body, 'waitroom_joins_total', sale)).toBe(6);
    expect(metric(res.body, 'waitroom_joins_total', { room: 'quiet' })).toBe(1);
    expect(metric(res.body, 'waitroom_admissions_total', sale)).toBe(2);
    expect(metric(res.body, 'waitroom_waiting', sale)).toBe(6 - 1 - 2);
    expect(metric(res.body, 'waitroom_active', sale)).toBe(2);
    expect(metric(res.body, 'waitroom_waiting', { room: 'quiet' })).toBe(1);
    expect(metric(res.body, 'waitroom_active', { room: 'quiet' })).toBe(0);
    expect(metric(res.body, 'waitroom_abandonments_total', sale) ?? 0).toBe(0);
    expect(res.body).toContain('# TYPE waitroom_abandonments_total counter');

    // Ticket 2 shows a sign of life half-way through the 5 s timeout; tickets 3 and 4 stay silent.
    server.clock.advance(3000);
    await server.status('sale', tickets[2]!.queueToken);
    server.clock.advance(3000);
    await server.app.waitroom.engine.tick();

    const after = (await server.request<string>('GET', '/metrics')).body;
    expect(metric(after, 'waitroom_abandonments_total', sale)).toBe(2);
    expect(metric(after, 'waitroom_waiting', sale)).toBe(1);
    expect(metric(after, 'waitroom_active', sale)).toBe(2);
    expect(metric(after, 'waitroom_waiting', { room: 'quiet' })).toBe(1);
    expect((await server.stats('sale')).abandonedTotal).toBe(2);
    expect(await server.status('sale', tickets[2]!.queueToken)).toMatchObject({
      state: 'waiting',
      position: 1,
    });
    expect((await server.status('sale', tickets[3]!.queueToken)).state).toBe('expired');
  });

  it('measures request durations by method, route and status', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Sale' });
    for (let i = 0; i < 3; i++) await server.join('sale');
    await server.request('POST', '/api/rooms/nowhere/tickets');

    const labels = { method: 'POST', route: '/api/rooms/:roomId/tickets', status_code: '201' };
    await expect
      .poll(async () =>
        metric(
          (await server.request<string>('GET', '/metrics')).body,
          'waitroom_http_request_duration_seconds_count',
          labels,
        ),
      )
      .toBe(3);
    const text = (await server.request<string>('GET', '/metrics')).body;
    expect(
      metric(text, 'waitroom_http_request_duration_seconds_count', { ...labels, status_code: '404' }),
    ).toBe(1);
    expect(metric(text, 'waitroom_http_request_duration_seconds_sum', labels)).toBeGreaterThan(0);
    expect(text).toContain('# TYPE waitroom_http_request_duration_seconds histogram');
  });
});

describe('the API description', () => {
  it('serves an OpenAPI 3 document listing every path of the contract', async () => {
    const server = await startServer();
    const res = await server.request<{
      openapi: string;
      info: object;
      paths: Record<string, Record<string, unknown>>;
    }>('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    const expected: [string, string[]][] = [
      ['/api/rooms/{roomId}', ['get']],
      ['/api/rooms/{roomId}/tickets', ['post']],
      ['/api/rooms/{roomId}/tickets/me', ['get', 'delete']],
      ['/api/rooms/{roomId}/tickets/me/events', ['get']],
      ['/api/admin/rooms', ['get', 'post']],
      ['/api/admin/rooms/{id}', ['get', 'patch']],
      ['/api/admin/rooms/{id}/admit', ['post']],
      ['/api/admin/rooms/{id}/stats', ['get']],
      ['/api/rooms/{roomId}/products', ['get']],
      ['/api/orders', ['post']],
      ['/api/orders/{orderId}', ['get']],
      ['/api/admin/rooms/{id}/products', ['put', 'get']],
      ['/api/admin/orders', ['get']],
      ['/healthz', ['get']],
      ['/readyz', ['get']],
      ['/metrics', ['get']],
      ['/.well-known/jwks.json', ['get']],
    ];
    for (const [path, methods] of expected) {
      expect(doc.paths, path).toHaveProperty([path]);
      for (const method of methods) expect(doc.paths[path], `${method} ${path}`).toHaveProperty([method]);
    }
  });

  it('serves the documentation page at /docs', async () => {
    const server = await startServer();
    const res = await server.request<string>('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.body.toLowerCase()).toContain('<html');
  });
});

describe('the join limit per address', () => {
  it('refuses the sixth join in a minute from one address with 429 RATE_LIMITED and Retry-After', async () => {
    const server = await startServer({ env: { JOIN_LIMIT_PER_MINUTE: '5' } });
    await server.createRoom({ id: 'sale', name: 'Sale' });
    for (let i = 0; i < 5; i++) expect((await joinFrom(server, 'sale')).status).toBe(201);

    const sixth = await joinFrom(server, 'sale');
    expectError(sixth, 429, 'RATE_LIMITED');
    const retryAfter = Number(sixth.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await server.stats('sale')).joinedTotal).toBe(5);
    // Reading a status is not a join: it stays allowed.
    expect((await server.request('GET', '/api/rooms/sale')).status).toBe(200);
  });

  it('behind a trusted proxy, limits each forwarded address on its own', async () => {
    const server = await startServer({ env: { JOIN_LIMIT_PER_MINUTE: '5', TRUST_PROXY: 'true' } });
    await server.createRoom({ id: 'sale', name: 'Sale' });
    for (let i = 0; i < 5; i++) expect((await joinFrom(server, 'sale', '203.0.113.7')).status).toBe(201);
    expect((await joinFrom(server, 'sale', '203.0.113.7')).status).toBe(429);
    for (let i = 0; i < 5; i++) expect((await joinFrom(server, 'sale', '198.51.100.20')).status).toBe(201);
    expect((await joinFrom(server, 'sale', '198.51.100.20')).status).toBe(429);
  });

  it('without a trusted proxy, ignores X-Forwarded-For, so a script cannot dodge the limit', async () => {
    const server = await startServer({ env: { JOIN_LIMIT_PER_MINUTE: '5' } });
    await server.createRoom({ id: 'sale', name: 'Sale' });
    for (let i = 0; i < 5; i++) expect((await joinFrom(server, 'sale', `203.0.113.${i}`)).status).toBe(201);
    expect((await joinFrom(server, 'sale', '203.0.113.99')).status).toBe(429);
  });

  it('is off with JOIN_LIMIT_PER_MINUTE=0', async () => {
    const server = await startServer({ env: { JOIN_LIMIT_PER_MINUTE: '0' } });
    await server.createRoom({ id: 'sale', name: 'Sale' });
    for (let i = 0; i < 150; i++) expect((await joinFrom(server, 'sale')).status).toBe(201);
  });

  it('by default stops a script long before a hundred joins a minute, but lets a family through', async () => {
    const server = await startServer({ env: { JOIN_LIMIT_PER_MINUTE: undefined } });
    await server.createRoom({ id: 'sale', name: 'Sale' });
    let allowed = 0;
    while (allowed < 100 && (await joinFrom(server, 'sale')).status === 201) allowed++;
    expect(allowed).toBeGreaterThanOrEqual(10);
    expect(allowed).toBeLessThan(100);
  });
});

describe('refusals', () => {
  it('answers an unknown route with 404 NOT_FOUND in the JSON error shape', async () => {
    const server = await startServer();
    expectError(await server.request('GET', '/api/nothing-here'), 404, 'NOT_FOUND');
    expectError(await server.request('POST', '/healthz'), 404, 'NOT_FOUND');
  });

  it('refuses a body that is not valid JSON with 400 INVALID_REQUEST on every endpoint taking one', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Sale' });
    const broken = '{"id": "x", "name": ';
    const token = server.adminToken;
    for (const [method, path] of [
      ['POST', '/api/admin/rooms'],
      ['PATCH', '/api/admin/rooms/sale'],
      ['POST', '/api/admin/rooms/sale/admit'],
      ['POST', '/api/rooms/sale/tickets'],
    ] as const) {
      const res = await server.request(method, path, { token, body: broken });
      expectError(res, 400, 'INVALID_REQUEST');
    }
    expect((await server.stats('sale')).joinedTotal).toBe(0);
  });

  it('refuses a join carrying fields, naming the field, and lets no one in', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Sale' });
    const res = await server.request('POST', '/api/rooms/sale/tickets', { body: { position: 1 } });
    expect(expectError(res, 400, 'INVALID_REQUEST')).toContain('position');
    expect((await server.request('POST', '/api/rooms/sale/tickets', { body: {} })).status).toBe(201);
    expect((await server.stats('sale')).joinedTotal).toBe(1);
  });

  it('says what is wrong with a URL the router refuses', async () => {
    const server = await startServer();
    const long = await server.request('GET', `/api/rooms/${'x'.repeat(500)}`);
    expect(expectError(long, 400, 'INVALID_REQUEST')).toMatch(/path.*too long/);
    const malformed = await server.request('GET', '/api/rooms/%E0%A4%A');
    expect(expectError(malformed, 400, 'INVALID_REQUEST')).toMatch(/URL is malformed/);
  });

  it('never answers odd input with a 5xx', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Sale' });
    const token = server.adminToken;
    const cases: [string, string, { body?: unknown; token?: string; headers?: Record<string, string> }][] = [
      ['POST', '/api/admin/rooms/sale/admit', { token, body: { count: 1e20 } }],
      ['POST', '/api/admin/rooms/sale/admit', { token, body: '[]' }],
      ['POST', '/api/admin/rooms', { token, body: { id: 'x'.repeat(10_000), name: 'x' } }],
      ['POST', '/api/admin/rooms', { token, body: 'x'.repeat(100_000) }],
      [
        'POST',
        '/api/admin/rooms',
        { token, body: '{"id":"a","name":"b"}', headers: { 'content-type': 'text/plain' } },
      ],
      ['PATCH', '/api/admin/rooms/sale', { token, body: { opensAt: '2024-13-45T99:99:99Z' } }],
      ['PATCH', '/api/admin/rooms/sale', { token, body: { name: null } }],
      ['GET', `/api/rooms/${'x'.repeat(500)}`, {}],
      ['GET', '/api/rooms/%E0%A4%A', {}],
      ['GET', '/api/rooms/sale/tickets/me', { token: 'x'.repeat(5000) }],
      ['GET', '/api/rooms/sale/tickets/me', { token: 'eyJhbGciOiJIUzI1NiJ9.e30.' }],
      ['GET', '/api/admin/rooms', { token: 'é' }],
    ];
    for (const [method, path, options] of cases) {
      const res = await server.request(method, path, options);
      expect(res.status, `${method} ${path.slice(0, 40)}`).toBeLessThan(500);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.body).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    }
    expect((await server.admin('GET', '/api/admin/rooms/sale')).body).toMatchObject({
      name: 'Sale',
      opensAt: null,
    });
  });

  it('keeps every figure a number at a rate too slow to wait for', async () => {
    // Found by the fuzz test on Redis: at a rate of a few shoppers per century, the wait a
    // ticket was promised overflowed the 32-bit float of its record and broke the room's stats.
    const server = await startServer();
    await server.createRoom({ id: 'slow', name: 'Slow', admitRatePerMinute: 1e-40 });
    const ticket = await server.join('slow');
    const waiting = await server.status('slow', ticket.queueToken);
    expect(waiting).toMatchObject({ state: 'waiting', position: 1 });
    expect(Number.isFinite(waiting.etaSeconds)).toBe(true);
    expect(await server.admit('slow', 1)).toBe(1);
    expect(await server.status('slow', ticket.queueToken)).toMatchObject({ state: 'admitted' });
    const stats = await server.admin('GET', '/api/admin/rooms/slow/stats');
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ admittedTotal: 1, waiting: 0, active: 1 });
    const { medianErrorRatio, p90ErrorRatio } = (
      stats.body as { estimateAccuracy: Record<string, number | null> }
    ).estimateAccuracy;
    for (const ratio of [medianErrorRatio, p90ErrorRatio])
      expect(ratio === null || Number.isFinite(ratio)).toBe(true);
    const room = await server.request<{ estimatedWaitSeconds: number }>('GET', '/api/rooms/slow');
    expect(room.status).toBe(200);
    expect(Number.isFinite(room.body.estimatedWaitSeconds)).toBe(true);
  });
});

describe('settings', () => {
  it('refuses a port that is not a number, naming PORT', () => {
    expect(() => loadSettings({ PORT: 'abc' })).toThrow(SettingsError);
    expect(() => loadSettings({ PORT: 'abc' })).toThrow(/PORT/);
  });

  it('refuses an unknown log level, naming LOG_LEVEL and the levels allowed', () => {
    expect(() => loadSettings({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL.*info/);
  });

  it('names every bad setting in one message, without repeating a secret value', () => {
    let caught: unknown;
    try {
      loadSettings({
        PORT: '99999',
        LOG_LEVEL: 'loud',
        JOIN_LIMIT_PER_MINUTE: 'many',
        ADMIN_TOKEN: 'tiny-secret',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SettingsError);
    const message = (caught as SettingsError).message;
    for (const name of ['PORT', 'LOG_LEVEL', 'JOIN_LIMIT_PER_MINUTE', 'ADMIN_TOKEN'])
      expect(message).toContain(name);
    expect(message).not.toContain('tiny-secret');
    expect(message.split('\n')).toHaveLength(1);
  });

  it('refuses to start, naming REDIS_URL, when the Redis it names does not answer', async () => {
    // Port 1 has no server: one start-up error rather than a server that cannot queue anyone.
    await expect(startServer({ env: { REDIS_URL: 'redis://:hunter2-secret@127.0.0.1:1' } })).rejects.toThrow(
      /REDIS_URL: Redis did not answer/,
    );
    await expect(
      startServer({ env: { REDIS_URL: 'redis://:hunter2-secret@127.0.0.1:1' } }),
    ).rejects.not.toThrow(/hunter2/);
  });

  it('takes the documented defaults from an empty environment', () => {
    const settings = loadSettings({});
    expect(settings).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './data',
      adminToken: undefined,
      logLevel: 'info',
      trustProxy: false,
    });
    expect(settings.joinLimitPerMinute).toBeGreaterThan(0);
  });
});

describe('logs', () => {
  it('never contain the operator token, a queue token or an admission token, even at trace level', async () => {
    const lines: string[] = [];
    const stream = { write: (line: string) => void lines.push(line) };
    const server = await startServer({ logger: { level: 'trace', stream } });
    await server.createRoom({ id: 'sale', name: 'Sale' });
    const mine = await server.join('sale');
    const other = await server.join('sale');
    await server.status('sale', mine.queueToken);
    await server.admit('sale', 1);
    const admissionToken = (await server.status('sale', mine.queueToken)).admissionToken ?? '';
    expect(admissionToken).not.toBe('');
    await server.request('GET', '/api/rooms/sale/tickets/me', { token: `${other.queueToken}x` });
    await server.request('GET', '/api/rooms/sale/tickets/me', { token: admissionToken });
    await server.request('GET', '/api/admin/rooms', { token: 'a-wrong-operator-token' });
    await server.request('DELETE', '/api/rooms/sale/tickets/me', { token: other.queueToken });
    // Code that logs a token by mistake, under one of the field names the server redacts.
    server.app.log.info(
      { queueToken: mine.queueToken, admissionToken, token: server.adminToken },
      'a careless log line',
    );
    await server.close();

    const log = lines.join('');
    expect(log).toContain('incoming request');
    expect(log).toContain('a careless log line');
    expect(log).toContain('[redacted]');
    const secrets = [
      server.adminToken ?? '',
      mine.queueToken,
      other.queueToken,
      admissionToken,
      'a-wrong-operator-token',
    ];
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(10);
      expect(log).not.toContain(secret);
      // Nor the signature alone, which is what makes a token usable.
      expect(log).not.toContain(secret.split('.').pop() ?? secret);
    }
  });
});
