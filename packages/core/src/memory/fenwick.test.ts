import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fenwick } from './fenwick.js';

type Op = { kind: 'push'; value: number } | { kind: 'add'; at: number; delta: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('push' as const), value: fc.integer({ min: 0, max: 1 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      at: fc.nat(),
      delta: fc.integer({ min: -3, max: 3 }),
    }),
  },
);

/** Every prefix sum, the naive way. */
function naivePrefix(values: readonly number[], index: number): number {
  let sum = 0;
  for (let i = 0; i <= index && i < values.length; i++) sum += values[i]!;
  return sum;
}

describe('the Fenwick tree behind positions', () => {
  it('answers every prefix sum as a plain array would, however it grew', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.array(opArb, { maxLength: 300, size: 'max' }),
        (capacity, ops) => {
          const tree = new Fenwick(capacity);
          const values: number[] = [];
          for (const op of ops) {
            if (op.kind === 'push') {
              expect(tree.push(op.value)).toBe(values.length);
              values.push(op.value);
            } else if (values.length > 0) {
              const at = op.at % values.length;
              tree.add(at, op.delta);
              values[at]! += op.delta;
            }
            expect(tree.length).toBe(values.length);
          }
          for (let i = -1; i <= values.length + 1; i++) expect(tree.prefix(i)).toBe(naivePrefix(values, i));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps its sums through growth far past its first capacity', () => {
    const tree = new Fenwick(1);
    const values: number[] = [];
    for (let i = 0; i < 5_000; i++) {
      const value = i % 3 === 0 ? 0 : 1;
      tree.push(value);
      values.push(value);
      if (i % 7 === 0) {
        const at = (i * 31) % values.length;
        tree.add(at, -values[at]!);
        values[at] = 0;
      }
    }
    let sum = 0;
    for (let i = 0; i < values.length; i++) {
      sum += values[i]!;
      expect(tree.prefix(i)).toBe(sum);
    }
  });

  it('counts a position pushed after earlier ones were removed', () => {
    const tree = new Fenwick(2);
    for (let i = 0; i < 6; i++) tree.push(1);
    tree.add(1, -1);
    tree.add(4, -1);
    expect(tree.push(1)).toBe(6);
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => tree.prefix(i))).toEqual([1, 1, 2, 3, 3, 4, 5]);
  });
});
