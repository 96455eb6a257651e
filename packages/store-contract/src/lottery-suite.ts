import { lotteryOrder, seedCommitment, withDefaults } from '@waitroom/core';
import { oneTo, type SuiteContext } from './suite-context.js';

export function lotterySuite(ctx: SuiteContext): void {
  const { describe, it, expect } = ctx.t;

  /** A lottery room holding `seed`, opening a minute after t0, with `count` tickets in its pre-queue. */
  async function scheduledLottery(label: string, count: number, t0: number, seed = 'seed') {
    const opensAt = t0 + 60_000;
    const room = await ctx.room(
      label,
      { queueMode: 'lottery', opensAt: new Date(opensAt).toISOString(), heartbeatTimeoutSeconds: 600 },
      t0,
      seed,
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
      expect(await ctx.store().drawLottery(room.id, t0 + 3)).toMatchObject({ drawn: true, size: 3 });
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

    it('the draw puts the pre-queue in the order lotteryOrder(seed, ids) gives, with the seed held', async () => {
      const t0 = Date.now();
      const seed = 'a1b2c3d4e5f6';
      const { room, opensAt, ids } = await scheduledLottery('lottery-draw', 12, t0, seed);
      expect(await ctx.store().drawLottery(room.id, opensAt)).toEqual({ drawn: true, size: 12 });
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
        'seed-gone',
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
      expect(await store.drawLottery(room.id, opensAt)).toEqual({
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
      const { room, opensAt, ids } = await scheduledLottery('lottery-twice', 6, t0, 'first');
      await ctx.store().drawLottery(room.id, opensAt);
      const again = await ctx.store().drawLottery(room.id, opensAt + 1);
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
      const { room, opensAt, ids } = await scheduledLottery('lottery-after', 5, t0, 'seed-after');
      await ctx.store().drawLottery(room.id, opensAt);
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
      expect((await ctx.store().drawLottery(fifo.id, t0)).drawn).toBe(false);
      expect((await ctx.store().getRoom(fifo.id))?.lottery).toBeNull();
      expect(await ctx.positions(fifo.id, ['t1', 't2'], t0)).toEqual([1, 2]);
      const opened = await ctx.room('lottery-empty', { queueMode: 'lottery' }, t0);
      const [ticket] = await ctx.joinMany(opened.id, 1, t0);
      expect(ticket?.position).toBe(1);
      expect((await ctx.store().drawLottery(opened.id, t0)).drawn).toBe(false);
    });

    it('a lottery room holds its seed from scheduling: the commitment is public at once, the seed nowhere', async () => {
      const t0 = Date.now();
      const seed = 'c0ffee'.repeat(10);
      const room = await ctx.room(
        'lottery-commit',
        { queueMode: 'lottery', opensAt: iso(t0 + 60_000) },
        t0,
        seed,
      );
      const state = await ctx.store().getRoom(room.id);
      expect(state?.lotteryCommitment).toBe(seedCommitment(seed));
      expect(JSON.stringify(state)).not.toContain(seed);
      expect(JSON.stringify(await ctx.store().listRooms())).not.toContain(seed);
      expect(await ctx.store().readLotteryDraw(room.id)).toBeNull();
      const fifo = await ctx.room('lottery-commit-fifo', {}, t0);
      expect((await ctx.store().getRoom(fifo.id))?.lotteryCommitment).toBeNull();
    });

    it('the draw keeps the tickets it ranked, in the drawn order, after they have left the line', async () => {
      const t0 = Date.now();
      const seed = 'kept-seed';
      const { room, opensAt, ids } = await scheduledLottery('lottery-kept', 8, t0, seed);
      const store = ctx.store();
      await store.drawLottery(room.id, opensAt);
      const drawn = { drawnAt: opensAt, seed, size: 8, order: lotteryOrder(seed, ids) };
      expect(await store.readLotteryDraw(room.id)).toEqual(drawn);
      expect([...drawn.order].sort()).toEqual([...ids].sort());
      const late = await ctx.joinMany(room.id, 2, opensAt + 1, null, 'late');
      const admitted = await store.admit(room.id, 10, opensAt + 2);
      expect(admitted.ok && admitted.ticketIds).toEqual([...drawn.order, ...late.map((t) => t.ticketId)]);
      for (const id of drawn.order.slice(0, 4)) await store.complete(room.id, id, opensAt + 3);
      expect(await store.readLotteryDraw(room.id)).toEqual(drawn);
      expect((await store.getRoom(room.id))?.lotteryCommitment).toBe(seedCommitment(seed));
    });

    it('a change of settings keeps the seed held; a room that becomes a lottery takes the seed given', async () => {
      const t0 = Date.now();
      const store = ctx.store();
      const lottery = await ctx.room(
        'lottery-keep',
        { queueMode: 'lottery', opensAt: iso(t0 + 60_000) },
        t0,
        'held',
      );
      await store.updateRoom(
        lottery.id,
        { admitRatePerMinute: 5, opensAt: iso(t0 + 90_000) },
        t0 + 1,
        'other',
      );
      await store.updateRoom(lottery.id, { queueMode: 'fifo' }, t0 + 2, 'other');
      await store.updateRoom(lottery.id, { queueMode: 'lottery' }, t0 + 3, 'other');
      expect((await store.getRoom(lottery.id))?.lotteryCommitment).toBe(seedCommitment('held'));

      const fifo = await ctx.room('lottery-becomes', { opensAt: iso(t0 + 60_000) }, t0);
      const changed = await store.updateRoom(fifo.id, { queueMode: 'lottery' }, t0 + 1, 'given');
      expect(changed?.lotteryCommitment).toBe(seedCommitment('given'));
      await ctx.joinMany(fifo.id, 3, t0 + 2, null, 'pre');
      expect(await store.drawLottery(fifo.id, t0 + 60_000)).toEqual({ drawn: true, size: 3 });
      expect((await store.readLotteryDraw(fifo.id))?.seed).toBe('given');
    });

    it('a room rescheduled after its draw takes a new seed for its new pre-queue, and only then', async () => {
      const t0 = Date.now();
      const store = ctx.store();
      const { room, opensAt } = await scheduledLottery('lottery-again', 3, t0, 'one');
      await store.drawLottery(room.id, opensAt);
      // Open and drawn: a change that does not reschedule keeps the drawn seed, now public.
      await store.updateRoom(room.id, { admitRatePerMinute: 60 }, opensAt + 1, 'not-taken');
      expect((await store.getRoom(room.id))?.lotteryCommitment).toBe(seedCommitment('one'));

      const reopensAt = opensAt + 60_000;
      const rescheduled = await store.updateRoom(room.id, { opensAt: iso(reopensAt) }, opensAt + 2, 'two');
      expect(rescheduled?.lotteryCommitment).toBe(seedCommitment('two'));
      expect(rescheduled?.lottery?.seed).toBe('one');
      const again = await ctx.joinMany(room.id, 4, opensAt + 3, null, 'again');
      expect(again.map((t) => t.position)).toEqual([null, null, null, null]);
      expect(await store.drawLottery(room.id, reopensAt)).toEqual({ drawn: true, size: 4 });
      expect(await store.readLotteryDraw(room.id)).toEqual({
        drawnAt: reopensAt,
        seed: 'two',
        size: 4,
        order: lotteryOrder(
          'two',
          again.map((t) => t.ticketId),
        ),
      });
    });

    it('a pre-queue whose room holds no seed is not drawn until the room is given one', async () => {
      const t0 = Date.now();
      const store = ctx.store();
      const opensAt = t0 + 60_000;
      const settings = withDefaults({
        id: ctx.roomId('lottery-unseeded'),
        name: 'Unseeded',
        queueMode: 'lottery',
        opensAt: iso(opensAt),
        heartbeatTimeoutSeconds: 600,
      });
      await store.createRoom(settings, t0);
      expect((await store.getRoom(settings.id))?.lotteryCommitment).toBeNull();
      const ids = (await ctx.joinMany(settings.id, 3, t0, null, 'pre')).map((t) => t.ticketId);
      expect(await store.drawLottery(settings.id, opensAt)).toEqual({
        drawn: false,
        size: 0,
        needsSeed: true,
      });
      expect((await store.getRoom(settings.id))?.preQueue).toBe(3);
      await store.updateRoom(settings.id, {}, opensAt, 'late');
      expect(await store.drawLottery(settings.id, opensAt)).toEqual({ drawn: true, size: 3 });
      expect(await ctx.positions(settings.id, lotteryOrder('late', ids), opensAt)).toEqual(oneTo(3));
    });
  });
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
