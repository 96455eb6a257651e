import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashOf, TicketIndex } from './ticket-index.js';

/** The ticket index against a Map doing the same, over random ids, repeats and growth. */
describe('TicketIndex', () => {
  const indexOver = () => {
    const ids: string[] = [];
    const index = new TicketIndex((slot, id) => ids[slot] === id);
    return { ids, index };
  };

  it('finds every id added, in its slot, refuses one already there, and knows none other', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 20 }), fc.base64String({ minLength: 16, maxLength: 16 })), {
          maxLength: 3000,
        }),
        fc.array(fc.string({ maxLength: 20 }), { maxLength: 50 }),
        (added, asked) => {
          const { ids, index } = indexOver();
          const model = new Map<string, number>();
          for (const id of added) {
            const fresh = !model.has(id);
            ids.push(id);
            expect(index.add(id, ids.length - 1)).toBe(fresh);
            if (fresh) model.set(id, ids.length - 1);
            else ids.pop();
          }
          expect(index.size).toBe(model.size);
          for (const [id, slot] of model) expect(index.get(id)).toBe(slot);
          for (const id of asked) expect(index.get(id)).toBe(model.get(id));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('tells apart ids whose hashes are equal', () => {
    // Two ids with one hash, found by search over short ids.
    const seen = new Map<number, string>();
    let pair: [string, string] | null = null;
    for (let n = 0; pair === null; n++) {
      const id = n.toString(36);
      const other = seen.get(hashOf(id));
      if (other !== undefined) pair = [other, id];
      seen.set(hashOf(id), id);
    }
    const { ids, index } = indexOver();
    ids.push(pair[0]);
    expect(index.add(pair[0], 0)).toBe(true);
    expect(index.get(pair[1])).toBeUndefined();
    ids.push(pair[1]);
    expect(index.add(pair[1], 1)).toBe(true);
    expect(index.get(pair[0])).toBe(0);
    expect(index.get(pair[1])).toBe(1);
  });

  it('holds a million ids', () => {
    const { ids, index } = indexOver();
    for (let i = 0; i < 1_000_000; i++) {
      ids.push(`t${i}`);
      index.add(ids[i]!, i);
    }
    expect(index.size).toBe(1_000_000);
    for (let i = 0; i < 1_000_000; i += 997) expect(index.get(`t${i}`)).toBe(i);
    expect(index.get('t1000000')).toBeUndefined();
  });
});
