import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { admissionClaims } from '@waitroom/core';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWK,
  SignJWT,
} from 'jose';
import { ADMISSION_TOKEN_TYPE, type AdmissionVerifier, createAdmissionVerifier } from '../verifier.js';

export interface TestKey {
  kid: string;
  alg: 'EdDSA' | 'ES256';
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** A signing key made the way the waiting room makes its own (signing-keys.ts): kid = thumbprint. */
export async function newKey(alg: 'EdDSA' | 'ES256'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, {
    extractable: true,
    crv: alg === 'EdDSA' ? 'Ed25519' : undefined,
  });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, alg, privateKey, publicJwk: { ...jwk, alg, use: 'sig', kid } };
}

export interface SignOptions {
  roomId?: string;
  ticketId?: string;
  issuer?: string;
  /** Milliseconds since the epoch. */
  admittedAt?: number;
  expiresAt?: number;
  /** Header overrides. */
  typ?: string | undefined;
  kid?: string;
  /** Extra or replaced claims. */
  claims?: Record<string, unknown>;
}

/**
 * An admission token signed as the server's AdmissionTokens.issue signs it (the same header
 * and claims); `claims` adds, replaces or (with undefined) leaves out claims.
 */
export async function signAdmission(key: TestKey, options: SignOptions = {}): Promise<string> {
  const now = Date.now();
  const claims = admissionClaims(
    options.issuer ?? 'waitroom',
    options.roomId ?? 'sale',
    options.ticketId ?? 'ticket-1',
    options.admittedAt ?? now,
    options.expiresAt ?? now + 10 * 60_000,
  );
  const typ = 'typ' in options ? options.typ : ADMISSION_TOKEN_TYPE;
  // The server's SignJWT calls put the claims in this order: rid, then iss, sub, aud, iat, exp, jti.
  const { rid, iss, sub, aud, iat, exp, jti } = claims;
  const payload = Object.fromEntries(
    Object.entries({ rid, iss, sub, aud, iat, exp, jti, ...options.claims }).filter(
      ([, v]) => v !== undefined,
    ),
  );
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: options.kid ?? key.kid, ...(typ === undefined ? {} : { typ }) })
    .sign(key.privateKey);
}

export function base64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** A small HTTP server of a JWKS the test changes at will; it counts the fetches. */
export interface JwksServer {
  url: string;
  jwksUrl: string;
  keys: JWK[];
  /** When set, the JWKS answers with this status and no keys. */
  failWith: number | undefined;
  fetches: number;
  close(): Promise<void>;
}

export async function startJwksServer(keys: TestKey[]): Promise<JwksServer> {
  const state: JwksServer = {
    url: '',
    jwksUrl: '',
    keys: keys.map((k) => k.publicJwk),
    failWith: undefined,
    fetches: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    state.fetches++;
    if (state.failWith !== undefined) {
      res.writeHead(state.failWith, { 'content-type': 'application/json' }).end('{"error":{}}');
      return;
    }
    const body: JSONWebKeySet = { keys: state.keys };
    res
      .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' })
      .end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  state.jwksUrl = `${state.url}/.well-known/jwks.json`;
  return state;
}

/** A URL on which nothing listens: a server that is down. */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/.well-known/jwks.json`;
}

/** What a middleware test needs: a key, a JWKS server publishing it, and two verifiers. */
export interface ShopKeys {
  key: TestKey;
  jwks: JwksServer;
  /** Room `sale`, against `jwks`. */
  verifier: AdmissionVerifier;
  /** Room `sale`, against a JWKS URL on which nothing listens. */
  down: AdmissionVerifier;
}

export async function shopKeys(alg: 'EdDSA' | 'ES256'): Promise<ShopKeys> {
  const key = await newKey(alg);
  const jwks = await startJwksServer([key]);
  return {
    key,
    jwks,
    verifier: createAdmissionVerifier({ jwksUrl: jwks.jwksUrl, roomId: 'sale' }),
    down: createAdmissionVerifier({ jwksUrl: await deadUrl(), roomId: 'sale' }),
  };
}
