import type { SuiteContext } from './suite-context.js';

/** One admission, one order: replays, conflicts and second orders, one at a time and all at once. */
export function admissionSuite(ctx: SuiteContext): void {
  const { describe, it, expect } = ctx.t;

  describe('one order per admission', () => {
    it('the same key and body again return the same order, replayed, selling nothing more', async () => {
      const { roomId } = await ctx.room('replay');
      const items = [{ productId: 'tote', quantity: 5 }];
      const first = await ctx.store().placeOrder(ctx.orderInput(roomId, 't1', items));
      expect(first.ok).toBe(true);
      if (!first.ok) return;
      // Even with the product sold out and withdrawn since, and a new order id from the caller.
      await ctx.store().putProducts(roomId, [], Date.now());
      const again = await ctx.store().placeOrder(ctx.orderInput(roomId, 't1', items));
      expect(again).toEqual({ ok: true, replayed: true, order: first.order });
      expect(await ctx.store().listOrders({ roomId, limit: 10 })).toMatchObject({ orders: [first.order] });
    });

    it('the same key with another body is refused with IDEMPOTENCY_CONFLICT', async () => {
      const { roomId } = await ctx.room('conflict');
      await ctx.store().placeOrder(ctx.orderInput(roomId, 't1', [{ productId: 'tote', quantity: 1 }]));
      const outcome = await ctx
        .store()
        .placeOrder(
          ctx.orderInput(roomId, 't1', [{ productId: 'tote', quantity: 2 }], { idempotencyKey: 'key-t1' }),
        );
      expect(outcome).toEqual({ ok: false, reason: 'IDEMPOTENCY_CONFLICT' });
      expect(await ctx.product(roomId, 'tote')).toMatchObject({ available: 4, sold: 1 });
    });

    it('another key for a ticket that has its order is refused with ADMISSION_USED, whatever the body', async () => {
      const { roomId } = await ctx.room('used');
      const items = [{ productId: 'tote', quantity: 1 }];
      await ctx.store().placeOrder(ctx.orderInput(roomId, 't1', items));
      for (const body of [items, [{ productId: 'cap', quantity: 1 }]]) {
        const outcome = await ctx
          .store()
          .placeOrder(ctx.orderInput(roomId, 't1', body, { idempotencyKey: 'a-new-key' }));
        expect(outcome).toEqual({ ok: false, reason: 'ADMISSION_USED' });
      }
      expect(await ctx.product(roomId, 'tote')).toMatchObject({ available: 4, sold: 1 });
      expect(await ctx.product(roomId, 'cap')).toMatchObject({ available: 10, sold: 0 });
      // The same ticket id in another room is another admission.
      const elsewhere = await ctx.room('used-elsewhere');
      expect((await ctx.store().placeOrder(ctx.orderInput(elsewhere.roomId, 't1', items))).ok).toBe(true);
    });

    it('50 requests at once with the same key place exactly one order, and all of them return it', async () => {
      const { roomId } = await ctx.room('same-key');
      const items = [
        { productId: 'tote', quantity: 1 },
        { productId: 'cap', quantity: 2 },
      ];
      const outcomes = await Promise.all(
        Array.from({ length: 50 }, (_, n) => ctx.instance(n).placeOrder(ctx.orderInput(roomId, 't1', items))),
      );
      const orders = outcomes.map((outcome) => (outcome.ok ? outcome.order : outcome.reason));
      const first = orders[0];
      expect(typeof first).toBe('object');
      expect(orders.every((order) => JSON.stringify(order) === JSON.stringify(first))).toBe(true);
      expect(outcomes.filter((outcome) => outcome.ok && !outcome.replayed)).toHaveLength(1);
      expect(await ctx.product(roomId, 'tote')).toMatchObject({ available: 4, sold: 1 });
      expect(await ctx.product(roomId, 'cap')).toMatchObject({ available: 8, sold: 2 });
      expect((await ctx.store().listOrders({ roomId, limit: 100 })).orders).toHaveLength(1);
    });

    it('20 requests at once for one ticket under different keys: one order, the others ADMISSION_USED', async () => {
      const { roomId } = await ctx.room('many-keys');
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          ctx.instance(n).placeOrder(
            ctx.orderInput(roomId, 't1', [{ productId: 'cap', quantity: 1 }], {
              idempotencyKey: `key-${n}`,
            }),
          ),
        ),
      );
      expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
      expect(outcomes.filter((outcome) => !outcome.ok && outcome.reason === 'ADMISSION_USED')).toHaveLength(
        19,
      );
      expect(await ctx.product(roomId, 'cap')).toMatchObject({ available: 9, sold: 1 });
    });
  });
}
