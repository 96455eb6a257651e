import type { SuiteContext } from './suite-context.js';

export function sweepSuite(ctx: SuiteContext): void {
  const { describe, it, expect } = ctx.t;

  describe('sweeping', () => {
    it('abandons waiting tickets silent for heartbeatTimeoutSeconds and keeps those that showed a sign of life', async () => {
      const t0 = Date.now();
      const room = await ctx.room('sweep-abandon', { heartbeatTimeoutSeconds: 30 }, t0);
      await ctx.joinMany(room.id, 3, t0);
      const store = ctx.store();
      await store.readTicket(room.id, 't2', { now: t0 + 20_000, touch: true });
      expect(await store.sweep(room.id, t0 + 29_999)).toEqual({ abandoned: 0, admissionsExpired: 0 });
      expect(await store.sweep(room.id, t0 + 30_000)).toEqual({ abandoned: 2, admissionsExpired: 0 });
      for (const id of ['t1', 't3']) {
        expect(await ctx.read(room.id, id, t0 + 30_000)).toMatchObject({
          state: 'expired',
          expiryReason: 'abandoned',
          position: null,
        });
      }
      expect(await ctx.read(room.id, 't2', t0 + 30_000)).toMatchObject({ state: 'waiting', position: 1 });
      const state = await store.getRoom(room.id);
      expect(state?.waiting).toBe(1);
      expect(state?.counters.abandonedTotal).toBe(2);
      // The survivor is silent from its last sign of life on.
      expect(await store.sweep(room.id, t0 + 49_999)).toEqual({ abandoned: 0, admissionsExpired: 0 });
      expect(await store.sweep(room.id, t0 + 50_000)).toEqual({ abandoned: 1, admissionsExpired: 0 });
      expect((await store.getRoom(room.id))?.counters.abandonedTotal).toBe(3);
    });

    it('abandons a ticket exactly its timeout after its last sign of life, however soon after its join or its last move that came', async () => {
      // The embedded store moves a ticket in its list of signs of life only now and then
      // (at most every 5 s here); which ticket is abandoned, and when, must not show it.
      const t0 = Date.now();
      const room = await ctx.room('sweep-exact', { heartbeatTimeoutSeconds: 40 }, t0);
      await ctx.joinMany(room.id, 5, t0);
      const store = ctx.store();
      const touch = (id: string, at: number) => store.readTicket(room.id, id, { now: t0 + at, touch: true });
      const sweep = (at: number) => store.sweep(room.id, t0 + at);
      await touch('t1', 1_000);
      await touch('t3', 1_000);
      await touch('t3', 3_000);
      await touch('t2', 6_000);
      // t5 shows a sign of life every 2 s for two minutes, swept after each: never abandoned.
      for (let at = 2_000; at <= 120_000; at += 2_000) {
        await touch('t5', at);
        const swept = await sweep(at);
        // t4 at +40 s, t1 at the first sweep after +41 s, t3 after +43 s, t2 at +46 s.
        const expected = { 40000: 1, 42000: 1, 44000: 1, 46000: 1 }[at] ?? 0;
        expect(swept.abandoned, `sweep at +${at} ms`).toBe(expected);
      }
      for (const id of ['t1', 't2', 't3', 't4']) {
        expect(await ctx.read(room.id, id, t0 + 120_000)).toMatchObject({ state: 'expired' });
      }
      expect(await ctx.read(room.id, 't5', t0 + 120_000)).toMatchObject({ state: 'waiting', position: 1 });
      // Each at its own time to the millisecond: t4 silent since its join, t1 since +1 s, t3
      // since +3 s, t2 since +6 s.
      const t0b = t0 + 200_000;
      const second = await ctx.room('sweep-exact-ms', { heartbeatTimeoutSeconds: 40 }, t0b);
      await ctx.joinMany(second.id, 4, t0b);
      for (const [id, at] of [
        ['t1', 1_000],
        ['t3', 1_000],
        ['t3', 3_000],
        ['t2', 6_000],
      ] as const) {
        await store.readTicket(second.id, id, { now: t0b + at, touch: true });
      }
      for (const [at, abandoned] of [
        [39_999, 0],
        [40_000, 1],
        [40_999, 0],
        [41_000, 1],
        [42_999, 0],
        [43_000, 1],
        [45_999, 0],
        [46_000, 1],
      ] as const) {
        expect((await store.sweep(second.id, t0b + at)).abandoned, `second room at +${at} ms`).toBe(
          abandoned,
        );
      }
    });

    it('an abandoned ticket no longer counts among those ahead', async () => {
      const t0 = Date.now();
      const room = await ctx.room('sweep-positions', { heartbeatTimeoutSeconds: 10 }, t0);
      await ctx.joinMany(room.id, 2, t0, null, 'early');
      await ctx.joinMany(room.id, 2, t0 + 5_000, null, 'late');
      await ctx.store().sweep(room.id, t0 + 10_000);
      expect(await ctx.positions(room.id, ['early1', 'early2', 'late1', 'late2'], t0 + 10_000)).toEqual([
        null,
        null,
        1,
        2,
      ]);
      expect(await ctx.store().admit(room.id, 1, t0 + 10_000)).toEqual({
        ok: true,
        admitted: 1,
        ticketIds: ['late1'],
      });
    });

    it('expires admissions after admissionTtlSeconds, freeing their place among the active, but never for silence', async () => {
      const t0 = Date.now();
      const room = await ctx.room(
        'sweep-expire',
        { admissionTtlSeconds: 60, heartbeatTimeoutSeconds: 30 },
        t0,
      );
      await ctx.joinMany(room.id, 3, t0);
      const store = ctx.store();
      const admittedAt = t0 + 1_000;
      await store.admit(room.id, 2, admittedAt);
      const end = admittedAt + 60_000;
      // Silent for longer than the heartbeat timeout, but admitted: not abandoned.
      expect(await store.sweep(room.id, end - 1)).toEqual({ abandoned: 1, admissionsExpired: 0 });
      expect((await ctx.read(room.id, 't1', end - 1)).state).toBe('admitted');
      expect((await store.getRoom(room.id))?.active).toBe(2);
      expect(await store.sweep(room.id, end)).toEqual({ abandoned: 0, admissionsExpired: 2 });
      for (const id of ['t1', 't2']) {
        expect(await ctx.read(room.id, id, end)).toMatchObject({
          state: 'expired',
          expiryReason: 'admission-expired',
          admittedAt,
          admissionExpiresAt: end,
        });
      }
      const state = await store.getRoom(room.id);
      expect(state?.active).toBe(0);
      expect(state?.counters.admissionsExpiredTotal).toBe(2);
      expect(await store.sweep(room.id, end + 60_000)).toEqual({ abandoned: 0, admissionsExpired: 0 });
    });

    it('a completed admission does not expire later', async () => {
      const t0 = Date.now();
      const room = await ctx.room('sweep-completed', { admissionTtlSeconds: 60 }, t0);
      await ctx.joinMany(room.id, 1, t0);
      await ctx.store().admit(room.id, 1, t0);
      await ctx.store().complete(room.id, 't1', t0 + 1_000);
      expect(await ctx.store().sweep(room.id, t0 + 120_000)).toEqual({ abandoned: 0, admissionsExpired: 0 });
      expect((await ctx.read(room.id, 't1', t0 + 120_000)).state).toBe('completed');
    });
  });
}
