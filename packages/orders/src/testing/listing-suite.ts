import type { Order } from '../types.js';
import { CUSTOMER, type SuiteContext } from './suite-context.js';

export function listingSuite(ctx: SuiteContext): void {
  const { describe, it, expect } = ctx.t;

  /** Places orders one by one, `times[n]` as the order's time. */
  async function placeAll(roomId: string, times: number[], prefix = 't'): Promise<Order[]> {
    const orders: Order[] = [];
    for (const [n, now] of times.entries()) {
      const outcome = await ctx
        .store()
        .placeOrder(ctx.orderInput(roomId, `${prefix}${n}`, [{ productId: 'tote', quantity: 1 }], { now }));
      if (!outcome.ok) throw new Error(`order ${prefix}${n} refused: ${outcome.reason}`);
      orders.push(outcome.order);
    }
    return orders;
  }

  const plenty = () => [{ id: 'tote', name: 'Tote bag', priceCents: 1_200, currency: 'EUR', stock: 1_000 }];

  describe('listing orders', () => {
    it('pages newest first with no order twice and none missed, while new orders keep coming', async () => {
      const { roomId } = await ctx.room('pages', plenty());
      const base = Date.now() - 60_000;
      // Several orders share a millisecond: the id breaks the tie.
      const placed = await placeAll(
        roomId,
        Array.from({ length: 25 }, (_, n) => base + Math.floor(n / 3)),
      );

      const seen: Order[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await ctx.store().listOrders({ roomId, limit: 7, cursor });
        seen.push(...page.orders);
        cursor = page.nextCursor;
        pages++;
        // A sale goes on while the operator pages: newer orders never shift the pages.
        await placeAll(roomId, [Date.now()], `late${pages}-`);
      } while (cursor !== null && pages < 20);

      expect(pages).toBe(4);
      const ids = seen.map((order) => order.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(new Set(placed.map((order) => order.id)));
      const times = seen.map((order) => Date.parse(order.createdAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(seen.find((order) => order.id === placed[0]?.id)).toEqual(placed[0]);
    });

    it('a page as long as what is left says there is no next page', async () => {
      const { roomId } = await ctx.room('exact', plenty());
      await placeAll(roomId, [Date.now() - 2, Date.now() - 1]);
      const page = await ctx.store().listOrders({ roomId, limit: 2 });
      expect(page.orders).toHaveLength(2);
      expect(page.nextCursor).toBeNull();
      expect(await ctx.store().listOrders({ roomId: ctx.roomId('empty'), limit: 5 })).toEqual({
        orders: [],
        nextCursor: null,
      });
    });

    it('without a room, lists the orders of every room', async () => {
      const a = await ctx.room('all-a', plenty());
      const b = await ctx.room('all-b', plenty());
      const later = Date.now() + 60_000;
      const placed = [
        ...(await placeAll(a.roomId, [later, later + 2])),
        ...(await placeAll(b.roomId, [later + 1])),
      ];
      const page = await ctx.store().listOrders({ limit: 3 });
      expect(page.orders.map((order) => order.id)).toEqual(
        [placed[1], placed[2], placed[0]].map((order) => order?.id),
      );
    });

    it('a cursor it did not make, or a limit out of range, is INVALID_REQUEST', async () => {
      for (const cursor of ['nonsense', Buffer.from('[1]').toString('base64url'), '%%%']) {
        await expect(ctx.store().listOrders({ limit: 5, cursor })).rejects.toMatchObject({
          code: 'INVALID_REQUEST',
        });
      }
      for (const limit of [0, -1, 1.5, 501]) {
        await expect(ctx.store().listOrders({ limit })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
      }
    });
  });

  describe("erasing a customer's details", () => {
    it('by e-mail, in any case, erases every order of that customer and keeps their figures', async () => {
      const a = await ctx.room('erase-a');
      const b = await ctx.room('erase-b');
      const items = [{ productId: 'cap', quantity: 2 }];
      // Addresses of this test only: other tests may share the database.
      const tag = a.roomId.slice(-10);
      const ada = { ...CUSTOMER, email: `ada.${tag}@example.com` };
      const mine = [
        await ctx.store().placeOrder(ctx.orderInput(a.roomId, 't1', items, { customer: ada })),
        await ctx.store().placeOrder(ctx.orderInput(b.roomId, 't1', items, { customer: ada })),
      ];
      const bob = { ...CUSTOMER, firstName: 'Bob', email: `bob.${tag}@example.com` };
      const theirs = await ctx.store().placeOrder(ctx.orderInput(a.roomId, 't2', items, { customer: bob }));

      const now = Date.now();
      expect(await ctx.store().eraseCustomer({ email: ada.email.toUpperCase() }, now)).toBe(2);
      for (const outcome of mine) {
        if (!outcome.ok) throw new Error('the order was refused');
        expect(await ctx.store().getOrder(outcome.order.id)).toEqual({
          ...outcome.order,
          customer: null,
          erasedAt: new Date(now).toISOString(),
        });
      }
      expect(theirs.ok && (await ctx.store().getOrder(theirs.order.id))?.customer).toEqual(bob);
      expect(await ctx.store().eraseCustomer({ email: ada.email }, now + 1)).toBe(0);
      expect(await ctx.product(a.roomId, 'cap')).toMatchObject({ sold: 4, available: 6 });

      // A replay still finds the order, details erased.
      const replay = await ctx.store().placeOrder(ctx.orderInput(a.roomId, 't1', items, { customer: ada }));
      expect(replay.ok && replay.replayed && replay.order.customer).toBeNull();
    });

    it('by order id, erases that order only, once', async () => {
      const { roomId } = await ctx.room('erase-one');
      const first = await ctx
        .store()
        .placeOrder(ctx.orderInput(roomId, 't1', [{ productId: 'tote', quantity: 1 }]));
      const second = await ctx
        .store()
        .placeOrder(ctx.orderInput(roomId, 't2', [{ productId: 'tote', quantity: 1 }]));
      if (!first.ok || !second.ok) throw new Error('an order was refused');
      expect(await ctx.store().eraseCustomer({ orderId: first.order.id }, Date.now())).toBe(1);
      expect(await ctx.store().eraseCustomer({ orderId: first.order.id }, Date.now())).toBe(0);
      expect(await ctx.store().eraseCustomer({ orderId: 'ord_nothing' }, Date.now())).toBe(0);
      expect((await ctx.store().getOrder(first.order.id))?.customer).toBeNull();
      expect((await ctx.store().getOrder(first.order.id))?.totalCents).toBe(1_200);
      expect(await ctx.store().getOrder(second.order.id)).toEqual(second.order);
    });
  });
}
