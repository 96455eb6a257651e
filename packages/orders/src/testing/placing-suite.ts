import { CUSTOMER, type SuiteContext } from './suite-context.js';

export function placingSuite(ctx: SuiteContext): void {
  const { describe, it, expect } = ctx.t;

  describe('placing an order', () => {
    it('confirms it with the products’ prices and total, takes the stock and reads back the same', async () => {
      const { roomId } = await ctx.room('happy');
      const now = Date.now();
      const input = ctx.orderInput(
        roomId,
        't1',
        [
          { productId: 'tote', quantity: 3 },
          { productId: 'cap', quantity: 2 },
        ],
        { now },
      );
      const outcome = await ctx.store().placeOrder(input);
      expect(outcome).toEqual({
        ok: true,
        replayed: false,
        order: {
          id: input.orderId,
          roomId,
          ticketId: 't1',
          status: 'confirmed',
          customer: CUSTOMER,
          // As the request listed them.
          items: [
            { productId: 'tote', quantity: 3, unitPriceCents: 1_200 },
            { productId: 'cap', quantity: 2, unitPriceCents: 2_500 },
          ],
          totalCents: 3 * 1_200 + 2 * 2_500,
          currency: 'EUR',
          createdAt: new Date(now).toISOString(),
          erasedAt: null,
        },
      });
      if (!outcome.ok) return;
      expect(await ctx.store().getOrder(input.orderId)).toEqual(outcome.order);
      expect(await ctx.store().findOrderForTicket(roomId, 't1')).toEqual(outcome.order);
      expect(await ctx.store().findPlaced(roomId, 't1')).toEqual({
        order: outcome.order,
        idempotencyKey: input.idempotencyKey,
        requestHash: input.requestHash,
      });
      expect(await ctx.product(roomId, 'cap')).toMatchObject({ available: 8, sold: 2 });
      expect(await ctx.product(roomId, 'tote')).toMatchObject({ available: 2, sold: 3 });
    });

    it('an unknown order or a ticket without one reads as null', async () => {
      const { roomId } = await ctx.room('none');
      expect(await ctx.store().getOrder('ord_nothing')).toBeNull();
      expect(await ctx.store().findOrderForTicket(roomId, 'nobody')).toBeNull();
      expect(await ctx.store().findPlaced(roomId, 'nobody')).toBeNull();
    });

    it('charges the price of the moment: a later price change leaves a placed order as it was', async () => {
      const { roomId } = await ctx.room('price');
      const first = await ctx
        .store()
        .placeOrder(ctx.orderInput(roomId, 't1', [{ productId: 'tote', quantity: 1 }]));
      await ctx
        .store()
        .putProducts(
          roomId,
          [{ id: 'tote', name: 'Tote bag', priceCents: 999, currency: 'EUR', stock: 4 }],
          Date.now(),
        );
      const second = await ctx
        .store()
        .placeOrder(ctx.orderInput(roomId, 't2', [{ productId: 'tote', quantity: 2 }]));
      expect(first.ok && first.order.totalCents).toBe(1_200);
      expect(second.ok && second.order.totalCents).toBe(1_998);
      expect((await ctx.store().findOrderForTicket(roomId, 't1'))?.totalCents).toBe(1_200);
    });

    it('refuses with SOLD_OUT when one line lacks stock, and sells nothing of the other lines', async () => {
      const { roomId } = await ctx.room('soldout');
      // `cap` sorts before `tote`: its units are taken first, then given back by the rollback.
      const outcome = await ctx.store().placeOrder(
        ctx.orderInput(roomId, 't1', [
          { productId: 'cap', quantity: 2 },
          { productId: 'tote', quantity: 6 },
        ]),
      );
      expect(outcome).toEqual({ ok: false, reason: 'SOLD_OUT', productId: 'tote' });
      expect(await ctx.product(roomId, 'cap')).toMatchObject({ available: 10, sold: 0 });
      expect(await ctx.product(roomId, 'tote')).toMatchObject({ available: 5, sold: 0 });
      expect(await ctx.store().findOrderForTicket(roomId, 't1')).toBeNull();

      // The refusal used nothing up: the same ticket may order what is there.
      const retry = await ctx.store().placeOrder(
        ctx.orderInput(roomId, 't1', [{ productId: 'tote', quantity: 5 }], {
          idempotencyKey: 'another-key',
        }),
      );
      expect(retry.ok).toBe(true);
      expect(await ctx.product(roomId, 'tote')).toMatchObject({ available: 0, sold: 5 });
      const after = await ctx
        .store()
        .placeOrder(ctx.orderInput(roomId, 't2', [{ productId: 'tote', quantity: 1 }]));
      expect(after).toEqual({ ok: false, reason: 'SOLD_OUT', productId: 'tote' });
    });

    it('refuses with LIMIT_EXCEEDED a quantity above maxPerOrder, selling nothing', async () => {
      const { roomId } = await ctx.room('limit');
      const outcome = await ctx.store().placeOrder(
        ctx.orderInput(roomId, 't1', [
          { productId: 'tote', quantity: 1 },
          { productId: 'cap', quantity: 3 },
        ]),
      );
      expect(outcome).toEqual({ ok: false, reason: 'LIMIT_EXCEEDED', productId: 'cap' });
      expect(await ctx.product(roomId, 'tote')).toMatchObject({ available: 5, sold: 0 });
      expect(await ctx.store().findOrderForTicket(roomId, 't1')).toBeNull();
    });

    it('refuses with PRODUCT_NOT_FOUND a product unknown here, even one another room sells', async () => {
      const { roomId } = await ctx.room('unknown');
      const other = await ctx.room('unknown-other', [
        { id: 'poster', name: 'Poster', priceCents: 500, currency: 'EUR', stock: 9 },
      ]);
      for (const productId of ['nothing', 'poster']) {
        const outcome = await ctx.store().placeOrder(
          ctx.orderInput(roomId, `t-${productId}`, [
            { productId: 'tote', quantity: 1 },
            { productId, quantity: 1 },
          ]),
        );
        expect(outcome).toEqual({ ok: false, reason: 'PRODUCT_NOT_FOUND', productId });
      }
      expect(await ctx.product(roomId, 'tote')).toMatchObject({ available: 5, sold: 0 });
      expect(await ctx.product(other.roomId, 'poster')).toMatchObject({ available: 9, sold: 0 });
    });

    it('refuses with MIXED_CURRENCY products priced in different currencies', async () => {
      const { roomId } = await ctx.room('currency', [
        { id: 'eur', name: 'In euros', priceCents: 1_000, currency: 'EUR', stock: 5 },
        { id: 'gbp', name: 'In pounds', priceCents: 900, currency: 'GBP', stock: 5 },
      ]);
      const outcome = await ctx.store().placeOrder(
        ctx.orderInput(roomId, 't1', [
          { productId: 'eur', quantity: 1 },
          { productId: 'gbp', quantity: 1 },
        ]),
      );
      expect(outcome).toEqual({ ok: false, reason: 'MIXED_CURRENCY', productId: 'gbp' });
      expect((await ctx.store().listProducts(roomId)).map((p) => p.sold)).toEqual([0, 0]);
      const single = await ctx
        .store()
        .placeOrder(ctx.orderInput(roomId, 't2', [{ productId: 'gbp', quantity: 2 }]));
      expect(single.ok && [single.order.totalCents, single.order.currency]).toEqual([1_800, 'GBP']);
    });

    it('refuses a request it cannot place as INVALID_REQUEST: no items, a product twice, a quantity of zero', async () => {
      const { roomId } = await ctx.room('invalid');
      const bad = [
        [],
        [
          { productId: 'cap', quantity: 1 },
          { productId: 'cap', quantity: 1 },
        ],
        [{ productId: 'cap', quantity: 0 }],
        [{ productId: 'cap', quantity: 1.5 }],
      ];
      for (const items of bad) {
        await expect(ctx.store().placeOrder(ctx.orderInput(roomId, 't1', items))).rejects.toMatchObject({
          code: 'INVALID_REQUEST',
        });
      }
      expect(await ctx.product(roomId, 'cap')).toMatchObject({ available: 10, sold: 0 });
    });
  });
}
