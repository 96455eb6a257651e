import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE64URL_ALPHABET, base64urlDigit, isBase64url } from './base64url.js';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

describe('isBase64url', () => {
  it('says what the base64url regular expression says, for any string', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: fc.constantFrom(...BASE64URL_ALPHABET) }),
          fc.string({ unit: 'grapheme' }),
          fc.string({ unit: 'binary' }),
          fc.string({
            unit: fc.constantFrom(...BASE64URL_ALPHABET, '.', '=', '+', '/', ' ', 'é', '\u0000', '\u007f'),
          }),
        ),
        (text) => {
          expect(isBase64url(text)).toBe(BASE64URL.test(text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('takes the empty string and every character of the alphabet, and nothing next to them', () => {
    expect(isBase64url('')).toBe(true);
    expect(isBase64url(BASE64URL_ALPHABET)).toBe(true);
    for (let code = 0; code < 0x250; code++) {
      const c = String.fromCharCode(code);
      expect(isBase64url(`ab${c}`)).toBe(BASE64URL_ALPHABET.includes(c));
      expect(base64urlDigit(c, 0)).toBe(BASE64URL_ALPHABET.indexOf(c));
    }
  });
});
