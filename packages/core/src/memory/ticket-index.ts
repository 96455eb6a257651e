/**
 * A line's ticket ids to their slots (the index of the ticket's record in the line). A join
 * adds one id to a table that may hold millions, and every status read looks one up: in a
 * `Map` of strings each of those touches several scattered places in memory (the bucket, the
 * entry, the key). Here it is an open-addressing table (linear probing, at most half full) in
 * one typed array of pairs, the slot and the id's hash side by side: a lookup reads one pair,
 * and compares the id itself only when the hashes match. Ids are only ever added, never
 * removed (a ticket keeps its slot until the line is rebuilt at the next start).
 */
export class TicketIndex {
  /** Pairs: slot + 1 (0: empty), then the id's hash. */
  private table = new Int32Array(2 * INITIAL);
  private mask = INITIAL - 1;
  private count = 0;

  /** `holds(slot, id)`: whether `slot` holds `id`, to tell apart ids whose hashes are equal. */
  constructor(private readonly holds: (slot: number, id: string) => boolean) {}

  get size(): number {
    return this.count;
  }

  /** The slot of `id`, or undefined. */
  get(id: string): number | undefined {
    const hash = hashOf(id);
    const table = this.table;
    for (let p = hash & this.mask; ; p = (p + 1) & this.mask) {
      const held = table[2 * p]!;
      if (held === 0) return undefined;
      if (table[2 * p + 1] === hash && this.holds(held - 1, id)) return held - 1;
    }
  }

  /** Puts `id` in `slot`; false, changing nothing, when `id` is already there. */
  add(id: string, slot: number): boolean {
    if (2 * (this.count + 1) > this.mask + 1) this.grow();
    const hash = hashOf(id);
    const table = this.table;
    let p = hash & this.mask;
    for (; ; p = (p + 1) & this.mask) {
      const held = table[2 * p]!;
      if (held === 0) break;
      if (table[2 * p + 1] === hash && this.holds(held - 1, id)) return false;
    }
    table[2 * p] = slot + 1;
    table[2 * p + 1] = hash;
    this.count++;
    return true;
  }

  /** Twice the room, every pair moved to its place in the new table (no id is read). */
  private grow(): void {
    const old = this.table;
    const size = 2 * (this.mask + 1);
    const table = new Int32Array(2 * size);
    const mask = size - 1;
    for (let q = 0; q < old.length; q += 2) {
      const held = old[q]!;
      if (held === 0) continue;
      const hash = old[q + 1]!;
      let p = hash & mask;
      while (table[2 * p] !== 0) p = (p + 1) & mask;
      table[2 * p] = held;
      table[2 * p + 1] = hash;
    }
    this.table = table;
    this.mask = mask;
  }
}

const INITIAL = 1024;

/** FNV-1a over the id's characters, then mixed (murmur3's finalizer) for linear probing. */
export function hashOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
