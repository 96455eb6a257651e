import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, startServer, tempDataDir } from './helper.js';

afterEach(cleanUp);

/** A stand-in for apps/web/dist, as `vite build` lays it out. */
async function builtWebApp(): Promise<string> {
  const dir = await tempDataDir();
  await mkdir(join(dir, 'assets'));
  await writeFile(
    join(dir, 'shopper.html'),
    '<!doctype html><title>shopper</title><script type="module" src="/assets/shopper-a1b2c3.js"></script>',
  );
  await writeFile(join(dir, 'admin.html'), '<!doctype html><title>admin</title>');
  await writeFile(join(dir, 'assets', 'shopper-a1b2c3.js'), 'console.log("shopper")');
  return dir;
}

describe('the web pages, built', () => {
  it("serves the shopper's page at /rooms/:roomId and the dashboard at /admin and below, never cached", async () => {
    const server = await startServer({ webDir: await builtWebApp() });
    for (const path of ['/rooms/demo', '/rooms/spring-sale/']) {
      const res = await server.request<string>('GET', path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.body).toContain('<title>shopper</title>');
    }
    for (const path of ['/admin', '/admin/', '/admin/rooms/demo']) {
      const res = await server.request<string>('GET', path);
      expect(res.status, path).toBe(200);
      expect(res.body).toContain('<title>admin</title>');
    }
  });

  it('sends the pages with a policy that allows only their own scripts and styles', async () => {
    const server = await startServer({ webDir: await builtWebApp() });
    const res = await server.request('GET', '/rooms/demo');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('serves the hashed assets with a year-long immutable cache, and a missing one as a JSON 404', async () => {
    const server = await startServer({ webDir: await builtWebApp() });
    const asset = await server.request<string>('GET', '/assets/shopper-a1b2c3.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toContain('max-age=31536000');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const missing = await server.request('GET', '/assets/nothing-here.js');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('redirects / to the demo room, keeps the API first, and leaves unknown API paths a JSON 404', async () => {
    const server = await startServer({ webDir: await builtWebApp() });
    const root = await fetch(`${server.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/rooms/demo');
    await server.createRoom({ id: 'sale', name: 'Sale' });
    const api = await server.request('GET', '/api/rooms/sale');
    expect(api.headers.get('content-type')).toContain('application/json');
    const unknown = await server.request('GET', '/api/rooms/sale/nothing');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
    // The pages are not in the API's description.
    const doc = (await server.request<{ paths: Record<string, unknown> }>('GET', '/openapi.json')).body;
    for (const page of ['/', '/rooms/{roomId}', '/admin', '/admin/*', '/assets/*']) {
      expect(doc.paths, page).not.toHaveProperty([page]);
    }
  });
});

describe('the web pages, not built', () => {
  it('still starts, and says at each page how to build them', async () => {
    const server = await startServer({ webDir: await tempDataDir() });
    for (const path of ['/rooms/demo', '/admin', '/admin/rooms/demo']) {
      const res = await server.request<string>('GET', path);
      expect(res.status, path).toBe(503);
      expect(res.headers.get('content-type')).toContain('text/plain');
      expect(res.body).toContain('npm run build');
    }
    expect((await server.request('GET', '/healthz')).status).toBe(200);
  });
});
