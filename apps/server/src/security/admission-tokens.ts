import {
  ADMISSION_TOKEN_TYPE,
  type AdmissionTokenClaims,
  admissionClaims,
  InvalidTokenError,
  TokenExpiredError,
} from '@waitroom/core';
import { createLocalJWKSet, errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { SigningKeys } from './signing-keys.js';

const CACHE_LIMIT = 50_000;

/**
 * Admission tokens: asymmetric JWTs (EdDSA or ES256) whose header names the key (`kid`),
 * so that a shop verifies them offline against /.well-known/jwks.json. Signing costs far
 * more than a queue token's HMAC, so each ticket's token is signed once and kept while the
 * admission lasts.
 */
export class AdmissionTokens {
  private readonly cache = new Map<string, { token: string; exp: number }>();
  private readonly jwks: ReturnType<typeof createLocalJWKSet>;

  constructor(
    private readonly keys: SigningKeys,
    private readonly issuer: string,
    private readonly clock: () => number,
  ) {
    this.jwks = createLocalJWKSet(keys.jwks);
  }

  async issue(roomId: string, ticketId: string, admittedAt: number, expiresAt: number): Promise<string> {
    const cacheKey = `${roomId}\u0000${ticketId}`;
    const hit = this.cache.get(cacheKey);
    if (hit && hit.exp === expiresAt) return hit.token;
    const { current } = this.keys;
    const claims = admissionClaims(this.issuer, roomId, ticketId, admittedAt, expiresAt);
    const token = await new SignJWT({ rid: claims.rid })
      .setProtectedHeader({ alg: current.alg, kid: current.kid, typ: ADMISSION_TOKEN_TYPE })
      .setIssuer(claims.iss)
      .setSubject(claims.sub)
      .setAudience(claims.aud)
      .setIssuedAt(claims.iat)
      .setExpirationTime(claims.exp)
      .setJti(claims.jti)
      .sign(current.privateKey);
    if (this.cache.size >= CACHE_LIMIT) this.evict();
    this.cache.set(cacheKey, { token, exp: expiresAt });
    return token;
  }

  /** Checks an admission token for `roomId` (orders and shops); throws when it is not good. */
  async verify(token: string, roomId?: string): Promise<AdmissionTokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.jwks, {
        algorithms: [...new Set(this.keys.all.map((k) => k.alg))],
        issuer: this.issuer,
        typ: ADMISSION_TOKEN_TYPE,
        clockTolerance: 5,
        currentDate: new Date(this.clock()),
        ...(roomId === undefined ? {} : { audience: roomId }),
        requiredClaims: ['sub', 'exp', 'jti', 'aud'],
      });
      return toClaims(payload);
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new TokenExpiredError('The admission has expired');
      throw new InvalidTokenError('The admission token is not valid here');
    }
  }

  private evict(): void {
    const now = this.clock();
    for (const [key, entry] of this.cache) if (entry.exp <= now) this.cache.delete(key);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
  }
}

function toClaims(payload: JWTPayload): AdmissionTokenClaims {
  const aud = Array.isArray(payload.aud) ? payload.aud[0] : payload.aud;
  return {
    iss: String(payload.iss),
    sub: String(payload.sub),
    aud: String(aud),
    rid: String(payload.rid ?? aud),
    iat: Number(payload.iat),
    exp: Number(payload.exp),
    jti: String(payload.jti),
  };
}
