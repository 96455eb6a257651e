import { describe, expect, it } from 'vitest';
import { randomIdSource } from './random-ids.js';

describe('random ticket ids', () => {
  it('are 16 url-safe characters for 12 bytes and never repeat across pool refills', () => {
    const next = randomIdSource(12);
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const id = next();
      expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
      seen.add(id);
    }
    expect(seen.size).toBe(5000);
  });

  it('come from independent pools for independent sources', () => {
    const a = randomIdSource(12);
    const b = randomIdSource(12);
    expect(a()).not.toBe(b());
  });
});
