import type { SuiteContext } from './suite-context.js';

export function lifecycleSuite(ctx: SuiteContext): void {
  const { describe, it, expect } = ctx.t;
  const promptMs = ctx.options.promptMs ?? 5_000;

  describe('the database', () => {
    it('migrating again changes nothing and keeps the data', async () => {
      const { roomId, products } = await ctx.room('migrate');
      await ctx.store().migrate();
      await ctx.store().migrate();
      expect(await ctx.store().listProducts(roomId)).toEqual(products);
    });

    it('answers a ping while open; once closed, a call fails at once and closing again is harmless', async () => {
      await ctx.store().ping();
      await ctx.store().close();
      const started = performance.now();
      await expect(ctx.store().ping()).rejects.toThrow();
      await expect(ctx.store().listProducts('any')).rejects.toThrow();
      expect(performance.now() - started).toBeLessThan(promptMs);
      await ctx.store().close();
    });

    for (const [name, makeStore] of Object.entries(ctx.options.unreachable ?? {})) {
      it(`${name}: opening, migrating and pinging fail within ${promptMs / 1000} s, never hang`, async () => {
        const started = performance.now();
        const attempt = (async () => {
          const store = await makeStore();
          try {
            await store.migrate();
            await store.ping();
          } finally {
            await store.close().catch(() => {});
          }
        })();
        await expect(attempt).rejects.toThrow();
        expect(performance.now() - started).toBeLessThan(promptMs);
      });
    }
  });
}
