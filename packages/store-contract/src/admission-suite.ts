import { oneTo, type SuiteContext } from './suite-context.js';

export function admissionSuite(ctx: SuiteContext): void {
  const { describe, it, expect } = ctx.t;

  describe('admitting by hand', () => {
    it('admits the next tickets in the order they joined and moves the rest up', async () => {
      const t0 = Date.now();
      const room = await ctx.room('admit', { admissionTtlSeconds: 120 }, t0);
      await ctx.joinMany(room.id, 5, t0);
      const at = t0 + 1_000;
      const outcome = await ctx.store().admit(room.id, 2, at);
      expect(outcome).toEqual({ ok: true, admitted: 2, ticketIds: ['t1', 't2'] });
      for (const id of ['t1', 't2']) {
        expect(await ctx.read(room.id, id, at)).toMatchObject({
          state: 'admitted',
          position: null,
          admittedAt: at,
          admissionExpiresAt: at + 120_000,
        });
      }
      expect(await ctx.positions(room.id, ['t3', 't4', 't5'], at)).toEqual([1, 2, 3]);
      const state = await ctx.store().getRoom(room.id);
      expect(state).toMatchObject({ waiting: 3, active: 2 });
      expect(state?.counters.admittedTotal).toBe(2);
    });

    it('skips tickets that left the line', async () => {
      const t0 = Date.now();
      const room = await ctx.room('admit-skip', {}, t0);
      await ctx.joinMany(room.id, 4, t0);
      await ctx.store().leave(room.id, 't1', t0 + 1);
      await ctx.store().leave(room.id, 't3', t0 + 1);
      const outcome = await ctx.store().admit(room.id, 2, t0 + 2);
      expect(outcome).toEqual({ ok: true, admitted: 2, ticketIds: ['t2', 't4'] });
    });

    it('admits no more than are waiting', async () => {
      const t0 = Date.now();
      const room = await ctx.room('admit-all', {}, t0);
      await ctx.joinMany(room.id, 3, t0);
      expect(await ctx.store().admit(room.id, 10, t0 + 1)).toEqual({
        ok: true,
        admitted: 3,
        ticketIds: ['t1', 't2', 't3'],
      });
      expect(await ctx.store().admit(room.id, 10, t0 + 2)).toEqual({ ok: true, admitted: 0, ticketIds: [] });
      expect((await ctx.store().getRoom(room.id))?.waiting).toBe(0);
    });

    it('never lets the active pass maxActive, and admits again as places free up', async () => {
      const t0 = Date.now();
      const room = await ctx.room('admit-cap', { maxActive: 2 }, t0);
      await ctx.joinMany(room.id, 5, t0);
      expect(await ctx.store().admit(room.id, 5, t0 + 1)).toEqual({
        ok: true,
        admitted: 2,
        ticketIds: ['t1', 't2'],
      });
      expect((await ctx.store().getRoom(room.id))?.active).toBe(2);
      expect(await ctx.store().admit(room.id, 5, t0 + 2)).toEqual({ ok: true, admitted: 0, ticketIds: [] });
      expect((await ctx.store().complete(room.id, 't1', t0 + 3)).ok).toBe(true);
      expect(await ctx.store().admit(room.id, 5, t0 + 4)).toEqual({
        ok: true,
        admitted: 1,
        ticketIds: ['t3'],
      });
      const state = await ctx.store().getRoom(room.id);
      expect(state?.active).toBe(2);
      expect(state?.waiting).toBe(2);
    });

    it('admits by hand while the room is paused', async () => {
      const t0 = Date.now();
      const room = await ctx.room('admit-paused', { status: 'paused' }, t0);
      await ctx.joinMany(room.id, 2, t0);
      expect(await ctx.store().admit(room.id, 1, t0 + 1)).toEqual({
        ok: true,
        admitted: 1,
        ticketIds: ['t1'],
      });
    });

    it('refuses to admit in a closed room, as data, and admits nobody', async () => {
      const t0 = Date.now();
      const room = await ctx.room('admit-closed', {}, t0);
      await ctx.joinMany(room.id, 2, t0);
      await ctx.store().updateRoom(room.id, { status: 'closed' }, t0 + 1);
      expect(await ctx.store().admit(room.id, 2, t0 + 2)).toEqual({ ok: false, reason: 'ROOM_CLOSED' });
      expect((await ctx.read(room.id, 't1', t0 + 2)).state).toBe('waiting');
      expect(await ctx.store().admit(ctx.roomId('nowhere'), 1, t0)).toEqual({
        ok: false,
        reason: 'ROOM_NOT_FOUND',
      });
    });

    it('admitting nobody changes nothing', async () => {
      const t0 = Date.now();
      const room = await ctx.room('admit-zero', {}, t0);
      await ctx.joinMany(room.id, 2, t0);
      expect(await ctx.store().admit(room.id, 0, t0 + 1)).toEqual({ ok: true, admitted: 0, ticketIds: [] });
      expect(await ctx.positions(room.id, ['t1', 't2'], t0 + 1)).toEqual([1, 2]);
    });

    it('admissions racing each other never admit a ticket twice', async () => {
      const t0 = Date.now();
      const room = await ctx.room('admit-race', {}, t0);
      await ctx.joinMany(room.id, 10, t0);
      const outcomes = await Promise.all(oneTo(4).map(() => ctx.store().admit(room.id, 3, t0 + 1)));
      const ids = outcomes.flatMap((o) => (o.ok ? o.ticketIds : []));
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(
        oneTo(10)
          .map((n) => `t${n}`)
          .sort(),
      );
      expect((await ctx.store().getRoom(room.id))?.counters.admittedTotal).toBe(10);
    });
  });
}
