import { lotteryOrder } from '@waitroom/core';
import { oneTo, type SuiteContext } from './suite-context.js';

export function lotterySuite(ctx: SuiteContext): void {
  const { describe, it, expect } = ctx.t;

  /** A lottery room opening a minute after t0, with `count` tickets in its pre-queue. */
  async function scheduledLottery(label: string, count: number, t0: number) {
    const opensAt = t0 + 60_000;
    const room = await ctx.room(
      label,
      { queueMode: 'lottery', opensAt: new Date(opensAt).toISOString(), heartbeatTimeoutSeconds: 600 },
      t0,
    );
    const tickets = await ctx.joinMany(room.id, count, t0, null, 'pre');
    return { room, opensAt, ids: tickets.map((ticket) => ticket.ticketId) };
  }

  describe('the lottery', () => {
    it('tickets joining before a lottery room opens wait in the pre-queue without a position', async () => {
      const t0 = Date.now();
      const { room, ids } = await scheduledLottery('lottery-pre', 4, t0);
      for (const id of ids) {
        expect(await ctx.read(room.id, id, t0)).toMatchObject({ state: 'waiting', position: null });
      }
      const state = await ctx.store().getRoom(room.id);
      expect(state).toMatchObject({ waiting: 4, preQueue: 4, lottery: null });
    });

    it('a lottery room paused before it opens still gathers its joiners in the pre-queue', async () => {
      const t0 = Date.now();
      const { room, ids } = await scheduledLottery('lottery-paused', 2, t0);
      await ctx.store().updateRoom(room.id, { status: 'paused' }, t0 + 1);
      const outcome = await ctx.store().join(room.id, { ticketId: 'paused1', now: t0 + 2, predictor: null });
      expect(outcome.ok && outcome.ticket.position).toBeNull();
      const state = await ctx.store().getRoom(room.id);
      expect(state).toMatchObject({ waiting: 3, preQueue: 3, lottery: null });
      expect(await ctx.store().drawLottery(room.id, 'seed', t0 + 3)).toMatchObject({ drawn: true, size: 3 });
      const order = lotteryOrder('seed', [...ids, 'paused1']);
      expect(await ctx.positions(room.id, order, t0 + 3)).toEqual(oneTo(3));
    });

    it('once the room has opened, a join is refused with DRAW_PENDING until the pre-queue is drawn', async () => {
      const t0 = Date.now();
      const { room, opensAt } = await scheduledLottery('lottery-pending', 3, t0);
      const outcome = await ctx.store().join(room.id, { ticketId: 'late', now: opensAt, predictor: null });
      expect(outcome).toEqual({ ok: false, reason: 'DRAW_PENDING' });
      expect(await ctx.store().readTicket(room.id, 'late', { now: opensAt, touch: false })).toBeNull();
      expect((await ctx.store().getRoom(room.id))?.counters.joinedTotal).toBe(3);
    });

    it('nobody is admitted, by rate or by hand, before the pre-queue is drawn', async () => {
      const t0 = Date.now();
      const { room, opensAt } = await scheduledLottery('lottery-hold', 3, t0);
      const store = ctx.store();
      expect(await store.admit(room.id, 3, t0 + 1)).toEqual({ ok: true, admitted: 0, ticketIds: [] });
      await store.admitByRate(room.id, opensAt, 1);
      expect(await store.admitByRate(room.id, opensAt + 1_000, 1)).toEqual({
        ok: true,
        admitted: 0,
        ticketIds: [],
      });
      expect(await store.admit(room.id, 3, opensAt + 1_000)).toEqual({
        ok: true,
        admitted: 0,
        ticketIds: [],
      });
      expect((await store.getRoom(room.id))?.preQueue).toBe(3);
    });

    it('the draw puts the pre-queue in the order lotteryOrder(seed, ids) gives', async () => {
      const t0 = Date.now();
      const { room, opensAt, ids } = await scheduledLottery('lottery-draw', 12, t0);
      const seed = 'a1b2c3d4e5f6';
      expect(await ctx.store().drawLottery(room.id, seed, opensAt)).toEqual({ drawn: true, size: 12 });
      const order = lotteryOrder(seed, ids);
      expect(await ctx.positions(room.id, order, opensAt)).toEqual(oneTo(12));
      const state = await ctx.store().getRoom(room.id);
      expect(state).toMatchObject({
        waiting: 12,
        preQueue: 0,
        lottery: { drawnAt: opensAt, seed, size: 12 },
      });
      expect(await ctx.store().admit(room.id, 12, opensAt + 1)).toEqual({
        ok: true,
        admitted: 12,
        ticketIds: order,
      });
    });

    it('tickets that left the pre-queue, or were abandoned in it, take no part in the draw', async () => {
      const t0 = Date.now();
      const opensAt = t0 + 60_000;
      const room = await ctx.room(
        'lottery-gone',
        { queueMode: 'lottery', opensAt: new Date(opensAt).toISOString(), heartbeatTimeoutSeconds: 30 },
        t0,
      );
      const store = ctx.store();
      const ids = (await ctx.joinMany(room.id, 6, t0, null, 'pre')).map((ticket) => ticket.ticketId);
      await store.leave(room.id, 'pre2', t0 + 1);
      await store.readTickets(room.id, ['pre1', 'pre3', 'pre4', 'pre5'], {
        now: opensAt - 1_000,
        touch: true,
      });
      await store.sweep(room.id, opensAt); // pre6 was silent for a minute
      const live = ids.filter((id) => id !== 'pre2' && id !== 'pre6');
      expect(await store.drawLottery(room.id, 'seed-gone', opensAt)).toEqual({
        drawn: true,
        size: live.length,
      });
      expect(await ctx.positions(room.id, lotteryOrder('seed-gone', live), opensAt)).toEqual(
        oneTo(live.length),
      );
      expect(await ctx.positions(room.id, ['pre2', 'pre6'], opensAt)).toEqual([null, null]);
    });

    it('a second draw changes nothing', async () => {
      const t0 = Date.now();
      const { room, opensAt, ids } = await scheduledLottery('lottery-twice', 6, t0);
      await ctx.store().drawLottery(room.id, 'first', opensAt);
      const again = await ctx.store().drawLottery(room.id, 'second', opensAt + 1);
      expect(again.drawn).toBe(false);
      expect(await ctx.positions(room.id, lotteryOrder('first', ids), opensAt + 1)).toEqual(oneTo(6));
      expect((await ctx.store().getRoom(room.id))?.lottery).toEqual({
        drawnAt: opensAt,
        seed: 'first',
        size: 6,
      });
    });

    it('shoppers who join after the draw queue behind the drawn pre-queue in arrival order', async () => {
      const t0 = Date.now();
      const { room, opensAt, ids } = await scheduledLottery('lottery-after', 5, t0);
      await ctx.store().drawLottery(room.id, 'seed-after', opensAt);
      const late = await ctx.joinMany(room.id, 3, opensAt + 10, null, 'late');
      expect(late.map((ticket) => ticket.position)).toEqual([6, 7, 8]);
      const admitted = await ctx.store().admit(room.id, 8, opensAt + 20);
      expect(admitted.ok && admitted.ticketIds).toEqual([
        ...lotteryOrder('seed-after', ids),
        'late1',
        'late2',
        'late3',
      ]);
    });

    it('a room with no pre-queue has nothing to draw', async () => {
      const t0 = Date.now();
      const fifo = await ctx.room('lottery-none', {}, t0);
      await ctx.joinMany(fifo.id, 2, t0);
      expect((await ctx.store().drawLottery(fifo.id, 'seed', t0)).drawn).toBe(false);
      expect((await ctx.store().getRoom(fifo.id))?.lottery).toBeNull();
      expect(await ctx.positions(fifo.id, ['t1', 't2'], t0)).toEqual([1, 2]);
      const opened = await ctx.room('lottery-empty', { queueMode: 'lottery' }, t0);
      const [ticket] = await ctx.joinMany(opened.id, 1, t0);
      expect(ticket?.position).toBe(1);
      expect((await ctx.store().drawLottery(opened.id, 'seed', t0)).drawn).toBe(false);
    });
  });
}
