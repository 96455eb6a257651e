import { describe, expect, it } from 'vitest';
import { batchPerTurn } from './turn-batch.js';

describe('batchPerTurn', () => {
  it('sends the calls of one turn together, by key, each answered in the order it came', async () => {
    const sent: [string, number[]][] = [];
    const call = batchPerTurn(async (key: string, items: number[]) => {
      sent.push([key, [...items]]);
      return items.map((n) => `${key}:${n * 10}`);
    });
    const answers = await Promise.all([call('a', 1), call('b', 2), call('a', 3), call('a', 4)]);
    expect(answers).toEqual(['a:10', 'b:20', 'a:30', 'a:40']);
    expect(sent).toEqual([
      ['a', [1, 3, 4]],
      ['b', [2]],
    ]);
    // A later turn is a batch of its own.
    expect(await call('a', 5)).toBe('a:50');
    expect(sent).toHaveLength(3);
  });

  it('fails only the call answered with an error, and every call when the send fails', async () => {
    const call = batchPerTurn(async (_key: string, items: number[]) =>
      items.map((n) => (n < 0 ? new Error(`bad ${n}`) : n)),
    );
    const settled = await Promise.allSettled([call('k', 1), call('k', -2), call('k', 3)]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason.message).toBe('bad -2');

    const broken = batchPerTurn(async (): Promise<number[]> => {
      throw new Error('down');
    });
    const all = await Promise.allSettled([broken('k', 1), broken('k', 2)]);
    expect(all.map((s) => s.status)).toEqual(['rejected', 'rejected']);
  });

  it('starts a new batch when one is full', async () => {
    const sizes: number[] = [];
    const call = batchPerTurn(async (_key: string, items: number[]) => {
      sizes.push(items.length);
      return items;
    }, 3);
    const answers = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => call('k', n)));
    expect(answers).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(sizes).toEqual([3, 3, 1]);
  });

  it('fails a call its batch gave no answer for', async () => {
    const call = batchPerTurn(async (_key: string, items: number[]) => items.slice(1));
    const settled = await Promise.allSettled([call('k', 1), call('k', 2)]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
  });
});
