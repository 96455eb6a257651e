import { predictWaitSeconds, type WaitPredictor } from '@waitroom/core';
import { oneTo, type SuiteContext } from './suite-context.js';

export function lineSuite(ctx: SuiteContext): void {
  const { describe, it, expect } = ctx.t;

  describe('joining the line', () => {
    it('tickets joining one after another get positions 1, 2, 3… in join order', async () => {
      const t0 = Date.now();
      const room = await ctx.room('join', {}, t0);
      const tickets = await ctx.joinMany(room.id, 5, t0);
      expect(tickets.map((ticket) => ticket.position)).toEqual(oneTo(5));
      for (const ticket of tickets) {
        expect(ticket).toMatchObject({
          roomId: room.id,
          state: 'waiting',
          joinedAt: t0,
          admittedAt: null,
          admissionExpiresAt: null,
          expiryReason: null,
          predictedWaitSeconds: null,
        });
      }
      const state = await ctx.store().getRoom(room.id);
      expect(state?.waiting).toBe(5);
      expect(state?.counters.joinedTotal).toBe(5);
    });

    it('gives back a join time that is not a whole number of milliseconds exactly', async () => {
      const t0 = Date.now() + 0.25;
      const room = await ctx.room('fractional', {}, Math.floor(t0));
      const [ticket] = await ctx.joinMany(room.id, 1, t0);
      expect(ticket?.joinedAt).toBe(t0);
      expect((await ctx.read(room.id, 't1', t0 + 1)).joinedAt).toBe(t0);
      const [read] = await ctx.store().readTickets(room.id, ['t1'], { now: t0 + 2, touch: true });
      expect(read?.joinedAt).toBe(t0);
    });

    it('joins racing each other still get each position from 1 to n exactly once', async () => {
      const t0 = Date.now();
      const room = await ctx.room('race', {}, t0);
      const outcomes = await Promise.all(
        oneTo(20).map((n) => ctx.store().join(room.id, { ticketId: `r${n}`, now: t0, predictor: null })),
      );
      const positions = outcomes.map((o) => (o.ok ? o.ticket.position : null));
      expect([...positions].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(oneTo(20));
      expect((await ctx.store().getRoom(room.id))?.waiting).toBe(20);
    });

    it('a crowd of joins made at once is placed in the order the joins were made', async () => {
      // More joins than one Redis script call takes (its batches hold 500).
      const t0 = Date.now();
      const room = await ctx.room('crowd', {}, t0);
      const predictor: WaitPredictor = { perSecond: 10, abandonPerSecond: 0.01, delaySeconds: 1 };
      const outcomes = await Promise.all(
        oneTo(1200).map((n) => ctx.store().join(room.id, { ticketId: `c${n}`, now: t0, predictor })),
      );
      const tickets = outcomes.map((o) => (o.ok ? o.ticket : null));
      expect(tickets.map((t) => t?.ticketId)).toEqual(oneTo(1200).map((n) => `c${n}`));
      expect(tickets.map((t) => t?.position)).toEqual(oneTo(1200));
      for (const ticket of [tickets[0], tickets[499], tickets[500], tickets[1199]]) {
        expect(ticket?.predictedWaitSeconds).toBeCloseTo(
          predictWaitSeconds(ticket?.position ?? 0, predictor) ?? Number.NaN,
          2,
        );
      }
      const state = await ctx.store().getRoom(room.id);
      expect(state?.waiting).toBe(1200);
      expect(state?.counters.joinedTotal).toBe(1200);
      // And they leave the line in that order.
      const admitted = await ctx.store().admit(room.id, 3, t0 + 1);
      expect(admitted).toMatchObject({ ok: true, ticketIds: ['c1', 'c2', 'c3'] });
    });

    it('a ticket id already in use is refused on its own, the joins made with it still placed', async () => {
      const t0 = Date.now();
      const room = await ctx.room('dup', {}, t0);
      await ctx.joinMany(room.id, 1, t0);
      await ctx.store().join(room.id, { ticketId: 'taken', now: t0, predictor: null });
      const results = await Promise.allSettled(
        ['d1', 'taken', 'd2'].map((ticketId) =>
          ctx.store().join(room.id, { ticketId, now: t0, predictor: null }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const positions = results.map((r) =>
        r.status === 'fulfilled' && r.value.ok ? r.value.ticket.position : null,
      );
      expect(positions).toEqual([3, null, 4]);
      expect((await ctx.store().getRoom(room.id))?.waiting).toBe(4);

      // The same new id twice in one crowd: the first is placed, the second refused.
      const twice = await Promise.allSettled(
        ['d3', 'd3', 'd4'].map((ticketId) =>
          ctx.store().join(room.id, { ticketId, now: t0, predictor: null }),
        ),
      );
      expect(twice.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await ctx.positions(room.id, ['d3', 'd4'], t0)).toEqual([5, 6]);
      expect((await ctx.store().getRoom(room.id))?.waiting).toBe(6);
    });

    it('reads made at once each get their own ticket, an unknown one null', async () => {
      const t0 = Date.now();
      const room = await ctx.room('reads', {}, t0);
      const tickets = await ctx.joinMany(room.id, 30, t0);
      const ids = [...tickets.map((t) => t.ticketId).reverse(), 'nobody', tickets[0]!.ticketId];
      const reads = await Promise.all(
        ids.map((id, k) => ctx.store().readTicket(room.id, id, { now: t0 + 5, touch: k % 2 === 0 })),
      );
      expect(reads.map((r) => r?.ticketId ?? null)).toEqual([...ids.slice(0, 30), null, ids[31]]);
      expect(reads.map((r) => r?.position ?? null)).toEqual([...oneTo(30).reverse(), null, 1]);
    });

    it('a joining ticket records the wait predicted for the position it got', async () => {
      const t0 = Date.now();
      const room = await ctx.room('predict', {}, t0);
      const predictor: WaitPredictor = { perSecond: 4, abandonPerSecond: 0, delaySeconds: 2 };
      const tickets = await ctx.joinMany(room.id, 3, t0, predictor);
      for (const ticket of tickets) {
        const expected = predictWaitSeconds(ticket.position, predictor);
        expect(expected).not.toBeNull();
        expect(ticket.predictedWaitSeconds).toBeCloseTo(expected ?? Number.NaN, 3);
        expect((await ctx.read(room.id, ticket.ticketId, t0)).predictedWaitSeconds).toBeCloseTo(
          expected ?? Number.NaN,
          3,
        );
      }
    });

    it('joining a room that does not exist is refused with ROOM_NOT_FOUND', async () => {
      const outcome = await ctx
        .store()
        .join(ctx.roomId('missing'), { ticketId: 'x', now: Date.now(), predictor: null });
      expect(outcome).toEqual({ ok: false, reason: 'ROOM_NOT_FOUND' });
    });

    it('joining a closed room is refused with ROOM_CLOSED and nobody joins', async () => {
      const t0 = Date.now();
      const room = await ctx.room('closed', { status: 'closed' }, t0);
      const outcome = await ctx.store().join(room.id, { ticketId: 'x', now: t0, predictor: null });
      expect(outcome).toEqual({ ok: false, reason: 'ROOM_CLOSED' });
      expect(await ctx.store().readTicket(room.id, 'x', { now: t0, touch: false })).toBeNull();
      const state = await ctx.store().getRoom(room.id);
      expect(state?.waiting).toBe(0);
      expect(state?.counters.joinedTotal).toBe(0);
    });

    it('a paused room still lets shoppers join the line', async () => {
      const t0 = Date.now();
      const room = await ctx.room('paused-join', { status: 'paused' }, t0);
      const [ticket] = await ctx.joinMany(room.id, 1, t0);
      expect(ticket).toMatchObject({ state: 'waiting', position: 1 });
    });
  });

  describe('reading tickets', () => {
    it('an unknown ticket, or a ticket of an unknown room, reads as null', async () => {
      const t0 = Date.now();
      const room = await ctx.room('read-null', {}, t0);
      await ctx.joinMany(room.id, 1, t0);
      const opts = { now: t0, touch: true };
      expect(await ctx.store().readTicket(room.id, 'nobody', opts)).toBeNull();
      expect(await ctx.store().readTicket(ctx.roomId('nowhere'), 't1', opts)).toBeNull();
      expect(await ctx.store().readTickets(ctx.roomId('nowhere'), ['t1', 't2'], opts)).toEqual([null, null]);
    });

    it('a ticket id of any characters reads back as it was, with its times to the millisecond', async () => {
      const t0 = Date.now() + 0.5;
      const room = await ctx.room('odd-ids', {}, t0);
      const ids = ['a,b,,c', ',', 'é 1', '0,1,2,3,4,5,6'];
      for (const ticketId of ids) {
        const outcome = await ctx.store().join(room.id, { ticketId, now: t0, predictor: null });
        expect(outcome.ok && outcome.ticket.ticketId).toBe(ticketId);
      }
      await ctx.store().admit(room.id, 1, t0 + 1000.25);
      const read = await ctx.store().readTickets(room.id, ids, { now: t0 + 2000, touch: false });
      expect(read.map((t) => t?.ticketId)).toEqual(ids);
      expect(read.map((t) => t?.position ?? null)).toEqual([null, 1, 2, 3]);
      expect(read[0]).toMatchObject({ state: 'admitted', joinedAt: t0 });
      expect(read[0]!.admittedAt).toBeGreaterThanOrEqual(t0 + 999);
      expect(read[0]!.admittedAt).toBeLessThanOrEqual(t0 + 1000.25);
      expect(read[1]).toMatchObject({
        state: 'waiting',
        joinedAt: t0,
        admittedAt: null,
        admissionExpiresAt: null,
      });
    });

    it('reading many tickets answers in the order asked, with null for the unknown', async () => {
      const t0 = Date.now();
      const room = await ctx.room('read-many', {}, t0);
      await ctx.joinMany(room.id, 3, t0);
      const read = await ctx.store().readTickets(room.id, ['t3', 'nobody', 't1'], { now: t0, touch: false });
      expect(read.map((ticket) => ticket?.ticketId ?? null)).toEqual(['t3', null, 't1']);
      expect(read.map((ticket) => ticket?.position ?? null)).toEqual([3, null, 1]);
    });

    it('positions stay exact with hundreds of leavers ahead, read one by one and all at once', async () => {
      const t0 = Date.now();
      const room = await ctx.room('many-gaps', {}, t0);
      const tickets = await ctx.joinMany(room.id, 700, t0);
      // Three of every four between the 51st and the 650th leave (450 leavers), then the first
      // ten are admitted: the leavers are ahead of most of the line, behind the head.
      const leavers = new Set<string>();
      for (let k = 50; k < 650; k++) if (k % 4 !== 0) leavers.add(tickets[k]!.ticketId);
      for (const id of leavers) await ctx.store().leave(room.id, id, t0 + 1);
      await ctx.store().admit(room.id, 10, t0 + 2);
      const ids = tickets.map((t) => t.ticketId);
      let position = 0;
      const expected = ids.map((id, k) => (k < 10 || leavers.has(id) ? null : ++position));
      expect(await ctx.positions(room.id, ids, t0 + 3)).toEqual(expected);
      const picked = [ids[699]!, ids[60]!, ids[12]!, ids[652]!];
      const one = [];
      for (const id of picked) one.push((await ctx.read(room.id, id, t0 + 3)).position);
      expect(one).toEqual(picked.map((id) => expected[ids.indexOf(id)]));
      expect((await ctx.store().getRoom(room.id))?.waiting).toBe(position);
    });

    it('a read that counts as a sign of life keeps a ticket in line; a plain read does not', async () => {
      const t0 = Date.now();
      const room = await ctx.room('touch', { heartbeatTimeoutSeconds: 30 }, t0);
      await ctx.joinMany(room.id, 2, t0);
      const late = t0 + 29_000;
      await ctx.store().readTicket(room.id, 't1', { now: late, touch: true });
      await ctx.store().readTicket(room.id, 't2', { now: late, touch: false });
      await ctx.store().sweep(room.id, t0 + 30_000);
      expect((await ctx.read(room.id, 't1', t0 + 30_000)).state).toBe('waiting');
      expect(await ctx.read(room.id, 't2', t0 + 30_000)).toMatchObject({
        state: 'expired',
        expiryReason: 'abandoned',
      });
    });

    it('reading many tickets with a sign of life keeps every one of them in line', async () => {
      const t0 = Date.now();
      const room = await ctx.room('touch-many', { heartbeatTimeoutSeconds: 30 }, t0);
      await ctx.joinMany(room.id, 3, t0);
      await ctx.store().readTickets(room.id, ['t1', 't3'], { now: t0 + 20_000, touch: true });
      const swept = await ctx.store().sweep(room.id, t0 + 30_000);
      expect(swept).toEqual({ abandoned: 1, admissionsExpired: 0 });
      const read = await ctx
        .store()
        .readTickets(room.id, ['t1', 't2', 't3'], { now: t0 + 30_000, touch: false });
      expect(read.map((ticket) => ticket?.state)).toEqual(['waiting', 'expired', 'waiting']);
      expect(read.map((ticket) => ticket?.position ?? null)).toEqual([1, null, 2]);
    });
  });

  describe('leaving the line', () => {
    it('a ticket that leaves moves everyone behind it up by one and those ahead not at all', async () => {
      const t0 = Date.now();
      const room = await ctx.room('leave', {}, t0);
      await ctx.joinMany(room.id, 5, t0);
      const left = await ctx.store().leave(room.id, 't2', t0 + 1);
      expect(left).toMatchObject({ ticketId: 't2', state: 'left', position: null });
      expect(await ctx.positions(room.id, ['t1', 't2', 't3', 't4', 't5'], t0 + 1)).toEqual([
        1,
        null,
        2,
        3,
        4,
      ]);
      const state = await ctx.store().getRoom(room.id);
      expect(state?.waiting).toBe(4);
      expect(state?.counters.leftTotal).toBe(1);
    });

    it('leaving twice counts once', async () => {
      const t0 = Date.now();
      const room = await ctx.room('leave-twice', {}, t0);
      await ctx.joinMany(room.id, 2, t0);
      await ctx.store().leave(room.id, 't1', t0 + 1);
      const again = await ctx.store().leave(room.id, 't1', t0 + 2);
      expect(again?.state).toBe('left');
      const state = await ctx.store().getRoom(room.id);
      expect(state?.counters.leftTotal).toBe(1);
      expect(state?.waiting).toBe(1);
      expect((await ctx.read(room.id, 't2', t0 + 2)).position).toBe(1);
    });

    it('an admitted ticket that leaves gives up its admission and its place among the active', async () => {
      const t0 = Date.now();
      const room = await ctx.room('leave-admitted', {}, t0);
      await ctx.joinMany(room.id, 2, t0);
      await ctx.store().admit(room.id, 1, t0 + 1);
      expect((await ctx.store().getRoom(room.id))?.active).toBe(1);
      expect((await ctx.store().leave(room.id, 't1', t0 + 2))?.state).toBe('left');
      const state = await ctx.store().getRoom(room.id);
      expect(state?.active).toBe(0);
      expect(state?.counters.leftTotal).toBe(1);
      expect((await ctx.store().complete(room.id, 't1', t0 + 3)).ok).toBe(false);
    });

    it('leaving with an unknown ticket, or in an unknown room, answers null', async () => {
      const t0 = Date.now();
      const room = await ctx.room('leave-null', {}, t0);
      expect(await ctx.store().leave(room.id, 'nobody', t0)).toBeNull();
      expect(await ctx.store().leave(ctx.roomId('nowhere'), 'nobody', t0)).toBeNull();
    });
  });
}
