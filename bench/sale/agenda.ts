/**
 * What each simulated shopper does next, and when: one timer for the whole crowd instead of
 * one per shopper. Items are numbers (the caller packs a shopper and an action into one);
 * each falls into a slot of `slotMs` and runs once its slot has come, in the order added.
 */
export class Agenda {
  private readonly slots = new Map<number, number[]>();
  private next: number;
  private timer: NodeJS.Timeout | null = null;
  private count = 0;

  constructor(
    private readonly slotMs: number,
    private readonly now: () => number,
    private readonly run: (item: number) => void,
  ) {
    this.next = Math.floor(now() / slotMs);
  }

  /** Items waiting for their time. */
  get size(): number {
    return this.count;
  }

  /** Runs `item` at `time` (epoch ms), or on the next round if that is past. */
  at(time: number, item: number): void {
    const slot = Math.max(this.next, Math.floor(time / this.slotMs));
    const list = this.slots.get(slot);
    if (list) list.push(item);
    else this.slots.set(slot, [item]);
    this.count++;
  }

  start(): void {
    this.timer ??= setInterval(() => this.drain(), this.slotMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private drain(): void {
    const current = Math.floor(this.now() / this.slotMs);
    while (this.next <= current) {
      const slot = this.next++;
      const list = this.slots.get(slot);
      if (!list) continue;
      this.slots.delete(slot);
      this.count -= list.length;
      for (const item of list) this.run(item);
    }
  }
}
