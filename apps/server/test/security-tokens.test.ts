import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMISSION_TOKEN_TYPE } from '@waitroom/core';
import { generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, DAY_SECONDS, expectError, startServer, type TestServer } from './helper.js';
import { admittedBuyers, type Buyer, type OrderResponse, placeOrder } from './support/orders.js';

// What tokens.test.ts and orders.test.ts leave out: admission tokens forged with every known
// JWT trick, expired, for another room or of the wrong type, and the clock tolerance of both
// kinds of token. Tokens are made here from the documented formats, not with the server's code.

afterEach(cleanUp);

const SECRET = 'a-queue-token-secret-for-the-tests-0123456789';
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const items = [{ productId: 'tee', quantity: 1 }];

function signQueueToken(room: string, ticket: string, expSeconds: number): string {
  const body = `q1.${room}.${ticket}.${expSeconds.toString(36)}`;
  return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
}

async function sale(): Promise<{ server: TestServer; buyer: Buyer; other: Buyer }> {
  const server = await startServer({ env: { QUEUE_TOKEN_SECRET: SECRET } });
  for (const id of ['sale', 'other-sale']) {
    await server.createRoom({ id, name: id, admitRatePerMinute: 0, heartbeatTimeoutSeconds: DAY_SECONDS });
    const put = await server.admin('PUT', `/api/admin/rooms/${id}/products`, {
      products: [{ id: 'tee', name: 'Tee', priceCents: 2500, currency: 'EUR', stock: 10 }],
    });
    expect(put.status).toBe(200);
  }
  const [buyer] = await admittedBuyers(server, 'sale', 1);
  const [other] = await admittedBuyers(server, 'other-sale', 1);
  return { server, buyer: buyer!, other: other! };
}

/** The server's signing key as its data folder keeps it (the last one signs). */
function serverKey(server: TestServer): JWK {
  const { keys } = JSON.parse(readFileSync(join(server.dataDir, 'signing-keys.json'), 'utf8')) as {
    keys: JWK[];
  };
  return keys[keys.length - 1]!;
}

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown> & {
    exp: number;
    sub: string;
    aud: string;
  };
const headerOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as {
    kid: string;
    alg: string;
    typ: string;
  };

/** Signs `claims` with the server's own private key, under `header` overrides. */
async function signAsServer(
  server: TestServer,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  const jwk = serverKey(server);
  const key = await importJWK(jwk, 'EdDSA');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: jwk.kid, typ: ADMISSION_TOKEN_TYPE, ...header })
    .sign(key);
}

const asBuyer = (buyer: Buyer, admissionToken: string): Buyer => ({ ...buyer, admissionToken });

