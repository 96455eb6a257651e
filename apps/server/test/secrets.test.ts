import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, startServer, type TestServer } from './helper.js';

afterEach(cleanUp);

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

async function servedKids(server: TestServer): Promise<string[]> {
  const res = await server.request<JSONWebKeySet>('GET', '/.well-known/jwks.json');
  expect(res.status).toBe(200);
  return res.body.keys.map((k) => k.kid ?? '');
}

describe('the operator token', () => {
  it('is generated on a first start without ADMIN_TOKEN, and kept only as its SHA-256 in a private file', async () => {
    const server = await startServer({ adminToken: null });
    const generated = server.app.waitroom.admin.generated;
    expect(generated).toEqual(expect.any(String));
    const token = generated ?? '';
    expect(token.length).toBeGreaterThanOrEqual(32);

    const hashFile = join(server.dataDir, 'admin-token.sha256');
    const sha256 = createHash('sha256').update(token).digest('hex');
    expect((await readFile(hashFile, 'utf8')).trim()).toBe(sha256);
    expect(await modeOf(hashFile)).toBe(0o600);

    expect((await server.request('GET', '/api/admin/rooms', { token })).status).toBe(200);
    expect((await server.request('GET', '/api/admin/rooms', { token: sha256 })).status).toBe(401);

    // Create something so that the queue journal has content too, then look at every file.
    await server.request('POST', '/api/admin/rooms', { token, body: { id: 'sale', name: 'Sale' } });
    await server.join('sale');
    await server.close();
    const files = await filesUnder(server.dataDir);
    expect(files.length).toBeGreaterThan(2);
    for (const file of files) {
      const content = await readFile(file, 'utf8');
      expect(content, file).not.toContain(token);
      expect(content, file).not.toContain(token.replace(/^wr_admin_/, ''));
    }
  });

  it('is the same after a restart, which generates no new one', async () => {
    const first = await startServer({ adminToken: null });
    const token = first.app.waitroom.admin.generated ?? '';
    expect(token).not.toBe('');
    await first.close();

    const second = await startServer({ dataDir: first.dataDir, adminToken: null });
    expect(second.app.waitroom.admin.generated).toBeNull();
    expect((await second.request('GET', '/api/admin/rooms', { token })).status).toBe(200);
    expect((await second.request('GET', '/api/admin/rooms', { token: `${token}x` })).status).toBe(401);
  });

  it('set by ADMIN_TOKEN is used as given and never written to the data folder', async () => {
    const server = await startServer();
    const token = server.adminToken ?? '';
    expect(server.app.waitroom.admin.generated).toBeNull();
    expect((await server.request('GET', '/api/admin/rooms', { token })).status).toBe(200);
    await server.close();
    for (const file of await filesUnder(server.dataDir)) {
      expect(await readFile(file, 'utf8'), file).not.toContain(token);
    }
  });
});

describe('the signing keys', () => {
  it('are kept in a private file and the same key is served after a restart', async () => {
    const first = await startServer();
    const keysFile = join(first.dataDir, 'signing-keys.json');
    expect(await modeOf(keysFile)).toBe(0o600);
    const kids = await servedKids(first);
    expect(kids).toHaveLength(1);
    expect(kids[0]).not.toBe('');

    // The file holds the private key; only its public half is served.
    const stored = JSON.parse(await readFile(keysFile, 'utf8')) as { keys: { kid: string; d: string }[] };
    expect(stored.keys.map((k) => k.kid)).toEqual(kids);
    const served = (await first.request('GET', '/.well-known/jwks.json')).text;
    expect(served).toContain(kids[0]);
    expect(served).not.toContain(stored.keys[0]?.d ?? 'no private key stored');
    expect(served).not.toContain('"d"');
    await first.close();

    const second = await startServer({ dataDir: first.dataDir, adminToken: first.adminToken });
    expect(await servedKids(second)).toEqual(kids);
  });

  it('differ between two data folders', async () => {
    const a = await startServer();
    const b = await startServer();
    expect(await servedKids(a)).not.toEqual(await servedKids(b));
  });
});

describe('the queue token secret', () => {
  it('is generated into a private file, so queue tokens outlive a restart', async () => {
    const first = await startServer();
    await first.createRoom({ id: 'sale', name: 'Sale' });
    const ticket = await first.join('sale');
    expect(await modeOf(join(first.dataDir, 'queue-token.secret'))).toBe(0o600);
    await first.close();

    const second = await startServer({ dataDir: first.dataDir, adminToken: first.adminToken });
    expect((await second.status('sale', ticket.queueToken)).ticketId).toBe(ticket.ticketId);
  });
});
