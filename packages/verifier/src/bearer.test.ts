import { describe, expect, it } from 'vitest';
import { bearerToken } from './bearer.js';

describe('bearerToken', () => {
  it('reads the token of an Authorization: Bearer header', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer   abc.def.ghi  ')).toBe('abc.def.ghi');
  });

  it('gives undefined for a header that is missing, repeated or of another kind', () => {
    for (const value of [undefined, null, '', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'abc.def.ghi']) {
      expect(bearerToken(value), String(value)).toBeUndefined();
    }
    expect(bearerToken(['Bearer a', 'Bearer b'])).toBeUndefined();
    expect(bearerToken(`Bearer ${'a'.repeat(4097)}`)).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
  });
});
