import { createHash, randomBytes } from 'node:crypto';

/**
 * The shapes of an operator key: a public id (`ok_` and 10 letters or digits) and a secret
 * (`wrk_` and 256 random bits in base64url). A 256-bit random secret needs no slow hash:
 * guessing it is the same work as guessing its SHA-256.
 */
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const SECRET = /^wrk_[A-Za-z0-9_-]{43}$/;

export function newOperatorKeyId(): string {
  let id = '';
  while (id.length < 10) {
    for (const byte of randomBytes(16)) {
      // 252 is the largest multiple of 36 below 256: no letter is likelier than another.
      if (byte < 252 && id.length < 10) id += ID_ALPHABET[byte % ID_ALPHABET.length];
    }
  }
  return `ok_${id}`;
}

export function newOperatorKeySecret(): string {
  return `wrk_${randomBytes(32).toString('base64url')}`;
}

/** Whether a presented token could be an operator key at all (anything else needs no lookup). */
export function looksLikeOperatorKey(token: string): boolean {
  return SECRET.test(token);
}

export function hashOperatorKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
