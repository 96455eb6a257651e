import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMISSION_TOKEN_TYPE as CORE_ADMISSION_TOKEN_TYPE } from '@waitroom/core';
import { type CryptoKey, exportSPKI, importJWK, SignJWT } from 'jose';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdmissionError, type AdmissionErrorCode } from './errors.js';
import {
  base64url,
  deadUrl,
  type JwksServer,
  newKey,
  signAdmission,
  startJwksServer,
  type TestKey,
} from './testing/jwks.js';
import {
  ADMISSION_TOKEN_TYPE,
  type AdmissionVerifierOptions,
  createAdmissionVerifier,
  verifyAdmissionToken,
} from './verifier.js';

let ed: TestKey;
let ec: TestKey;
let stranger: TestKey;
let jwks: JwksServer;
const open: JwksServer[] = [];

async function serve(keys: TestKey[]): Promise<JwksServer> {
  jwks = await startJwksServer(keys);
  open.push(jwks);
  return jwks;
}

beforeAll(async () => {
  [ed, ec, stranger] = await Promise.all([newKey('EdDSA'), newKey('ES256'), newKey('EdDSA')]);
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

async function setUp(options: Partial<AdmissionVerifierOptions> = {}, keys: TestKey[] = [ed, ec]) {
  await serve(keys);
  return createAdmissionVerifier({ jwksUrl: jwks.jwksUrl, roomId: 'sale', ...options });
}

/** The refusal's code, failing the test if the promise resolves or rejects with anything else. */
async function refusalOf(promise: Promise<unknown>): Promise<AdmissionErrorCode> {
  const error = await promise.then(
    () => {
      throw new Error('expected a refusal, the token was accepted');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AdmissionError);
  return (error as AdmissionError).code;
}

const seconds = (s: number) => s * 1000;

describe('a good admission token', () => {
  it('passes when signed with Ed25519 (EdDSA) and says whose admission it is', async () => {
    const verifier = await setUp();
    const admittedAt = Math.floor(Date.now() / 1000) * 1000;
    const expiresAt = admittedAt + seconds(600);
    const token = await signAdmission(ed, { roomId: 'sale', ticketId: 't-42', admittedAt, expiresAt });
    await expect(verifier.verify(token)).resolves.toEqual({
      roomId: 'sale',
      ticketId: 't-42',
      admittedAt: new Date(admittedAt),
      expiresAt: new Date(expiresAt),
      tokenId: 't-42',
    });
  });

  it('passes when signed with P-256 (ES256)', async () => {
    const verifier = await setUp();
    const token = await signAdmission(ec, { ticketId: 't-ec' });
    expect((await verifier.verify(token)).ticketId).toBe('t-ec');
  });

  it('passes through the plain function as well', async () => {
    const verifier = await setUp();
    const token = await signAdmission(ed);
    expect((await verifyAdmissionToken(token, verifier)).roomId).toBe('sale');
  });

  it("checks the waiting room's own token type", () => {
    expect(ADMISSION_TOKEN_TYPE).toBe(CORE_ADMISSION_TOKEN_TYPE);
  });

  it('accepts any room when the shop names none, and says which', async () => {
    const verifier = await setUp({ roomId: undefined });
    const token = await signAdmission(ed, { roomId: 'elsewhere' });
    expect((await verifier.verify(token)).roomId).toBe('elsewhere');
  });

  it('takes a custom issuer', async () => {
    const verifier = await setUp({ issuer: 'queue.example.com' });
    await expect(
      verifier.verify(await signAdmission(ed, { issuer: 'queue.example.com' })),
    ).resolves.toBeTruthy();
    expect(await refusalOf(verifier.verify(await signAdmission(ed)))).toBe('INVALID');
  });
});

describe('refusals', () => {
  it('MISSING without a token', async () => {
    const verifier = await setUp();
    for (const token of [undefined, null, ''])
      expect(await refusalOf(verifier.verify(token))).toBe('MISSING');
    expect(jwks.fetches).toBe(0);
  });

  it('EXPIRED once the admission has run out', async () => {
    const verifier = await setUp();
    const now = Date.now();
    const token = await signAdmission(ed, { admittedAt: now - seconds(700), expiresAt: now - seconds(60) });
    expect(await refusalOf(verifier.verify(token))).toBe('EXPIRED');
  });

  it('INVALID when the claims were changed under the signature', async () => {
    const verifier = await setUp({ roomId: undefined });
    const token = await signAdmission(ed, { roomId: 'sale', ticketId: 't-1' });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${header}.${base64url({ ...claims, sub: 't-2', jti: 't-2' })}.${signature}`;
    expect(await refusalOf(verifier.verify(forged))).toBe('INVALID');
    const exp = `${header}.${base64url({ ...claims, exp: Number(claims.exp) + 3600 })}.${signature}`;
    expect(await refusalOf(verifier.verify(exp))).toBe('INVALID');
  });

  it('INVALID when the signature is damaged', async () => {
    const verifier = await setUp();
    const token = await signAdmission(ec);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const bytes = Buffer.from(signature, 'base64url');
    bytes[5] = (bytes[5] ?? 0) ^ 0xff;
    expect(await refusalOf(verifier.verify(`${header}.${payload}.${bytes.toString('base64url')}`))).toBe(
      'INVALID',
    );
  });

  it("INVALID when signed with another key, whether it names a published key's kid or its own", async () => {
    const verifier = await setUp();
    const posing = await signAdmission({ ...stranger, kid: ed.kid });
    expect(await refusalOf(verifier.verify(posing))).toBe('INVALID');
    const own = await signAdmission(stranger);
    expect(await refusalOf(verifier.verify(own))).toBe('INVALID');
  });

  it('INVALID for an unsigned token (alg: none), without even fetching the keys', async () => {
    const verifier = await setUp();
    const valid = await signAdmission(ed);
    const payload = valid.split('.')[1]!;
    for (const header of [
      { alg: 'none', typ: ADMISSION_TOKEN_TYPE },
      { alg: 'none', kid: ed.kid, typ: ADMISSION_TOKEN_TYPE },
      { alg: 'None', kid: ed.kid, typ: ADMISSION_TOKEN_TYPE },
    ]) {
      expect(await refusalOf(verifier.verify(`${base64url(header)}.${payload}.`))).toBe('INVALID');
    }
    expect(jwks.fetches).toBe(0);
  });

  it('INVALID for HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const verifier = await setUp();
    const publicKey = await importJWK(ed.publicJwk, 'EdDSA');
    const secrets = [
      new TextEncoder().encode(JSON.stringify(ed.publicJwk)),
      new TextEncoder().encode(await exportSPKI(publicKey as CryptoKey)),
      Buffer.from(ed.publicJwk.x!, 'base64url'),
    ];
    for (const secret of secrets) {
      const token = await new SignJWT({ rid: 'sale' })
        .setProtectedHeader({ alg: 'HS256', kid: ed.kid, typ: ADMISSION_TOKEN_TYPE })
        .setIssuer('waitroom')
        .setSubject('t-1')
        .setAudience('sale')
        .setIssuedAt()
        .setExpirationTime('10m')
        .setJti('t-1')
        .sign(secret);
      expect(await refusalOf(verifier.verify(token))).toBe('INVALID');
    }
    expect(jwks.fetches).toBe(0);
  });

  it('INVALID for another token type, or none', async () => {
    const verifier = await setUp();
    expect(await refusalOf(verifier.verify(await signAdmission(ed, { typ: 'JWT' })))).toBe('INVALID');
    expect(await refusalOf(verifier.verify(await signAdmission(ed, { typ: 'at+jwt' })))).toBe('INVALID');
    expect(await refusalOf(verifier.verify(await signAdmission(ed, { typ: undefined })))).toBe('INVALID');
  });

  it('INVALID from another issuer', async () => {
    const verifier = await setUp();
    expect(await refusalOf(verifier.verify(await signAdmission(ed, { issuer: 'someone-else' })))).toBe(
      'INVALID',
    );
  });

  it('INVALID without a required claim, or with claims that disagree', async () => {
    const verifier = await setUp();
    for (const claim of ['jti', 'sub', 'iat']) {
      const token = await signAdmission(ed, { claims: { [claim]: undefined } });
      expect(await refusalOf(verifier.verify(token)), claim).toBe('INVALID');
    }
    const disagreeing = await signAdmission(ed, { claims: { rid: 'other' } });
    expect(await refusalOf(verifier.verify(disagreeing))).toBe('INVALID');
    const manyAudiences = await signAdmission(ed, { claims: { aud: ['sale', 'other'] } });
    expect(await refusalOf(verifier.verify(manyAudiences))).toBe('INVALID');
  });

  it('INVALID for what is not a token at all', async () => {
    const verifier = await setUp();
    for (const token of ['abc', 'a.b.c', 'Bearer x', `${'a'.repeat(5000)}.b.c`]) {
      expect(await refusalOf(verifier.verify(token)), token.slice(0, 10)).toBe('INVALID');
    }
  });

  it("WRONG_ROOM for another room's good admission, from the verifier's room or the call's", async () => {
    const verifier = await setUp();
    const other = await signAdmission(ed, { roomId: 'other-sale' });
    expect(await refusalOf(verifier.verify(other))).toBe('WRONG_ROOM');
    expect((await verifier.verify(other, { roomId: 'other-sale' })).roomId).toBe('other-sale');
    const sale = await signAdmission(ed, { roomId: 'sale' });
    expect(await refusalOf(verifier.verify(sale, { roomId: 'other-sale' }))).toBe('WRONG_ROOM');
  });

  it('never quotes the token or its claims in a message', async () => {
    const verifier = await setUp();
    const now = Date.now();
    const cases = [
      await signAdmission(ed, { roomId: 'secret-room', ticketId: 'secret-ticket' }),
      await signAdmission(ed, { roomId: 'sale', ticketId: 'secret-ticket', expiresAt: now - seconds(60) }),
      await signAdmission(ed, { issuer: 'secret-issuer', ticketId: 'secret-ticket' }),
      await signAdmission(stranger, { ticketId: 'secret-ticket' }),
    ];
    for (const token of cases) {
      const error = (await verifier.verify(token).catch((e: unknown) => e)) as AdmissionError;
      expect(error).toBeInstanceOf(AdmissionError);
      const said = `${error.message} ${error.reason ?? ''} ${String(error.stack)}`;
      expect(said).not.toMatch(/secret|ticket/);
      expect(said).not.toContain(token);
    }
  });
});

describe('clocks', () => {
  it('passes within the tolerance of an expiry or a not-before, and not beyond it', async () => {
    const verifier = await setUp();
    const now = Date.now();
    const justExpired = await signAdmission(ed, {
      admittedAt: now - seconds(600),
      expiresAt: now - seconds(2),
    });
    await expect(verifier.verify(justExpired)).resolves.toBeTruthy();
    const longExpired = await signAdmission(ed, {
      admittedAt: now - seconds(600),
      expiresAt: now - seconds(10),
    });
    expect(await refusalOf(verifier.verify(longExpired))).toBe('EXPIRED');
    // A waiting room whose clock runs a little ahead of the shop's.
    const ahead = await signAdmission(ed, {
      admittedAt: now + seconds(3),
      claims: { nbf: Math.floor((now + seconds(3)) / 1000) },
    });
    await expect(verifier.verify(ahead)).resolves.toBeTruthy();
    const farAhead = await signAdmission(ed, { claims: { nbf: Math.floor((now + seconds(60)) / 1000) } });
    expect(await refusalOf(verifier.verify(farAhead))).toBe('INVALID');
  });

  it('takes another tolerance', async () => {
    const verifier = await setUp({ clockToleranceSeconds: 0 });
    const now = Date.now();
    const justExpired = await signAdmission(ed, {
      admittedAt: now - seconds(600),
      expiresAt: now - seconds(2),
    });
    expect(await refusalOf(verifier.verify(justExpired))).toBe('EXPIRED');
  });
});

describe('the key set', () => {
  it('is fetched once and kept', async () => {
    const verifier = await setUp();
    for (let i = 0; i < 5; i++) await verifier.verify(await signAdmission(i % 2 ? ed : ec));
    expect(jwks.fetches).toBe(1);
  });

  it('is fetched again once older than cacheMaxAgeMs', async () => {
    const verifier = await setUp({ cacheMaxAgeMs: 50 });
    await verifier.verify(await signAdmission(ed));
    await new Promise((resolve) => setTimeout(resolve, 80));
    await verifier.verify(await signAdmission(ed));
    expect(jwks.fetches).toBe(2);
  });

  it('is fetched again for an unknown kid: a token of a newly rotated-in key passes, the old one still does', async () => {
    const verifier = await setUp({ cooldownMs: 0 }, [ed]);
    await verifier.verify(await signAdmission(ed));
    expect(jwks.fetches).toBe(1);
    // The waiting room rotates: the new key is published beside the old one and signs from now on.
    const next = await newKey('ES256');
    jwks.keys = [ed.publicJwk, next.publicJwk];
    expect((await verifier.verify(await signAdmission(next, { ticketId: 'after' }))).ticketId).toBe('after');
    expect(jwks.fetches).toBe(2);
    // Tokens of the old key, issued before the rotation, verify until they expire; no fetch for them.
    await verifier.verify(await signAdmission(ed));
    expect(jwks.fetches).toBe(2);
  });

  it('refuses a kid that the refreshed set does not hold either', async () => {
    const verifier = await setUp({ cooldownMs: 0 }, [ed]);
    await verifier.verify(await signAdmission(ed));
    expect(await refusalOf(verifier.verify(await signAdmission(stranger)))).toBe('INVALID');
    expect(jwks.fetches).toBe(2);
  });

  it('is not fetched again for unknown kids within the cooldown (made-up kids cannot hammer the room)', async () => {
    const verifier = await setUp({ cooldownMs: 60_000 }, [ed]);
    await verifier.verify(await signAdmission(ed));
    for (let i = 0; i < 5; i++) {
      const token = await signAdmission(stranger, { kid: `made-up-${i}` });
      expect(await refusalOf(verifier.verify(token))).toBe('INVALID');
    }
    expect(jwks.fetches).toBe(1);
  });

  it('drops a retired key once the cached set is refreshed', async () => {
    const verifier = await setUp({ cacheMaxAgeMs: 50 }, [ed, ec]);
    const old = await signAdmission(ed);
    await verifier.verify(old);
    jwks.keys = [ec.publicJwk];
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await refusalOf(verifier.verify(old))).toBe('INVALID');
  });

  it('is read with the fetch given', async () => {
    await serve([ed]);
    const urls: string[] = [];
    const verifier = createAdmissionVerifier({
      jwksUrl: 'https://queue.example.com/.well-known/jwks.json',
      roomId: 'sale',
      fetch: (url, init) => {
        urls.push(url);
        return fetch(jwks.jwksUrl, init);
      },
    });
    await verifier.verify(await signAdmission(ed));
    expect(urls).toEqual(['https://queue.example.com/.well-known/jwks.json']);
  });
});

describe('KEYS_UNAVAILABLE', () => {
  it('when nothing answers at the JWKS address', async () => {
    const verifier = createAdmissionVerifier({ jwksUrl: await deadUrl(), roomId: 'sale' });
    expect(await refusalOf(verifier.verify(await signAdmission(ed)))).toBe('KEYS_UNAVAILABLE');
  });

  it('when the JWKS answers with an error, or with something that is not a key set', async () => {
    const verifier = await setUp();
    jwks.failWith = 503;
    expect(await refusalOf(verifier.verify(await signAdmission(ed)))).toBe('KEYS_UNAVAILABLE');
    jwks.failWith = undefined;
    jwks.keys = 'nonsense' as never;
    expect(await refusalOf(verifier.verify(await signAdmission(ed)))).toBe('KEYS_UNAVAILABLE');
  });

  it('when the JWKS does not answer in time', async () => {
    const hanging = createServer(() => {});
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const { port } = hanging.address() as AddressInfo;
    try {
      const verifier = createAdmissionVerifier({
        jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
        timeoutMs: 100,
      });
      expect(await refusalOf(verifier.verify(await signAdmission(ed)))).toBe('KEYS_UNAVAILABLE');
    } finally {
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }
  });

  it('not while the cached set is fresh: an outage of the waiting room does not stop the shop', async () => {
    const verifier = await setUp();
    await verifier.verify(await signAdmission(ed));
    jwks.failWith = 503;
    await expect(verifier.verify(await signAdmission(ec))).resolves.toBeTruthy();
    expect(jwks.fetches).toBe(1);
  });

  it('not for a token refused before any key is needed', async () => {
    const verifier = createAdmissionVerifier({ jwksUrl: await deadUrl(), roomId: 'sale' });
    const payload = (await signAdmission(ed)).split('.')[1]!;
    const unsigned = `${base64url({ alg: 'none', typ: ADMISSION_TOKEN_TYPE })}.${payload}.`;
    expect(await refusalOf(verifier.verify(unsigned))).toBe('INVALID');
    expect(await refusalOf(verifier.verify(undefined))).toBe('MISSING');
  });
});

describe('options', () => {
  let url: string;
  beforeAll(async () => {
    url = await deadUrl();
  });

  it('refuses a JWKS address that is not an http(s) URL, and negative durations', () => {
    expect(() => createAdmissionVerifier({ jwksUrl: '/.well-known/jwks.json' })).toThrow(TypeError);
    expect(() => createAdmissionVerifier({ jwksUrl: 'file:///etc/jwks.json' })).toThrow(TypeError);
    expect(() => createAdmissionVerifier({ jwksUrl: url, cooldownMs: -1 })).toThrow(TypeError);
    expect(() => createAdmissionVerifier({ jwksUrl: url, clockToleranceSeconds: Number.NaN })).toThrow(
      TypeError,
    );
  });
});
