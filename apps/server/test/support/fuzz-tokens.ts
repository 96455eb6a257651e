import { ADMISSION_TOKEN_TYPE } from '@waitroom/core';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import { QueueTokens } from '../../src/security/queue-tokens.js';
import type { TestServer } from '../helper.js';
import type { ForgedToken, KnownToken } from './fuzz-parts.js';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Tokens that must open nothing, made from the documented formats (and, for some, the real keys). */
export async function forgedTokens(
  server: TestServer,
  known: Record<KnownToken, string>,
  serverJwk: JWK,
  queueSecret: string,
): Promise<Record<ForgedToken, string>> {
  const [head, payload, signature] = known.admission.split('.') as [string, string, string];
  const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as Record<string, unknown>;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as JWTPayload & { rid: string };
  const serverKey = await importJWK(serverJwk, serverJwk.alg);
  const foreign = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const publicX = (await exportJWK(await importJWK({ ...serverJwk, d: undefined }, serverJwk.alg))).x ?? '';
  const sign = (body: JWTPayload, extraHeader: Record<string, unknown> = {}, key = serverKey) =>
    new SignJWT(body)
      .setProtectedHeader({
        alg: String(header.alg),
        kid: String(header.kid),
        typ: ADMISSION_TOKEN_TYPE,
        ...extraHeader,
      })
      .sign(key);
  const now = Math.floor(server.clock.now / 1000);
  const queue = server.app.waitroom.queueTokens;
  const [q, room, ticket, exp] = known.queue.split('.') as [string, string, string, string];
  return {
    'alg-none': `${b64({ alg: 'none', typ: ADMISSION_TOKEN_TYPE, kid: header.kid })}.${payload}.`,
    'alg-none-upper': `${b64({ alg: 'NONE', typ: ADMISSION_TOKEN_TYPE })}.${payload}.`,
    'hs256-with-public-key': await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: String(header.kid), typ: ADMISSION_TOKEN_TYPE })
      .sign(new TextEncoder().encode(publicX)),
    'foreign-key-same-kid': await sign(claims, {}, foreign.privateKey),
    'tampered-sub': `${head}.${b64({ ...claims, sub: 'someone-else' })}.${signature}`,
    'tampered-room': `${head}.${b64({ ...claims, rid: 'shut', aud: 'shut' })}.${signature}`,
    'no-kid': await new SignJWT(claims)
      .setProtectedHeader({ alg: String(header.alg), typ: ADMISSION_TOKEN_TYPE })
      .sign(foreign.privateKey),
    'kid-traversal': await sign(claims, { kid: '../../../../dev/null' }, foreign.privateKey),
    'jku-header': await sign(
      claims,
      { jku: 'https://evil.example/jwks.json', kid: 'evil' },
      foreign.privateKey,
    ),
    'wrong-typ': await sign(claims, { typ: 'JWT' }),
    'signed-expired': await sign({ ...claims, iat: now - 7200, exp: now - 3600 }),
    'signed-proto-sub': await sign({ ...claims, sub: '__proto__', jti: '__proto__' }),
    'signed-constructor-room': await sign({ ...claims, rid: 'constructor', aud: 'constructor' }),
    'signed-long-sub': await sign({ ...claims, sub: 'x'.repeat(3000) }),
    'signed-empty-sub': await sign({ ...claims, sub: '' }),
    'signed-unicode-sub': await sign({ ...claims, sub: '😀\u0000{sale}:tickets' }),
    'queue-bad-mac': `${q}.${room}.${ticket}.${exp}.${b64({}).padEnd(43, 'A')}`,
    'queue-proto-ticket': queue.issue('sale', '__proto__'),
    'queue-constructor-room': queue.issue('constructor', 'constructor'),
    'queue-expired': new QueueTokens(queueSecret, 60, () => server.clock.now - 3_600_000).issue(room, ticket),
    'admin-with-suffix': `${known.admin}x`,
    'admin-truncated': known.admin.slice(0, -1),
    'read-key-truncated': known['read-key'].slice(0, -1),
  };
}
