import { randomBytes } from 'node:crypto';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey as JoseKey,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import { createSecretFileOnce, readSecretFile, writeSecretFile } from './data-files.js';

export const KEYS_FILE = 'signing-keys.json';
const QUEUE_SECRET_FILE = 'queue-token.secret';
const ALGORITHMS = ['EdDSA', 'ES256'] as const;
export type SigningAlgorithm = (typeof ALGORITHMS)[number];

export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: JoseKey;
  publicJwk: JWK;
}

export interface SigningKeys {
  /** The key that signs new admission tokens: the last one listed. */
  current: SigningKey;
  /** Every key whose tokens still verify (the current one and those it replaced). */
  all: SigningKey[];
  jwks: JSONWebKeySet;
}

export class KeyConfigError extends Error {}

/**
 * The admission tokens' signing keys: SIGNING_KEYS (a private JWK, an array of them or a
 * JWK set, the last one signing), or the data folder's signing-keys.json, created on first
 * start with a new Ed25519 key (mode 0600).
 */
export async function loadSigningKeys(dataDir: string, configured: string | undefined): Promise<SigningKeys> {
  let jwks: JWK[];
  if (configured !== undefined) {
    jwks = parseJwkList(configured, 'SIGNING_KEYS');
  } else {
    const stored = readSecretFile(dataDir, KEYS_FILE);
    if (stored !== null) {
      jwks = parseJwkList(stored, KEYS_FILE);
    } else {
      const fresh = `${JSON.stringify({ keys: [await newPrivateJwk('EdDSA')] }, null, 2)}\n`;
      jwks = parseJwkList(createSecretFileOnce(dataDir, KEYS_FILE, fresh).content, KEYS_FILE);
    }
  }
  const all = await Promise.all(jwks.map(importSigningKey));
  const current = all[all.length - 1];
  if (!current) throw new KeyConfigError('SIGNING_KEYS holds no key');
  return { current, all, jwks: { keys: all.map((k) => k.publicJwk) } };
}

/** A new private JWK with its `kid` (the key's thumbprint) and `alg`. */
export async function newPrivateJwk(alg: SigningAlgorithm): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, {
    extractable: true,
    crv: alg === 'EdDSA' ? 'Ed25519' : undefined,
  });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, alg, use: 'sig', kid: await calculateJwkThumbprint(jwk) };
}

export function parseJwkList(text: string, source: string): JWK[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new KeyConfigError(`${source} is not valid JSON`);
  }
  const list = Array.isArray(parsed)
    ? parsed
    : parsed !== null && typeof parsed === 'object' && Array.isArray((parsed as { keys?: unknown }).keys)
      ? (parsed as { keys: unknown[] }).keys
      : [parsed];
  if (list.length === 0) throw new KeyConfigError(`${source} holds no key`);
  return list.map((k, i) => {
    if (k === null || typeof k !== 'object' || typeof (k as JWK).d !== 'string') {
      throw new KeyConfigError(`${source} key ${i + 1} is not a private JWK`);
    }
    return k as JWK;
  });
}

async function importSigningKey(jwk: JWK, index: number): Promise<SigningKey> {
  const alg = (jwk.alg ??
    (jwk.kty === 'OKP' ? 'EdDSA' : jwk.kty === 'EC' ? 'ES256' : undefined)) as SigningAlgorithm;
  const okCurve = (alg === 'EdDSA' && jwk.crv === 'Ed25519') || (alg === 'ES256' && jwk.crv === 'P-256');
  if (!ALGORITHMS.includes(alg) || !okCurve) {
    throw new KeyConfigError(
      `signing key ${index + 1} must be an Ed25519 (EdDSA) or P-256 (ES256) private JWK`,
    );
  }
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicPart } = jwk;
  const kid = jwk.kid ?? (await calculateJwkThumbprint(publicPart));
  let privateKey: JoseKey;
  try {
    privateKey = (await importJWK({ ...jwk, alg }, alg)) as JoseKey;
  } catch {
    throw new KeyConfigError(`signing key ${index + 1} could not be imported`);
  }
  return {
    kid,
    alg,
    privateKey,
    publicJwk: {
      kty: publicPart.kty,
      crv: publicPart.crv,
      x: publicPart.x,
      y: publicPart.y,
      alg,
      use: 'sig',
      kid,
    },
  };
}

/** The queue tokens' HMAC secret: QUEUE_TOKEN_SECRET, or generated into the data folder. */
export function loadQueueSecret(dataDir: string, configured: string | undefined): string {
  if (configured !== undefined) return configured;
  const stored = readSecretFile(dataDir, QUEUE_SECRET_FILE)?.trim();
  if (stored && stored.length >= 32) return stored;
  const secret = randomBytes(32).toString('base64url');
  if (stored === undefined) {
    // No file yet: create it, or take the one another instance created a moment ago.
    return createSecretFileOnce(dataDir, QUEUE_SECRET_FILE, `${secret}\n`).content.trim();
  }
  writeSecretFile(dataDir, QUEUE_SECRET_FILE, `${secret}\n`);
  return secret;
}
