/**
 * The verifier against the real waiting-room server, in-process: tokens the server issues to
 * admitted shoppers verify against its own /.well-known/jwks.json, through a key rotation too.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, startServer, type TestServer } from '../../../apps/server/test/helper.js';
import { AdmissionError } from './errors.js';
import { createAdmissionVerifier } from './verifier.js';

afterEach(cleanUp);

/** Joins `roomId`, lets the operator admit the shopper, and reads the admission token from the status. */
async function admittedToken(
  server: TestServer,
  roomId: string,
): Promise<{ ticketId: string; token: string }> {
  const ticket = await server.join(roomId);
  expect(await server.admit(roomId, 1)).toBe(1);
  const status = await server.status(roomId, ticket.queueToken);
  expect(status.state).toBe('admitted');
  return { ticketId: ticket.ticketId, token: status.admissionToken ?? '' };
}

async function privateJwk(alg: 'EdDSA' | 'ES256'): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, {
    extractable: true,
    crv: alg === 'EdDSA' ? 'Ed25519' : undefined,
  });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, alg, use: 'sig', kid: await calculateJwkThumbprint(jwk) };
}

const kidOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;

describe('against the waiting-room server', () => {
  it("verifies the admission token the server issues, against the server's JWKS", async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', admitRatePerMinute: 0 });
    await server.createRoom({ id: 'other-sale', admitRatePerMinute: 0 });
    const { ticketId, token } = await admittedToken(server, 'sale');

    const verifier = createAdmissionVerifier({
      jwksUrl: `${server.url}/.well-known/jwks.json`,
      roomId: 'sale',
    });
    const admission = await verifier.verify(token);
    expect(admission).toMatchObject({ roomId: 'sale', ticketId, tokenId: ticketId });
    expect(admission.expiresAt.getTime()).toBeGreaterThan(admission.admittedAt.getTime());

    const elsewhere = await admittedToken(server, 'other-sale');
    await expect(verifier.verify(elsewhere.token)).rejects.toMatchObject({ code: 'WRONG_ROOM' });
    // A queue token is no admission.
    const waiting = await server.join('sale');
    await expect(verifier.verify(waiting.queueToken)).rejects.toBeInstanceOf(AdmissionError);
  });

  it('follows a rotation: a token of the new key verifies after a refetch, the old key’s still do', async () => {
    const oldKey = await privateJwk('EdDSA');
    const newKey = await privateJwk('ES256');
    const adminToken = `rotation-${Date.now()}`;
    let current = await startServer({ adminToken, env: { SIGNING_KEYS: JSON.stringify([oldKey]) } });
    await current.createRoom({ id: 'sale', admitRatePerMinute: 0 });
    const before = await admittedToken(current, 'sale');
    expect(kidOf(before.token)).toBe(oldKey.kid);

    // The shop reads the keys at one address, whichever instance answers it.
    const verifier = createAdmissionVerifier({
      jwksUrl: 'https://queue.example.com/.well-known/jwks.json',
      roomId: 'sale',
      cooldownMs: 0,
      fetch: (_url, init) => fetch(`${current.url}/.well-known/jwks.json`, init),
    });
    expect((await verifier.verify(before.token)).ticketId).toBe(before.ticketId);

    // The operator rotates: the new key is listed last (it signs), the old one stays published.
    await current.close();
    current = await startServer({
      adminToken,
      dataDir: current.dataDir,
      env: { SIGNING_KEYS: JSON.stringify([oldKey, newKey]) },
    });
    const after = await admittedToken(current, 'sale');
    expect(kidOf(after.token)).toBe(newKey.kid);
    expect((await verifier.verify(after.token)).ticketId).toBe(after.ticketId);
    expect((await verifier.verify(before.token)).ticketId).toBe(before.ticketId);
  });
});
