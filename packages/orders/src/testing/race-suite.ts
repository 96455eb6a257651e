import type { Order, OrderStore, PlaceOrderOutcome } from '../types.js';
import type { SuiteContext } from './suite-context.js';

/** Every order of a room, through the pages. */
export async function allOrders(store: OrderStore, roomId: string): Promise<Order[]> {
  const orders: Order[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.listOrders({ roomId, limit: 500, cursor });
    orders.push(...page.orders);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return orders;
}

/** A small seeded generator (mulberry32): the same race on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Contract "What always holds" 4 and 5, under many orders at once. */
export function raceSuite(ctx: SuiteContext): void {
  const { describe, it, expect } = ctx.t;

  describe('orders at once', () => {
    it('400 tickets racing for 100 units: exactly 100 sold, stock 0, one order per ticket', async () => {
      const { roomId } = await ctx.room('race', [
        { id: 'drop', name: 'The drop', priceCents: 19_900, currency: 'EUR', stock: 100, maxPerOrder: 1 },
      ]);
      const started = performance.now();
      const outcomes = await Promise.all(
        Array.from({ length: 400 }, (_, n) =>
          ctx.instance(n).placeOrder(ctx.orderInput(roomId, `t${n}`, [{ productId: 'drop', quantity: 1 }])),
        ),
      );
      const ms = Math.round(performance.now() - started);
      console.info(`[${ctx.store().dialect}] 400 concurrent orders for 100 units: ${ms} ms`);

      expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(100);
      expect(outcomes.filter((outcome) => !outcome.ok && outcome.reason === 'SOLD_OUT')).toHaveLength(300);
      expect(await ctx.product(roomId, 'drop')).toMatchObject({ available: 0, sold: 100 });
      const orders = await allOrders(ctx.store(), roomId);
      expect(orders).toHaveLength(100);
      expect(new Set(orders.map((order) => order.ticketId)).size).toBe(100);
      expect(orders.every((order) => order.totalCents === 19_900)).toBe(true);
    });

    it('100 tickets sending their order 3 times at once as stock runs out: one answer per ticket', async () => {
      const { roomId } = await ctx.room('race-double', [
        { id: 'drop', name: 'The drop', priceCents: 5_000, currency: 'EUR', stock: 50, maxPerOrder: 1 },
      ]);
      const tickets = Array.from({ length: 100 }, (_, n) => `t${n}`);
      const started = performance.now();
      const outcomes = await Promise.all(
        tickets.flatMap((ticket) =>
          [0, 1, 2].map((copy) =>
            ctx
              .instance(copy)
              .placeOrder(ctx.orderInput(roomId, ticket, [{ productId: 'drop', quantity: 1 }])),
          ),
        ),
      );
      const ms = Math.round(performance.now() - started);
      console.info(`[${ctx.store().dialect}] 100 tickets x 3 duplicate requests for 50 units: ${ms} ms`);

      const answers = new Map<string, Set<string>>();
      outcomes.forEach((outcome, n) => {
        const ticket = tickets[Math.floor(n / 3)] ?? '';
        const answer = outcome.ok ? outcome.order.id : outcome.reason;
        answers.set(ticket, (answers.get(ticket) ?? new Set()).add(answer));
      });
      // A ticket's three requests agree: the same order, or all refused.
      expect([...answers.values()].every((set) => set.size === 1)).toBe(true);
      expect(outcomes.filter((outcome) => outcome.ok && !outcome.replayed)).toHaveLength(50);
      expect(await ctx.product(roomId, 'drop')).toMatchObject({ available: 0, sold: 50 });
      expect(await allOrders(ctx.store(), roomId)).toHaveLength(50);
    });

    it('300 orders of several products in any order: stock never below zero, sold equals the units in orders', async () => {
      const initial = { p1: 60, p2: 40, p3: 30 } as const;
      type Id = keyof typeof initial;
      const ids = Object.keys(initial) as Id[];
      const { roomId } = await ctx.room(
        'race-mixed',
        ids.map((id, i) => ({
          id,
          name: id,
          priceCents: 100 * (i + 1),
          currency: 'EUR',
          stock: initial[id],
          maxPerOrder: 3,
        })),
      );
      const next = random(42);
      const requests = Array.from({ length: 300 }, (_, n) => {
        // Products in a random order: the store must lock them in one order or deadlock.
        const chosen = ids.filter(() => next() < 0.6);
        const lines = (chosen.length > 0 ? chosen : [ids[n % ids.length] as Id])
          .map((productId) => ({ productId, quantity: 1 + Math.floor(next() * 3), key: next() }))
          .sort((a, b) => a.key - b.key)
          .map(({ productId, quantity }) => ({ productId, quantity }));
        return ctx.orderInput(roomId, `t${n}`, lines);
      });

      const started = performance.now();
      const outcomes: PlaceOrderOutcome[] = await Promise.all(
        requests.map((input, n) => ctx.instance(n).placeOrder(input)),
      );
      const ms = Math.round(performance.now() - started);
      console.info(`[${ctx.store().dialect}] 300 concurrent multi-product orders: ${ms} ms`);

      expect(outcomes.every((outcome) => outcome.ok || outcome.reason === 'SOLD_OUT')).toBe(true);
      const orders = await allOrders(ctx.store(), roomId);
      expect(orders).toHaveLength(outcomes.filter((outcome) => outcome.ok).length);
      expect(new Set(orders.map((order) => order.ticketId)).size).toBe(orders.length);
      for (const order of orders) {
        expect(order.totalCents).toBe(
          order.items.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0),
        );
      }
      for (const product of await ctx.store().listProducts(roomId)) {
        const inOrders = orders
          .flatMap((order) => order.items)
          .filter((line) => line.productId === product.id)
          .reduce((sum, line) => sum + line.quantity, 0);
        expect(product.available).toBeGreaterThanOrEqual(0);
        expect(product.sold).toBe(inOrders);
        expect(product.sold + product.available).toBe(initial[product.id as Id]);
      }
      // Demand far above supply: the sale ran out of something.
      expect(orders.length).toBeGreaterThan(0);
      expect(outcomes.some((outcome) => !outcome.ok)).toBe(true);
    });
  });
}
