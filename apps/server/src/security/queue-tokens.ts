import { createHmac, createSecretKey, hash, type KeyObject, timingSafeEqual } from 'node:crypto';
import {
  InvalidTokenError,
  isBase64url,
  QUEUE_TOKEN_PREFIX,
  type QueueTokenClaims,
  TokenExpiredError,
} from '@waitroom/core';
import { VerifiedTokens } from './verified-tokens.js';

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
  private readonly hmac: Hmac;
  /**
   * Tokens already found genuine, by their exact text: a shopper polling or streaming shows
   * the same token again and again, and a lookup is cheaper than an HMAC. Only genuine
   * tokens enter it (a forged one always pays the HMAC), and it is bounded (verified-tokens.ts).
   */
  private readonly verified: VerifiedTokens | null;
  /** The expiry of the last token issued, and its text. */
  private lastExp = Number.NaN;
  private lastExpText = '';

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly clock: () => number = Date.now,
    cacheSize = 65_536,
  ) {
    this.hmac = new Hmac(Buffer.from(secret, 'utf8'));
    this.verified = cacheSize > 0 ? new VerifiedTokens(cacheSize) : null;
  }

  issue(roomId: string, ticketId: string): string {
    const exp = Math.floor(this.clock() / 1000) + this.ttlSeconds;
    // Every token issued in one second has the same expiry: written once.
    if (exp !== this.lastExp) {
      this.lastExp = exp;
      this.lastExpText = exp.toString(36);
    }
    const body = `${QUEUE_TOKEN_PREFIX}.${roomId}.${ticketId}.${this.lastExpText}`;
    // The prefix and the expiry are ASCII; so is the whole text when the ids are base64url
    // (the server's own and every room id), which spares the HMAC its scan of the text.
    const ascii = isBase64url(roomId) && isBase64url(ticketId);
    return `${body}.${this.hmac.base64url(body, ascii)}`;
  }

  /** The ticket a token names, if the token is genuine, unexpired and for this room. */
  verify(token: string, roomId: string): QueueTokenClaims {
    const claims = this.verified?.find(token, roomId) ?? this.check(token);
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
    // Every part signed has just passed its pattern: the text is ASCII.
    const expected = this.hmac.digest(token.slice(0, token.length - mac.length - 1), true);
    const given = Buffer.from(mac, 'base64url');
    if (
      given.length !== expected.length ||
      given.toString('base64url') !== mac ||
      !timingSafeEqual(given, expected)
    ) {
      throw new InvalidTokenError('The queue token is not valid');
    }
    const claims = { sub: ticket, rid: room, exp: Number.parseInt(expText, 36) };
    this.verified?.add(token, claims);
    return claims;
  }
}

/** Bytes of a key in HMAC-SHA256 (its block); a longer key is hashed first. */
const BLOCK = 64;
/** Any character outside ASCII (surrogates included). */
const NOT_ASCII = /[\u0080-\uffff]/;

/**
 * HMAC-SHA256 (RFC 2104), made for the queue token's short ASCII texts. `createHmac` builds a
 * keyed OpenSSL context for every call, which costs the join more than the hashing does;
 * the same HMAC, H((K ^ opad) || H((K ^ ipad) || text)), is two calls of the one-shot
 * `crypto.hash` with the padded keys worked out once. The inner input is a string (the
 * padded key and the text both ASCII, so their UTF-8 bytes are the bytes HMAC hashes); the
 * outer one a buffer kept for the purpose. A key or a text that is not ASCII, or a key
 * longer than a block, goes to `createHmac`: the result is the same, only slower. The
 * tests check both paths against `createHmac`.
 */
export class Hmac {
  private readonly key: KeyObject;
  /** K ^ ipad as a string, when the fast path applies. */
  private readonly innerPad: string | null = null;
  /** K ^ opad, then room for the inner hash. */
  private readonly outer = Buffer.alloc(BLOCK + 32);
  /** The last digest of the fast path (overwritten by the next: read it at once). ('binary' is
   * latin1, one character per byte, as the one-shot hash names it.) */
  private readonly out = Buffer.alloc(32);

  constructor(secret: Buffer) {
    this.key = createSecretKey(secret);
    if (secret.length <= BLOCK && secret.every((byte) => byte < 0x80)) {
      const inner = Buffer.alloc(BLOCK, 0x36);
      this.outer.fill(0x5c, 0, BLOCK);
      for (let i = 0; i < secret.length; i++) {
        inner[i]! ^= secret[i]!;
        this.outer[i]! ^= secret[i]!;
      }
      this.innerPad = inner.toString('latin1');
    }
  }

  /** The HMAC of `text`, base64url; `ascii` when the caller knows `text` is ASCII. */
  base64url(text: string, ascii = false): string {
    if (!this.outerHashed(text, ascii))
      return createHmac('sha256', this.key).update(text).digest('base64url');
    return hash('sha256', this.outer, 'base64url');
  }

  /**
   * The HMAC of `text`, as 32 bytes; the fast path's buffer is reused by the next call.
   * `ascii` when the caller knows `text` is ASCII.
   */
  digest(text: string, ascii = false): Buffer {
    if (!this.outerHashed(text, ascii)) return createHmac('sha256', this.key).update(text).digest();
    this.out.write(hash('sha256', this.outer, 'binary'), 0, 32, 'latin1');
    return this.out;
  }

  /** Puts H((K ^ ipad) || text) after K ^ opad; false where the fast path does not apply. */
  private outerHashed(text: string, ascii = false): boolean {
    if (this.innerPad === null || (!ascii && NOT_ASCII.test(text))) return false;
    this.outer.write(hash('sha256', this.innerPad + text, 'binary'), BLOCK, 32, 'latin1');
    return true;
  }
}
