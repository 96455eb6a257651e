import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTime } from './iso-time.js';

describe('isoTime', () => {
  it('writes any time as toISOString does, kept seconds or not', () => {
    const near = Date.parse('2026-11-27T10:00:00Z');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: near, max: near + 3_600_000 }),
          fc.integer({ min: 0, max: 253_402_300_799_999 }),
          fc.integer({ min: -8.64e15, max: 8.64e15 }),
          fc.double({ min: -1e13, max: 1e13, noNaN: true }),
        ),
        (ms) => {
          expect(isoTime(ms)).toBe(new Date(ms).toISOString());
          expect(isoTime(ms)).toBe(new Date(ms).toISOString());
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('writes the milliseconds of one second apart, and the edges of the plain form', () => {
    const second = Date.parse('2026-11-27T10:15:42Z');
    for (const milli of [0, 1, 9, 10, 99, 100, 999]) {
      expect(isoTime(second + milli)).toBe(new Date(second + milli).toISOString());
    }
    expect(isoTime(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(isoTime(253_402_300_799_999)).toBe('9999-12-31T23:59:59.999Z');
    expect(isoTime(253_402_300_800_000)).toBe('+010000-01-01T00:00:00.000Z');
    expect(isoTime(-1)).toBe('1969-12-31T23:59:59.999Z');
  });
});
