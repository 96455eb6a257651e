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
