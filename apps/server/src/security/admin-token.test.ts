import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';

// Every comparison the module makes goes through this spy, which compares as Node does.
const compared = vi.hoisted(() => ({ calls: [] as [number, number][] }));
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  return {
    ...crypto,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      compared.calls.push([a.byteLength, b.byteLength]);
      return crypto.timingSafeEqual(a, b);
    },
  };
});

const { isAdminToken } = await import('./admin-token.js');

describe('the operator token comparison', () => {
  const token = 'wr_admin_correct-horse-battery-staple-0123456789';
  const credential = { hash: createHash('sha256').update(token).digest(), generated: null };

  it('compares equal-length digests with timingSafeEqual, once a call, whatever the length presented', () => {
    const presented = [
      '',
      'x',
      token.slice(0, -1),
      `${token.slice(0, -1)}X`,
      `${token}x`,
      'y'.repeat(4096),
      token,
    ];
    compared.calls.length = 0;
    const answers = presented.map((candidate) => isAdminToken(credential, candidate));
    expect(answers).toEqual([false, false, false, false, false, false, true]);
    // Never a short cut on length or on a first differing character: one comparison of two
    // SHA-256 digests (32 bytes each) for every token, right or wrong.
    expect(compared.calls).toEqual(presented.map(() => [32, 32]));
  });
});
