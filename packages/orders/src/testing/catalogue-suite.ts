import type { SuiteContext } from './suite-context.js';

export function catalogueSuite(ctx: SuiteContext): void {
  const { describe, it, expect } = ctx.t;

  describe('the catalogue', () => {
    it('puts products on sale in the order listed, with their stock available and none sold', async () => {
      const { roomId, products } = await ctx.room('put');
      const expected = [
        {
          roomId,
          id: 'cap',
          name: 'Cap',
          description: 'A cap',
          priceCents: 2_500,
          currency: 'EUR',
          available: 10,
          sold: 0,
          maxPerOrder: 2,
        },
        {
          roomId,
          id: 'tote',
          name: 'Tote bag',
          description: null,
          priceCents: 1_200,
          currency: 'EUR',
          available: 5,
          sold: 0,
          maxPerOrder: null,
        },
      ];
      expect(products).toEqual(expected);
      expect(await ctx.store().listProducts(roomId)).toEqual(expected);
    });

    it('putting the list again updates the products, sets their stock and keeps what was sold', async () => {
      const { roomId } = await ctx.room('update');
      const sold = await ctx
        .store()
        .placeOrder(ctx.orderInput(roomId, 't1', [{ productId: 'cap', quantity: 2 }]));
      expect(sold.ok).toBe(true);

      const products = await ctx.store().putProducts(
        roomId,
        [
          { id: 'tote', name: 'Big tote', priceCents: 1_500, currency: 'EUR', stock: 50, maxPerOrder: 3 },
          { id: 'cap', name: 'Cap', description: 'Blue', priceCents: 2_000, currency: 'EUR', stock: 4 },
        ],
        Date.now(),
      );
      expect(products.map((p) => [p.id, p.name, p.priceCents, p.available, p.sold, p.maxPerOrder])).toEqual([
        ['tote', 'Big tote', 1_500, 50, 0, 3],
        ['cap', 'Cap', 2_000, 4, 2, null],
      ]);
      expect(await ctx.store().listProducts(roomId)).toEqual(products);
    });

    it('a product left out of the list is withdrawn: not listed, not for sale, back with its figures when listed again', async () => {
      const { roomId } = await ctx.room('withdraw');
      expect(
        (await ctx.store().placeOrder(ctx.orderInput(roomId, 't1', [{ productId: 'tote', quantity: 1 }]))).ok,
      ).toBe(true);
      const [cap] = await ctx.store().putProducts(roomId, [{ ...capInput(), stock: 10 }], Date.now());
      expect((await ctx.store().listProducts(roomId)).map((p) => p.id)).toEqual(['cap']);
      expect(cap?.id).toBe('cap');

      const refused = await ctx
        .store()
        .placeOrder(ctx.orderInput(roomId, 't2', [{ productId: 'tote', quantity: 1 }]));
      expect(refused).toEqual({ ok: false, reason: 'PRODUCT_NOT_FOUND', productId: 'tote' });

      const back = await ctx
        .store()
        .putProducts(
          roomId,
          [capInput(), { id: 'tote', name: 'Tote bag', priceCents: 1_200, currency: 'EUR', stock: 3 }],
          Date.now(),
        );
      expect(back.find((p) => p.id === 'tote')).toMatchObject({ available: 3, sold: 1 });
      // The order placed before the withdrawal is still there, whole.
      expect((await ctx.store().findOrderForTicket(roomId, 't1'))?.items).toEqual([
        { productId: 'tote', quantity: 1, unitPriceCents: 1_200 },
      ]);
    });

    it('an empty list withdraws every product of the room', async () => {
      const { roomId } = await ctx.room('empty');
      expect(await ctx.store().putProducts(roomId, [], Date.now())).toEqual([]);
      expect(await ctx.store().listProducts(roomId)).toEqual([]);
    });

    it('rooms keep their own catalogues, even with the same product ids', async () => {
      const a = await ctx.room('rooms-a');
      const b = await ctx.room('rooms-b', [{ ...capInput(), priceCents: 9_900, stock: 1 }]);
      expect((await ctx.store().listProducts(a.roomId)).map((p) => [p.id, p.priceCents])).toEqual([
        ['cap', 2_500],
        ['tote', 1_200],
      ]);
      expect((await ctx.store().listProducts(b.roomId)).map((p) => [p.id, p.priceCents])).toEqual([
        ['cap', 9_900],
      ]);
      expect(await ctx.store().listProducts(ctx.roomId('nowhere'))).toEqual([]);
    });

    it('a product listed twice is refused with INVALID_REQUEST and changes nothing', async () => {
      const { roomId, products } = await ctx.room('twice');
      await expect(
        ctx.store().putProducts(roomId, [capInput(), capInput()], Date.now()),
      ).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
      });
      expect(await ctx.store().listProducts(roomId)).toEqual(products);
    });
  });
}

function capInput() {
  return {
    id: 'cap',
    name: 'Cap',
    description: 'A cap',
    priceCents: 2_500,
    currency: 'EUR',
    stock: 10,
    maxPerOrder: 2,
  };
}
