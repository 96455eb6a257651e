/** The base64url alphabet (RFC 4648, section 5), a character's value its place in it. */
export const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const VALUES = new Int8Array(128).fill(-1);
for (let v = 0; v < 64; v++) VALUES[BASE64URL_ALPHABET.charCodeAt(v)] = v;

/**
 * The value (0-63) of the base64url character at `k` in `text`, -1 for any other character.
 * For code that reads ids and tokens as numbers (the embedded line's ids, the verified-token
 * table) without decoding them into bytes.
 */
export function base64urlDigit(text: string, k: number): number {
  const code = text.charCodeAt(k);
  return code < 128 ? VALUES[code]! : -1;
}

/**
 * True when every character of `text` is in the base64url alphabet (true for ''): the
 * characters of the ids the server makes, of room ids, of tokens' parts. A loop over a short
 * id costs a fraction of a regular expression's test, on the paths that check every join's.
 */
export function isBase64url(text: string): boolean {
  for (let k = 0; k < text.length; k++) if (base64urlDigit(text, k) < 0) return false;
  return true;
}
