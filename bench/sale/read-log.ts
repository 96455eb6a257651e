/**
 * Every status a simulated shopper read while waiting (a poll's answer or a streamed event):
 * when, the position and the estimate with its range. Columns of typed arrays, grown by
 * doubling: a sale of 100,000 shoppers reads a few million statuses.
 */
export interface ReadRow {
  shopper: number;
  /** Epoch ms: when the answer or the event arrived. */
  at: number;
  position: number;
  /** NaN when the status had none. */
  eta: number;
  low: number;
  high: number;
}

export class ReadLog {
  shopper = new Int32Array(1 << 16);
  at = new Float64Array(1 << 16);
  position = new Int32Array(1 << 16);
  eta = new Float32Array(1 << 16);
  low = new Float32Array(1 << 16);
  high = new Float32Array(1 << 16);
  size = 0;

  add(shopper: number, at: number, position: number | null, eta: number | null, range: unknown): void {
    if (this.size === this.at.length) this.grow();
    const k = this.size++;
    this.shopper[k] = shopper;
    this.at[k] = at;
    this.position[k] = position ?? -1;
    this.eta[k] = eta ?? Number.NaN;
    const r = Array.isArray(range) ? (range as number[]) : null;
    this.low[k] = r?.[0] ?? Number.NaN;
    this.high[k] = r?.[1] ?? Number.NaN;
  }

  row(k: number): ReadRow {
    return {
      shopper: this.shopper[k]!,
      at: this.at[k]!,
      position: this.position[k]!,
      eta: this.eta[k]!,
      low: this.low[k]!,
      high: this.high[k]!,
    };
  }

  /**
   * The reads grouped by shopper, each group in the order read: shopper i's rows are
   * `order[start[i]]` … `order[start[i + 1] - 1]`.
   */
  byShopper(shoppers: number): { start: Int32Array; order: Int32Array } {
    const start = new Int32Array(shoppers + 1);
    for (let k = 0; k < this.size; k++) start[this.shopper[k]! + 1]!++;
    for (let i = 0; i < shoppers; i++) start[i + 1]! += start[i]!;
    const fill = start.slice(0, shoppers);
    const order = new Int32Array(this.size);
    for (let k = 0; k < this.size; k++) order[fill[this.shopper[k]!]!++] = k;
    return { start, order };
  }

  private grow(): void {
    const n = this.at.length * 2;
    const bigger = <T extends Int32Array | Float32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.shopper = bigger(this.shopper, (n) => new Int32Array(n));
    this.at = bigger(this.at, (n) => new Float64Array(n));
    this.position = bigger(this.position, (n) => new Int32Array(n));
    this.eta = bigger(this.eta, (n) => new Float32Array(n));
    this.low = bigger(this.low, (n) => new Float32Array(n));
    this.high = bigger(this.high, (n) => new Float32Array(n));
  }
}
