import { describe, expect, it } from 'vitest';
import { createJoinLimit, type JoinLimitStore, memoryJoinLimitStore } from './join-limit.js';

/**
 * The join limit over a rate-limit store, called directly: its verdicts, at once from the
 * in-memory store and as a promise from one that must wait (Redis); a store that fails.
 */
describe('the join limit', () => {
  it('counts each address in its own window, at once in memory, and past the limit says for how long', () => {
    const limit = createJoinLimit(memoryJoinLimitStore(), 3, null, { skipOnError: false })!;
    const verdicts = Array.from({ length: 5 }, () => limit.count('10.0.0.1'));
    // Answered at once: no promise to wait for on the join's path.
    for (const v of verdicts) expect(v).not.toBeInstanceOf(Promise);
    expect(verdicts.map((v) => (v as { exceeded: boolean }).exceeded)).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
    const last = verdicts[4] as { retryAfterSeconds: number };
    expect(last.retryAfterSeconds).toBeGreaterThan(0);
    expect(last.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Another address has its own count.
    expect(limit.count('10.0.0.2')).toEqual({ exceeded: false, retryAfterSeconds: 0 });
  });

  it('is off at 0', () => {
    expect(createJoinLimit(memoryJoinLimitStore(), 0, null, { skipOnError: false })).toBeNull();
  });

  /** A store answering later, as Redis does, with the counts it is given. */
  const later = (
    answer: (n: number) => { error: Error | null; current: number; ttl: number },
  ): JoinLimitStore => {
    let n = 0;
    return {
      incr(_key, callback) {
        const { error, current, ttl } = answer(++n);
        setTimeout(() => (error ? callback(error) : callback(null, { current, ttl })), 1);
      },
    };
  };

  it('waits for a store that answers later, with the same verdicts', async () => {
    const limit = createJoinLimit(
      later((n) => ({ error: null, current: n, ttl: 1500 })),
      1,
      null,
      {
        skipOnError: false,
      },
    )!;
    const first = limit.count('a');
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toEqual({ exceeded: false, retryAfterSeconds: 0 });
    expect(await limit.count('a')).toEqual({ exceeded: true, retryAfterSeconds: 2 });
  });

  it('lets a join through when its store fails and skipOnError is set, and fails it otherwise', async () => {
    const failing = () => later(() => ({ error: new Error('Redis is out of reach'), current: 0, ttl: 0 }));
    const lenient = createJoinLimit(failing(), 1, null, { skipOnError: true })!;
    expect(await lenient.count('a')).toEqual({ exceeded: false, retryAfterSeconds: 0 });
    const strict = createJoinLimit(failing(), 1, null, { skipOnError: false })!;
    await expect(strict.count('a')).rejects.toThrow('Redis is out of reach');
    // A store failing at once throws at once.
    const atOnce = createJoinLimit({ incr: (_k, callback) => callback(new Error('no count')) }, 1, null, {
      skipOnError: false,
    })!;
    expect(() => atOnce.count('a')).toThrow('no count');
  });
});