describe('admission tokens on POST /api/orders', () => {
  it('refuse alg none, an HS256 token keyed with the public key, an unknown kid and a foreign key with our kid', async () => {
    const { server, buyer } = await sale();
    const claims = claimsOf(buyer.admissionToken);
    const header = headerOf(buyer.admissionToken);

    const none = `${b64({ alg: 'none', typ: ADMISSION_TOKEN_TYPE, kid: header.kid })}.${b64(claims)}.`;
    expectError(await placeOrder(server, asBuyer(buyer, none), items), 401, 'INVALID_TOKEN');

    // The classic alg swap: HMAC keyed with the public key's bytes, which anyone can read at the JWKS.
    const jwks = (await server.request<{ keys: JWK[] }>('GET', '/.well-known/jwks.json')).body;
    const publicJwk = jwks.keys.find((k) => k.kid === header.kid)!;
    for (const secret of [JSON.stringify(publicJwk), publicJwk.x!, Buffer.from(publicJwk.x!, 'base64url')]) {
      const unsigned = `${b64({ alg: 'HS256', typ: ADMISSION_TOKEN_TYPE, kid: header.kid })}.${b64(claims)}`;
      const mac = createHmac('sha256', secret).update(unsigned).digest('base64url');
      expectError(
        await placeOrder(server, asBuyer(buyer, `${unsigned}.${mac}`), items),
        401,
        'INVALID_TOKEN',
      );
    }

    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    for (const kid of ['no-such-key', header.kid]) {
      const foreign = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: ADMISSION_TOKEN_TYPE })
        .sign(privateKey);
      expectError(await placeOrder(server, asBuyer(buyer, foreign), items), 401, 'INVALID_TOKEN');
    }
    // A genuine token changed to name another ticket.
    const [h, , s] = buyer.admissionToken.split('.');
    const forged = `${h}.${b64({ ...claims, sub: 'someone-else' })}.${s}`;
    expectError(await placeOrder(server, asBuyer(buyer, forged), items), 401, 'INVALID_TOKEN');

    // After all that, the genuine token still buys, once.
    expect((await placeOrder(server, buyer, items)).status).toBe(201);
  });

  it('refuse a token of the wrong type or issuer though signed with the server key, and a queue token', async () => {
    const { server, buyer } = await sale();
    const claims = claimsOf(buyer.admissionToken);
    const wrongType = await signAsServer(server, claims, { typ: 'JWT' });
    expectError(await placeOrder(server, asBuyer(buyer, wrongType), items), 401, 'INVALID_TOKEN');
    const wrongIssuer = await signAsServer(server, { ...claims, iss: 'someone-else' });
    expectError(await placeOrder(server, asBuyer(buyer, wrongIssuer), items), 401, 'INVALID_TOKEN');
    expectError(await placeOrder(server, asBuyer(buyer, buyer.queueToken), items), 401, 'INVALID_TOKEN');
    // The same claims signed right are accepted: only the type, issuer or kind differed.
    const right = await signAsServer(server, claims);
    expect((await placeOrder(server, asBuyer(buyer, right), items)).status).toBe(201);
  });

  it('refuse an expired token signed with the server key as TOKEN_EXPIRED, and sell nothing', async () => {
    const { server, buyer } = await sale();
    const now = Math.floor(server.clock.now / 1000);
    const expired = await signAsServer(server, {
      ...claimsOf(buyer.admissionToken),
      iat: now - 700,
      exp: now - 60,
    });
    expectError(await placeOrder(server, asBuyer(buyer, expired), items), 401, 'TOKEN_EXPIRED');
    const stock = await server.admin<{ products: { sold: number }[] }>(
      'GET',
      '/api/admin/rooms/sale/products',
    );
    expect(stock.body.products[0]!.sold).toBe(0);
  });

  it('cannot read an order of another room, and a queue token cannot read one either', async () => {
    const { server, buyer, other } = await sale();
    const placed = await placeOrder(server, buyer, items);
    expect(placed.status).toBe(201);
    const id = (placed.body as OrderResponse).id;
    expectError(
      await server.request('GET', `/api/orders/${id}`, { token: other.admissionToken }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await server.request('GET', `/api/orders/${id}`, { token: buyer.queueToken }),
      401,
      'INVALID_TOKEN',
    );
    expect((await server.request('GET', `/api/orders/${id}`, { token: buyer.admissionToken })).status).toBe(
      200,
    );
  });

  it('tolerate 5 s of clock skew past their expiry, and no more', async () => {
    const { server, buyer } = await sale();
    const placed = await placeOrder(server, buyer, items);
    expect(placed.status).toBe(201);
    const path = `/api/orders/${(placed.body as OrderResponse).id}`;
    const exp = claimsOf(buyer.admissionToken).exp * 1000;
    // This server's clock runs 3 s past the token's expiry (another instance signed it, or clocks differ).
    server.clock.now = exp + 3_000;
    expect((await server.request('GET', path, { token: buyer.admissionToken })).status).toBe(200);
    server.clock.now = exp + 7_000;
    expectError(await server.request('GET', path, { token: buyer.admissionToken }), 401, 'TOKEN_EXPIRED');
  });
});

describe('queue tokens on GET /api/rooms/{id}/tickets/me', () => {
  it('tolerate 5 s of clock skew past their expiry, and no more', async () => {
    const { server, buyer } = await sale();
    const now = Math.floor(server.clock.now / 1000);
    const path = '/api/rooms/sale/tickets/me';
    const within = signQueueToken('sale', buyer.ticketId, now - 3);
    expect((await server.request('GET', path, { token: within })).status).toBe(200);
    const beyond = signQueueToken('sale', buyer.ticketId, now - 7);
    expectError(await server.request('GET', path, { token: beyond }), 401, 'TOKEN_EXPIRED');
  });

  it('refuse an admission token of the same ticket, and a queue token of another room', async () => {
    const { server, buyer, other } = await sale();
    const path = '/api/rooms/sale/tickets/me';
    expectError(await server.request('GET', path, { token: buyer.admissionToken }), 401, 'INVALID_TOKEN');
    expectError(await server.request('GET', path, { token: other.queueToken }), 401, 'INVALID_TOKEN');
    // A JWT with alg none naming the ticket.
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: buyer.ticketId, rid: 'sale', exp: 9e9 })}.`;
    expectError(await server.request('GET', path, { token: none }), 401, 'INVALID_TOKEN');
  });
});
