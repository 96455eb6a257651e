import { afterEach, describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../src/settings.js';
import { cleanUp, type ErrorBody, expectError, startServer, type TestServer } from './helper.js';

afterEach(cleanUp);

async function withRoom(
  env: Record<string, string> = {},
): Promise<{ server: TestServer; queueToken: string }> {
  const server = await startServer({ env });
  await server.createRoom({ id: 'sale', name: 'Sale', admitRatePerMinute: 60 });
  const { queueToken } = await server.join('sale');
  return { server, queueToken };
}

/** The main routes a browser or a script reaches, with what each needs. */
function mainRoutes(queueToken: string): [string, string, { token?: string; body?: unknown }][] {
  return [
    ['GET', '/', {}],
    ['GET', '/rooms/sale', {}],
    ['GET', '/admin', {}],
    ['GET', '/api/rooms/sale', {}],
    ['POST', '/api/rooms/sale/tickets', {}],
    ['GET', '/api/rooms/sale/tickets/me', { token: queueToken }],
    ['GET', '/api/rooms/sale/products', {}],
    ['POST', '/api/orders', { token: 'not-a-token', body: {} }],
    ['GET', '/api/admin/rooms', {}],
    ['GET', '/.well-known/jwks.json', {}],
    ['GET', '/openapi.json', {}],
    ['GET', '/healthz', {}],
    ['GET', '/no-such-path', {}],
  ];
}

describe('security headers', () => {
  it('are on every response, with a CSP that allows only this origin (the API: nothing), and no HSTS over plain http', async () => {
    const { server, queueToken } = await withRoom();
    for (const [method, path, options] of mainRoutes(queueToken)) {
      const res = await server.request(method, path, options);
      const csp = res.headers.get('content-security-policy') ?? '';
      const data = /^\/(api\/|\.well-known\/|openapi\.json|healthz)/.test(path);
      if (data) {
        // JSON is never rendered as a page: a policy that allows nothing, and no page-only headers.
        expect(csp, path).toBe("default-src 'none';frame-ancestors 'none'");
        expect(res.headers.get('x-dns-prefetch-control'), path).toBeNull();
      } else {
        expect(csp, path).toContain("script-src 'self'");
        expect(csp, path).toContain("style-src 'self'");
        expect(csp, path).toContain("connect-src 'self'");
        expect(csp, path).toContain("img-src 'self' data:");
        expect(csp, path).toContain("frame-ancestors 'none'");
        expect(res.headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
      }
      expect(res.headers.get('cross-origin-resource-policy'), path).toBe('same-origin');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security'), path).toBeNull();
      expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
      expect(res.headers.get('x-powered-by'), path).toBeNull();
    }
  });

  it('send HSTS only when a trusted proxy says the request came over https', async () => {
    const untrusted = await withRoom();
    const claimed = await untrusted.server.request('GET', '/api/rooms/sale', {
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(claimed.headers.get('strict-transport-security')).toBeNull();

    const trusted = await withRoom({ TRUST_PROXY: 'true' });
    const res = await trusted.server.request('GET', '/api/rooms/sale', {
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    const plain = await trusted.server.request('GET', '/api/rooms/sale');
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  });

  it('are on an event stream too, which still streams', async () => {
    const { server, queueToken } = await withRoom();
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/rooms/sale/tickets/me/events`, {
      headers: { authorization: `Bearer ${queueToken}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toContain('event: status');
    controller.abort();
  });
});

describe('cookies', () => {
  it('only a join sets one, for its own room, HttpOnly, Secure and SameSite', async () => {
    const { server, queueToken } = await withRoom({ TRUST_PROXY: 'true' });
    for (const [method, path, options] of mainRoutes(queueToken)) {
      const res = await server.request(method, path, {
        ...options,
        headers: { 'x-forwarded-proto': 'https' },
      });
      for (const cookie of res.headers.getSetCookie()) {
        expect(cookie, path).toMatch(/;\s*HttpOnly/i);
        expect(cookie, path).toMatch(/;\s*Secure/i);
        expect(cookie, path).toMatch(/;\s*SameSite=(Strict|Lax)/i);
        expect(cookie, path).toMatch(/;\s*Path=\/api\/rooms\/sale\/tickets(;|$)/);
      }
      const isJoin = method === 'POST' && path === '/api/rooms/sale/tickets';
      expect(res.headers.getSetCookie(), path).toHaveLength(isJoin ? 1 : 0);
    }
  });

  it('a join over plain http leaves out Secure only for a local host, where browsers would drop it', async () => {
    const { server } = await withRoom();
    const local = await server.request('POST', '/api/rooms/sale/tickets');
    expect(local.headers.getSetCookie()[0]).not.toMatch(/;\s*Secure/i);
    const remote = await server.app.inject({
      method: 'POST',
      url: '/api/rooms/sale/tickets',
      headers: { host: 'shop.example.com' },
    });
    expect(String(remote.headers['set-cookie'])).toMatch(/;\s*Secure/i);
  });
});

describe('CORS', () => {
  it('sends no CORS header by default: same origin only, and a preflight is not granted', async () => {
    const { server } = await withRoom();
    const simple = await server.request('GET', '/api/rooms/sale', {
      headers: { origin: 'https://evil.example' },
    });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await server.request('OPTIONS', '/api/orders', {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows exactly the origins CORS_ORIGINS lists, without credentials', async () => {
    const { server } = await withRoom({ CORS_ORIGINS: 'https://shop.example.com, http://localhost:5173' });
    const allowed = await server.request('GET', '/api/rooms/sale', {
      headers: { origin: 'https://shop.example.com' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    expect(allowed.headers.get('vary')).toMatch(/origin/i);
    const preflight = await server.request('OPTIONS', '/api/orders', {
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    const other = await server.request('GET', '/api/rooms/sale', {
      headers: { origin: 'https://shop.example.com.evil.example' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('CORS_ORIGINS is checked at start: a wildcard or a path stops it with one line naming the setting', () => {
    for (const bad of [
      '*',
      'https://shop.example.com/path',
      'shop.example.com',
      'https://a.example, ftp://b.example',
    ]) {
      expect(() => loadSettings({ CORS_ORIGINS: bad }), bad).toThrow(SettingsError);
      expect(() => loadSettings({ CORS_ORIGINS: bad })).toThrow(/CORS_ORIGINS/);
    }
    expect(loadSettings({}).corsOrigins).toEqual([]);
    expect(
      loadSettings({ CORS_ORIGINS: 'https://A.example:8443,https://a.example:8443' }).corsOrigins,
    ).toEqual(['https://a.example:8443']);
  });
});

describe('body limits', () => {
  it('a join takes at most 1 KB, other routes 64 KB: above is 413 and changes nothing', async () => {
    const { server } = await withRoom();
    const before = (await server.stats('sale')).waiting;
    const big = JSON.stringify({ pad: 'x'.repeat(2048) });
    const join = await server.request<ErrorBody>('POST', '/api/rooms/sale/tickets', { body: big });
    expectError(join, 413, 'PAYLOAD_TOO_LARGE');
    expect((await server.stats('sale')).waiting).toBe(before);
    // 2 KB is within the limit of the other routes: refused for its content, not its size.
    expect((await server.request('POST', '/api/orders', { token: 'x', body: big })).status).not.toBe(413);
    const huge = JSON.stringify({ pad: 'x'.repeat(65 * 1024) });
    expectError(
      await server.request('POST', '/api/orders', { token: 'x', body: huge }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expectError(await server.admin('PATCH', '/api/admin/rooms/sale', huge), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('the server keeps its timeouts, none of which cuts a stream', async () => {
    const { server } = await withRoom();
    const http = server.app.server;
    expect(http.requestTimeout).toBe(30_000);
    expect(http.headersTimeout).toBe(15_000);
    expect(http.keepAliveTimeout).toBe(72_000);
    // Idle sockets only: an event stream writes at least every 15 s.
    expect(http.timeout).toBe(300_000);
  });
});
