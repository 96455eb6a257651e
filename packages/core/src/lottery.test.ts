import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawKey, lotteryOrder, seedCommitment } from './lottery.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const ids = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 40 });

describe('the lottery draw', () => {
  it('orders tickets by SHA-256 of seed, colon and ticket id, lowest first, so anyone can check it', () => {
    fc.assert(
      fc.property(fc.string(), ids, (seed, ticketIds) => {
        const order = lotteryOrder(seed, ticketIds);
        expect([...order].sort()).toEqual([...ticketIds].sort());
        for (let k = 1; k < order.length; k++) {
          expect(sha256(`${seed}:${order[k - 1]}`) < sha256(`${seed}:${order[k]}`)).toBe(true);
        }
        for (const id of ticketIds) expect(drawKey(seed, id)).toBe(sha256(`${seed}:${id}`));
      }),
    );
  });

  it('does not depend on the order the pre-queue was listed in', () => {
    fc.assert(
      fc.property(fc.string(), ids, (seed, ticketIds) => {
        expect(lotteryOrder(seed, [...ticketIds].reverse())).toEqual(lotteryOrder(seed, ticketIds));
      }),
    );
  });

  it('gives another order for another seed', () => {
    const pre = Array.from({ length: 20 }, (_, k) => `t${k}`);
    expect(lotteryOrder('one', pre)).not.toEqual(lotteryOrder('two', pre));
    expect(lotteryOrder('one', pre)).not.toEqual(pre);
  });

  it('publishes a commitment to the seed that the seed, revealed later, can be checked against', () => {
    fc.assert(
      fc.property(fc.string(), (seed) => {
        expect(seedCommitment(seed)).toBe(sha256(seed));
      }),
    );
  });
});
