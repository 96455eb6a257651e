import {
  InvalidTokenError,
  QUEUE_TOKEN_TYPE,
  type QueueTokenClaims,
  TokenExpiredError,
} from '@waitroom/core';
import { createSigner, createVerifier, TOKEN_ERROR_CODES, TokenError } from 'fast-jwt';

/**
 * Queue tokens sit on the hot path: every status read verifies one. They are HS256 JWTs
 * signed with a server secret through fast-jwt, whose verifier is synchronous: a read costs
 * one HMAC and two small JSON parses, no promise and no thread hop. (fast-jwt's cache is
 * left off: its key is a hash of the token, which costs as much as the HMAC it would save.)
 * They prove a place in one room's line and nothing else: a distinct `typ`, a pinned
 * algorithm, and claims no admission check accepts.
 */
export class QueueTokens {
  private readonly sign: (claims: QueueTokenClaims) => string;
  private readonly verifier: (token: string) => QueueTokenClaims & { exp: number };

  constructor(secret: string, ttlSeconds: number) {
    this.sign = createSigner({
      key: secret,
      algorithm: 'HS256',
      header: { alg: 'HS256', typ: QUEUE_TOKEN_TYPE },
      expiresIn: ttlSeconds * 1000,
    }) as unknown as (claims: QueueTokenClaims) => string;
    this.verifier = createVerifier({
      key: secret,
      algorithms: ['HS256'],
      checkTyp: QUEUE_TOKEN_TYPE,
      clockTolerance: 5_000,
      requiredClaims: ['sub', 'rid', 'exp'],
    }) as (token: string) => QueueTokenClaims & { exp: number };
  }

  issue(roomId: string, ticketId: string): string {
    return this.sign({ sub: ticketId, rid: roomId });
  }

  /** The ticket a token names, if the token is genuine, unexpired and for this room. */
  verify(token: string, roomId: string): QueueTokenClaims {
    let claims: QueueTokenClaims;
    try {
      claims = this.verifier(token);
    } catch (error) {
      if (error instanceof TokenError && error.code === TOKEN_ERROR_CODES.expired) {
        throw new TokenExpiredError('The queue token has expired');
      }
      throw new InvalidTokenError('The queue token is not valid');
    }
    if (typeof claims.sub !== 'string' || claims.rid !== roomId) {
      throw new InvalidTokenError('The queue token is for another room');
    }
    return claims;
  }
}
