import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admissionPreHandler, fastifyAdmission } from './fastify.js';
import { type JwksServer, shopKeys, signAdmission, type TestKey } from './testing/jwks.js';

let key: TestKey;
let jwks: JwksServer;
let app: FastifyInstance;

beforeAll(async () => {
  const shop = await shopKeys('ES256');
  ({ key, jwks } = shop);
  const { verifier, down } = shop;

  app = Fastify();
  app.get('/', async () => ({ open: true }));
  // Every route of this scope needs an admission.
  await app.register(async (shop) => {
    await shop.register(fastifyAdmission, { verifier });
    shop.get('/checkout', async (request) => ({ admission: request.admission }));
    shop.post('/orders', async (request) => ({ ticketId: request.admission?.ticketId, body: request.body }));
  });
  await app.register(async (shop) => {
    await shop.register(fastifyAdmission, { verifier: down });
    shop.get('/down', async () => ({ reached: true }));
  });
  // One route, its room from the path.
  app.get<{ Params: { roomId: string } }>(
    '/rooms/:roomId/cart',
    {
      preHandler: admissionPreHandler(verifier, {
        roomId: (request) => (request.params as { roomId: string }).roomId,
      }),
    },
    async (request) => ({ ticketId: request.admission?.ticketId }),
  );
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await jwks.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('fastifyAdmission', () => {
  it('lets a good admission through and decorates request.admission', async () => {
    const token = await signAdmission(key, { ticketId: 't-3' });
    const res = await app.inject({ method: 'GET', url: '/checkout', headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      admission: {
        roomId: 'sale',
        ticketId: 't-3',
        admittedAt: expect.any(String),
        expiresAt: expect.any(String),
        tokenId: 't-3',
      },
    });
    const order = await app.inject({
      method: 'POST',
      url: '/orders',
      headers: bearer(token),
      payload: { sku: 'x' },
    });
    expect(order.json()).toEqual({ ticketId: 't-3', body: { sku: 'x' } });
  });

  it('guards only the routes of the scope it is registered in', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
  });

  it('answers 401 INVALID_TOKEN without a token or with a bad one, before reading the body', async () => {
    for (const headers of [{}, bearer('not.a.token'), { authorization: 'Basic abc' }]) {
      const res = await app.inject({ method: 'GET', url: '/checkout', headers });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.json()).toEqual({ error: { code: 'INVALID_TOKEN', message: expect.any(String) } });
    }
    const unread = await app.inject({
      method: 'POST',
      url: '/orders',
      headers: { 'content-type': 'application/json' },
      payload: '{ not json',
    });
    expect(unread.statusCode).toBe(401);
  });

  it('answers 401 TOKEN_EXPIRED for an admission that ran out', async () => {
    const now = Date.now();
    const token = await signAdmission(key, { admittedAt: now - 700_000, expiresAt: now - 60_000 });
    const res = await app.inject({ method: 'GET', url: '/checkout', headers: bearer(token) });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'TOKEN_EXPIRED', message: expect.any(String) } });
  });

  it("answers 403 FORBIDDEN for another room's admission", async () => {
    const token = await signAdmission(key, { roomId: 'other' });
    const res = await app.inject({ method: 'GET', url: '/checkout', headers: bearer(token) });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ error: { code: 'FORBIDDEN', message: expect.any(String) } });
  });

  it('answers 503 UNAVAILABLE when the signing keys cannot be fetched', async () => {
    const res = await app.inject({ method: 'GET', url: '/down', headers: bearer(await signAdmission(key)) });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ error: { code: 'UNAVAILABLE', message: expect.any(String) } });
  });
});

describe('admissionPreHandler', () => {
  it("guards one route, here for the path's room", async () => {
    const token = await signAdmission(key, { roomId: 'other', ticketId: 't-8' });
    const ok = await app.inject({ method: 'GET', url: '/rooms/other/cart', headers: bearer(token) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ticketId: 't-8' });
    const wrong = await app.inject({ method: 'GET', url: '/rooms/sale/cart', headers: bearer(token) });
    expect(wrong.statusCode).toBe(403);
    const none = await app.inject({ method: 'GET', url: '/rooms/other/cart' });
    expect(none.statusCode).toBe(401);
  });
});
