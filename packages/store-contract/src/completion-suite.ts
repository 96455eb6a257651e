import { predictWaitSeconds, type WaitPredictor } from '@waitroom/core';
import type { SuiteContext } from './suite-context.js';

export function completionSuite(ctx: SuiteContext): void {
  const { describe, it, expect } = ctx.t;

  describe('completing an admission', () => {
    it('an admission is used by one order: the first completion succeeds, the next gets ALREADY_COMPLETED', async () => {
      const t0 = Date.now();
      const room = await ctx.room('complete', {}, t0);
      await ctx.joinMany(room.id, 2, t0);
      const store = ctx.store();
      await store.admit(room.id, 1, t0 + 1);
      const first = await store.complete(room.id, 't1', t0 + 2);
      expect(first.ok).toBe(true);
      if (first.ok)
        expect(first.ticket).toMatchObject({ ticketId: 't1', state: 'completed', admittedAt: t0 + 1 });
      expect(await store.complete(room.id, 't1', t0 + 3)).toEqual({ ok: false, reason: 'ALREADY_COMPLETED' });
      const state = await store.getRoom(room.id);
      expect(state?.active).toBe(0);
      expect(state?.counters.completedTotal).toBe(1);
    });

    it('a ticket that was never admitted cannot complete: NOT_ADMITTED', async () => {
      const t0 = Date.now();
      const room = await ctx.room('complete-waiting', { heartbeatTimeoutSeconds: 10 }, t0);
      await ctx.joinMany(room.id, 3, t0);
      const store = ctx.store();
      await store.leave(room.id, 't2', t0);
      await store.readTicket(room.id, 't1', { now: t0 + 9_000, touch: true });
      await store.sweep(room.id, t0 + 10_000);
      for (const id of ['t1', 't2', 't3']) {
        expect(await store.complete(room.id, id, t0 + 10_000)).toEqual({ ok: false, reason: 'NOT_ADMITTED' });
      }
      expect((await ctx.read(room.id, 't1', t0 + 10_000)).state).toBe('waiting');
      expect((await store.getRoom(room.id))?.counters.completedTotal).toBe(0);
    });

    it('an unknown ticket, or a ticket of an unknown room, cannot complete: NOT_FOUND', async () => {
      const t0 = Date.now();
      const room = await ctx.room('complete-unknown', {}, t0);
      expect(await ctx.store().complete(room.id, 'nobody', t0)).toEqual({ ok: false, reason: 'NOT_FOUND' });
      expect(await ctx.store().complete(ctx.roomId('nowhere'), 'nobody', t0)).toEqual({
        ok: false,
        reason: 'NOT_FOUND',
      });
    });

    it('an admission past admissionTtlSeconds cannot complete, swept or not: ADMISSION_EXPIRED', async () => {
      const t0 = Date.now();
      const room = await ctx.room('complete-expired', { admissionTtlSeconds: 30 }, t0);
      await ctx.joinMany(room.id, 3, t0);
      const store = ctx.store();
      await store.admit(room.id, 3, t0);
      const end = t0 + 30_000;
      expect((await store.complete(room.id, 't1', end - 1)).ok).toBe(true);
      expect(await store.complete(room.id, 't2', end)).toEqual({ ok: false, reason: 'ADMISSION_EXPIRED' });
      await store.sweep(room.id, end);
      expect(await store.complete(room.id, 't3', end + 1)).toEqual({
        ok: false,
        reason: 'ADMISSION_EXPIRED',
      });
      const state = await store.getRoom(room.id);
      expect(state?.counters.completedTotal).toBe(1);
      expect(state?.counters.admissionsExpiredTotal).toBe(2);
    });
  });

  describe('counting', () => {
    it('the running totals count every join, admission, abandonment, departure, order and expiry once', async () => {
      const t0 = Date.now();
      const room = await ctx.room('counters', { heartbeatTimeoutSeconds: 10, admissionTtlSeconds: 20 }, t0);
      const store = ctx.store();
      await ctx.joinMany(room.id, 8, t0);
      await store.leave(room.id, 't8', t0 + 1_000);
      await store.admit(room.id, 3, t0 + 2_000); // t1 t2 t3
      await store.complete(room.id, 't1', t0 + 3_000);
      await store.leave(room.id, 't2', t0 + 3_000);
      await store.readTickets(room.id, ['t4', 't5'], { now: t0 + 9_000, touch: true });
      await store.sweep(room.id, t0 + 10_000); // t6 t7 abandoned
      await store.sweep(room.id, t0 + 22_000); // t3's admission ends; t4 t5 abandoned
      const state = await store.getRoom(room.id);
      expect(state?.counters).toEqual({
        joinedTotal: 8,
        admittedTotal: 3,
        abandonedTotal: 4,
        leftTotal: 2,
        completedTotal: 1,
        admissionsExpiredTotal: 1,
      });
      expect(state?.waiting).toBe(0);
      expect(state?.active).toBe(0);
    });
  });

  describe('estimate accuracy', () => {
    it('each admitted ticket that joined with a prediction leaves one predicted-against-actual pair, oldest first', async () => {
      const t0 = Date.now();
      const room = await ctx.room('accuracy', {}, t0);
      const store = ctx.store();
      const predictor: WaitPredictor = { perSecond: 4, abandonPerSecond: 0, delaySeconds: 0 };
      await ctx.joinMany(room.id, 3, t0, predictor, 'p');
      await ctx.joinMany(room.id, 1, t0 + 500, null, 'n');
      expect(await store.accuracySamples(room.id)).toEqual([]);
      await store.admit(room.id, 2, t0 + 1_500);
      await store.admit(room.id, 2, t0 + 4_000);
      const samples = await store.accuracySamples(room.id);
      const expected = [
        { predictedSeconds: predictWaitSeconds(1, predictor), actualSeconds: 1.5 },
        { predictedSeconds: predictWaitSeconds(2, predictor), actualSeconds: 1.5 },
        { predictedSeconds: predictWaitSeconds(3, predictor), actualSeconds: 4 },
      ];
      expect(samples).toHaveLength(expected.length);
      samples.forEach((sample, k) => {
        expect(sample.predictedSeconds).toBeCloseTo(expected[k]!.predictedSeconds ?? Number.NaN, 3);
        expect(sample.actualSeconds).toBeCloseTo(expected[k]!.actualSeconds, 6);
      });
      expect(await store.accuracySamples(ctx.roomId('nowhere'))).toEqual([]);
    });
  });
}
