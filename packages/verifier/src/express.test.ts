import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admissionRequired } from './express.js';
import { type JwksServer, shopKeys, signAdmission, type TestKey } from './testing/jwks.js';

let key: TestKey;
let jwks: JwksServer;
let server: Server;
let url: string;

beforeAll(async () => {
  const shop = await shopKeys('EdDSA');
  ({ key, jwks } = shop);
  const { verifier, down } = shop;

  const app = express();
  app.post('/checkout', admissionRequired(verifier), (req, res) => {
    res.json({ admission: req.admission });
  });
  // The room from the path, and the token from a header of the shop's choosing.
  app.get(
    '/rooms/:roomId/cart',
    admissionRequired<express.Request>(verifier, {
      roomId: (req) => String(req.params.roomId),
      getToken: (req) => req.get('x-admission'),
    }),
    (req, res) => {
      res.json({ ticketId: req.admission?.ticketId });
    },
  );
  app.get('/down', admissionRequired(down), (_req, res) => {
    res.json({ reached: true });
  });
  app.get(
    '/broken',
    admissionRequired(verifier, {
      getToken: () => {
        throw new Error('a bug of the shop');
      },
    }),
    (_req, res) => {
      res.json({ reached: true });
    },
  );
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await jwks.close();
});

async function call(method: string, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, { method, headers });
  const text = await res.text();
  const body = (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as unknown;
  return { status: res.status, headers: res.headers, body };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('admissionRequired (Express)', () => {
  it('lets a good admission through and puts it on req.admission', async () => {
    const token = await signAdmission(key, { ticketId: 't-7' });
    const res = await call('POST', '/checkout', bearer(token));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      admission: {
        roomId: 'sale',
        ticketId: 't-7',
        admittedAt: expect.any(String),
        expiresAt: expect.any(String),
        tokenId: 't-7',
      },
    });
  });

  it('answers 401 INVALID_TOKEN without a token, or with a bad one', async () => {
    for (const headers of [{}, { authorization: 'Basic abc' }, bearer('not.a.token')]) {
      const res = await call('POST', '/checkout', headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.body).toEqual({ error: { code: 'INVALID_TOKEN', message: expect.any(String) } });
    }
  });

  it('answers 401 TOKEN_EXPIRED for an admission that ran out', async () => {
    const now = Date.now();
    const token = await signAdmission(key, { admittedAt: now - 700_000, expiresAt: now - 60_000 });
    const res = await call('POST', '/checkout', bearer(token));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'TOKEN_EXPIRED', message: expect.any(String) } });
  });

  it("answers 403 FORBIDDEN for another room's admission", async () => {
    const token = await signAdmission(key, { roomId: 'other' });
    const res = await call('POST', '/checkout', bearer(token));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { code: 'FORBIDDEN', message: expect.any(String) } });
  });

  it('answers 503 UNAVAILABLE when the signing keys cannot be fetched', async () => {
    const res = await call('GET', '/down', bearer(await signAdmission(key)));
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: { code: 'UNAVAILABLE', message: expect.any(String) } });
  });

  it('takes the room and the token from where the shop says', async () => {
    const token = await signAdmission(key, { roomId: 'other', ticketId: 't-9' });
    const ok = await call('GET', '/rooms/other/cart', { 'x-admission': token });
    expect(ok).toMatchObject({ status: 200, body: { ticketId: 't-9' } });
    const wrong = await call('GET', '/rooms/sale/cart', { 'x-admission': token });
    expect(wrong.status).toBe(403);
    const none = await call('GET', '/rooms/other/cart', bearer(token));
    expect(none.status).toBe(401);
  });

  it("passes any other error on to Express's error handling", async () => {
    const res = await call('GET', '/broken', bearer(await signAdmission(key)));
    expect(res.status).toBe(500);
    expect(res.body).not.toEqual({ reached: true });
  });
});
