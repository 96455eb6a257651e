/** A binary min-heap of integer ids ordered by a key the caller looks up. */
export class MinHeap {
  private readonly items: number[] = [];

  constructor(private readonly keyOf: (id: number) => number) {}

  get size(): number {
    return this.items.length;
  }

  peek(): number | undefined {
    return this.items[0];
  }

  push(id: number): void {
    const items = this.items;
    items.push(id);
    let i = items.length - 1;
    const key = this.keyOf(id);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (this.keyOf(p) <= key) break;
      items[i] = p;
      i = parent;
    }
    items[i] = id;
  }

  pop(): number | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    const key = this.keyOf(last);
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      let child = left;
      if (right < items.length && this.keyOf(items[right]!) < this.keyOf(items[left]!)) child = right;
      if (this.keyOf(items[child]!) >= key) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
