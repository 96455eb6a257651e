import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import {
  InvalidTokenError,
  QUEUE_TOKEN_PREFIX,
  type QueueTokenClaims,
  TokenExpiredError,
} from '@waitroom/core';

/** Tolerated clock difference between instances, in seconds. */
const CLOCK_SKEW_SECONDS = 5;
const PART = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Queue tokens sit on the hottest path: every status read and every join handles one. A
 * queue token is a signed id, not a bearer of claims, so it is the smallest thing that
 * proves a place: `q1.<room>.<ticket>.<expiry, base 36>.<HMAC-SHA256, base64url>` over the
 * four parts before it, with the server's secret. Checking one costs one HMAC and a
 * constant-time compare, a third of what a general JWT library spends on an HS256 token
 * (see docs/decisions/0001-queue-token-signing.md). It can never pass as an admission
 * token, which is an EdDSA JWT checked against the published keys, nor the reverse.
 */
export class QueueTokens {
  private readonly key: KeyObject;
  /**
   * Tokens already found genuine, by their exact text: a shopper polling or streaming shows
   * the same token again and again, and a map lookup is cheaper than an HMAC. Only genuine
   * tokens enter it (a forged one always pays the HMAC), and it is bounded, oldest out first.
   */
  private readonly verified = new Map<string, QueueTokenClaims>();

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly clock: () => number = Date.now,
    private readonly cacheSize = 100_000,
  ) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  issue(roomId: string, ticketId: string): string {
    const exp = Math.floor(this.clock() / 1000) + this.ttlSeconds;
    const body = `${QUEUE_TOKEN_PREFIX}.${roomId}.${ticketId}.${exp.toString(36)}`;
    return `${body}.${this.mac(body)}`;
  }

  /** The ticket a token names, if the token is genuine, unexpired and for this room. */
  verify(token: string, roomId: string): QueueTokenClaims {
    const claims = this.verified.get(token) ?? this.check(token);
    if (claims.rid !== roomId) throw new InvalidTokenError('The queue token is for another room');
    if (claims.exp + CLOCK_SKEW_SECONDS < this.clock() / 1000)
      throw new TokenExpiredError('The queue token has expired');
    return claims;
  }

  /** Checks a token's form and signature, and remembers it when genuine. */
  private check(token: string): QueueTokenClaims {
    const parts = token.split('.');
    if (parts.length !== 5 || parts[0] !== QUEUE_TOKEN_PREFIX)
      throw new InvalidTokenError('The queue token is not valid');
    const [, room, ticket, expText, mac] = parts as [string, string, string, string, string];
    if (!PART.test(room) || !PART.test(ticket) || !/^[0-9a-z]{1,12}$/.test(expText)) {
      throw new InvalidTokenError('The queue token is not valid');
    }
    const expected = this.digest(token.slice(0, token.length - mac.length - 1));
    const given = Buffer.from(mac, 'base64url');
    if (
      given.length !== expected.length ||
      given.toString('base64url') !== mac ||
      !timingSafeEqual(given, expected)
    ) {
      throw new InvalidTokenError('The queue token is not valid');
    }
    const claims = { sub: ticket, rid: room, exp: Number.parseInt(expText, 36) };
    if (this.cacheSize > 0) {
      if (this.verified.size >= this.cacheSize) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, claims);
    }
    return claims;
  }

  private mac(body: string): string {
    return this.digest(body).toString('base64url');
  }

  private digest(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest();
  }
}
