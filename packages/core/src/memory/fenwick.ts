/**
 * A Fenwick (binary indexed) tree of small counts over positions 0..n-1 that grows on
 * demand. `prefix(i)` counts the ones in 0..i in O(log n): a waiting ticket's position is
 * the number of live waiting tickets up to its rank, with no scan of the line.
 */
export class Fenwick {
  private tree: Int32Array;
  private size = 0;

  constructor(initialCapacity = 1024) {
    this.tree = new Int32Array(initialCapacity + 1);
  }

  get length(): number {
    return this.size;
  }

  /** Appends a position holding `value` (0 or 1) and returns its index. */
  push(value: number): number {
    const index = this.size;
    if (index + 1 >= this.tree.length) this.grow();
    this.size++;
    // Node i covers (i - lowbit(i), i]; a new last node starts as the sum of its lower nodes.
    const i = index + 1;
    let sum = value;
    const low = i - (i & -i);
    for (let j = i - 1; j > low; j -= j & -j) sum += this.tree[j]!;
    this.tree[i] = sum;
    return index;
  }

  add(index: number, delta: number): void {
    for (let i = index + 1; i <= this.size; i += i & -i) this.tree[i]! += delta;
  }

  /** Sum of positions 0..index inclusive. */
  prefix(index: number): number {
    let sum = 0;
    for (let i = Math.min(index + 1, this.size); i > 0; i -= i & -i) sum += this.tree[i]!;
    return sum;
  }

  private grow(): void {
    const next = new Int32Array(Math.ceil(this.tree.length * 1.5) + 16);
    next.set(this.tree);
    this.tree = next;
  }
}
