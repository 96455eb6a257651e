import {
  createRemoteJWKSet,
  customFetch,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { AdmissionError } from './errors.js';

/** The `typ` header of an admission token (the same as `ADMISSION_TOKEN_TYPE` in @waitroom/core). */
export const ADMISSION_TOKEN_TYPE = 'wr-admission+jwt';
/** The only algorithms the waiting room signs with; anything else (`none`, `HS256`, …) is refused. */
export const ADMISSION_ALGORITHMS: readonly string[] = Object.freeze(['EdDSA', 'ES256']);

/** Longer than any admission token (they are a few hundred characters); refused before parsing. */
const MAX_TOKEN_LENGTH = 4096;

/** A `fetch` the JWKS is read with (the global one by default). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface AdmissionVerifierOptions {
  /** `<waiting room>/.well-known/jwks.json`. */
  jwksUrl: string | URL;
  /** The `iss` the waiting room signs with (its TOKEN_ISSUER). Default 'waitroom'. */
  issuer?: string;
  /**
   * The room (the sale) this shop accepts admissions for: the token's audience. Leave it out
   * only to accept any room of the waiting room, or pass it to each `verify` call instead.
   */
  roomId?: string;
  /** Leeway for `exp` and `nbf` against clocks that differ a little. Default 5 seconds. */
  clockToleranceSeconds?: number;
  /** How long a fetched key set is used before it is fetched again. Default 5 minutes (the JWKS's Cache-Control). */
  cacheMaxAgeMs?: number;
  /**
   * After a fetch, how long a token naming an unknown key is refused without fetching again,
   * so that made-up `kid`s cannot make the shop hammer the waiting room. Default 30 seconds.
   */
  cooldownMs?: number;
  /** How long a JWKS fetch may take. Default 5 seconds. */
  timeoutMs?: number;
  /** The `fetch` to read the JWKS with (a proxy, a test double); the global one by default. */
  fetch?: FetchLike;
}

export interface VerifyOptions {
  /** The room the admission must be for; overrides the verifier's `roomId` for this call. */
  roomId?: string | undefined;
}

/** What a good admission token says. */
export interface Admission {
  roomId: string;
  ticketId: string;
  admittedAt: Date;
  /** The admission ends then: the shop should not accept the token after it. */
  expiresAt: Date;
  /** The token's `jti`: one per admission, to refuse a second use if the shop wants to. */
  tokenId: string;
}

export interface AdmissionVerifier {
  /** Resolves to the admission, or rejects with an `AdmissionError`. */
  verify(token: string | null | undefined, options?: VerifyOptions): Promise<Admission>;
}

export const DEFAULTS = Object.freeze({
  issuer: 'waitroom',
  clockToleranceSeconds: 5,
  cacheMaxAgeMs: 5 * 60_000,
  cooldownMs: 30_000,
  timeoutMs: 5_000,
});

/** Thrown by the key resolver when the key set itself could not be had. */
class KeysUnavailable extends Error {}

/**
 * A verifier of admission tokens against the waiting room's JWKS, fetched when first needed,
 * kept `cacheMaxAgeMs`, and fetched again early when a token names a key it does not hold
 * (a rotation), at most once per `cooldownMs`.
 */
export function createAdmissionVerifier(options: AdmissionVerifierOptions): AdmissionVerifier {
  const url = jwksUrlOf(options.jwksUrl);
  const issuer = options.issuer ?? DEFAULTS.issuer;
  const clockTolerance = nonNegative(
    options.clockToleranceSeconds ?? DEFAULTS.clockToleranceSeconds,
    'clockToleranceSeconds',
  );
  const remote = createRemoteJWKSet(url, {
    cacheMaxAge: nonNegative(options.cacheMaxAgeMs ?? DEFAULTS.cacheMaxAgeMs, 'cacheMaxAgeMs'),
    cooldownDuration: nonNegative(options.cooldownMs ?? DEFAULTS.cooldownMs, 'cooldownMs'),
    timeoutDuration: Math.ceil(nonNegative(options.timeoutMs ?? DEFAULTS.timeoutMs, 'timeoutMs')),
    ...(options.fetch ? { [customFetch]: options.fetch } : {}),
  });

  // A key that is not in the set is the token's fault; a set that cannot be fetched or read is not.
  const getKey: JWTVerifyGetKey = async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
        throw error;
      }
      throw new KeysUnavailable();
    }
  };

  return {
    async verify(token, verifyOptions = {}) {
      if (typeof token !== 'string' || token === '') throw new AdmissionError('MISSING');
      if (token.length > MAX_TOKEN_LENGTH) throw new AdmissionError('INVALID', 'too long');
      const roomId = verifyOptions.roomId ?? options.roomId;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          algorithms: [...ADMISSION_ALGORITHMS],
          typ: ADMISSION_TOKEN_TYPE,
          issuer,
          ...(roomId === undefined ? {} : { audience: roomId }),
          clockTolerance,
          requiredClaims: ['sub', 'aud', 'iat', 'exp', 'jti'],
        }));
      } catch (error) {
        throw refusal(error);
      }
      const admission = admissionOf(payload);
      if (roomId !== undefined && admission.roomId !== roomId) throw new AdmissionError('WRONG_ROOM');
      return admission;
    },
  };
}

/** The same as `verifier.verify(token, options)`. */
export function verifyAdmissionToken(
  token: string | null | undefined,
  verifier: AdmissionVerifier,
  options?: VerifyOptions,
): Promise<Admission> {
  return verifier.verify(token, options);
}

function refusal(error: unknown): AdmissionError {
  if (error instanceof KeysUnavailable) return new AdmissionError('KEYS_UNAVAILABLE');
  if (error instanceof errors.JWTExpired) return new AdmissionError('EXPIRED');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud' && error.reason === 'check_failed') return new AdmissionError('WRONG_ROOM');
    return new AdmissionError('INVALID', `${error.claim} ${error.reason}`);
  }
  if (error instanceof errors.JOSEError) return new AdmissionError('INVALID', error.code);
  return new AdmissionError('INVALID');
}

/** The admission a verified payload states; the waiting room's own tokens always fit. */
function admissionOf(payload: JWTPayload): Admission {
  const { sub, aud, rid, iat, exp, jti } = payload;
  if (typeof sub !== 'string' || sub === '') throw new AdmissionError('INVALID', 'sub invalid');
  if (typeof jti !== 'string' || jti === '') throw new AdmissionError('INVALID', 'jti invalid');
  if (typeof aud !== 'string' || aud === '') throw new AdmissionError('INVALID', 'aud invalid');
  if (rid !== undefined && rid !== aud) throw new AdmissionError('INVALID', 'rid invalid');
  // jose has checked that iat and exp are numbers (both are required).
  return {
    roomId: aud,
    ticketId: sub,
    admittedAt: new Date(Number(iat) * 1000),
    expiresAt: new Date(Number(exp) * 1000),
    tokenId: jti,
  };
}

function jwksUrlOf(value: string | URL): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError('jwksUrl must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError('jwksUrl must be an http: or https: URL');
  }
  return url;
}

function nonNegative(value: number, name: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new TypeError(`${name} must be a number of 0 or more`);
  }
  return value;
}
