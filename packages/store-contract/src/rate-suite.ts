import type { AdmitOutcome } from '@waitroom/core';
import { oneTo, type SuiteContext } from './suite-context.js';

/** One call of admitByRate: when, and how many it admitted. */
export interface Admission {
  at: number;
  admitted: number;
}

/** The most admitted in any window of a minute (windows starting at an admission are the worst). */
export function busiestMinute(admissions: readonly Admission[]): number {
  let most = 0;
  for (const start of admissions) {
    let sum = 0;
    for (const a of admissions) if (a.at >= start.at && a.at < start.at + 60_000) sum += a.admitted;
    most = Math.max(most, sum);
  }
  return most;
}

/** Tickets a rate earns in one tick of `burstSeconds`. */
export function perTick(ratePerMinute: number, burstSeconds: number): number {
  return (ratePerMinute / 60) * burstSeconds;
}

/** The credit a rate may bank: one tick's worth, plus the fraction of a ticket a tick leaves over. */
export function creditCap(ratePerMinute: number, burstSeconds: number): number {
  return perTick(ratePerMinute, burstSeconds) + 1;
}

/** The most any minute may admit (CONTRACT.md 3): the rate plus one tick's worth, rounded up. */
export function perMinuteLimit(ratePerMinute: number, burstSeconds: number): number {
  return Math.ceil(ratePerMinute + perTick(ratePerMinute, burstSeconds) - 1e-9);
}

function admittedBy(outcome: AdmitOutcome): number {
  return outcome.ok ? outcome.admitted : 0;
}

export function rateSuite(ctx: SuiteContext): void {
  const { describe, it, expect } = ctx.t;

  describe('admitting by rate', () => {
    it('the first call admits nobody: credit starts to grow from that call, not from the room’s creation', async () => {
      const t0 = Date.now();
      const room = await ctx.room('rate-first', { admitRatePerMinute: 600 }, t0);
      await ctx.joinMany(room.id, 20, t0);
      expect(await ctx.store().admitByRate(room.id, t0 + 60_000, 1)).toEqual({
        ok: true,
        admitted: 0,
        ticketIds: [],
      });
    });

    it('later calls admit the rate times the time elapsed, in join order', async () => {
      const t0 = Date.now();
      const rate = 600;
      const room = await ctx.room('rate-elapsed', { admitRatePerMinute: rate }, t0);
      await ctx.joinMany(room.id, 30, t0);
      await ctx.store().admitByRate(room.id, t0, 1);
      let admittedSoFar = 0;
      for (const at of [t0 + 300, t0 + 800, t0 + 1_000, t0 + 1_950]) {
        // 10 a second, each interval within the one-second burst, so nothing is capped.
        const due = Math.floor(((at - t0) * rate) / 60_000) - admittedSoFar;
        const outcome = await ctx.store().admitByRate(room.id, at, 1);
        expect(outcome).toEqual({
          ok: true,
          admitted: due,
          ticketIds: oneTo(due).map((k) => `t${admittedSoFar + k}`),
        });
        admittedSoFar += due;
      }
    });

    for (const { rate, burstSeconds } of [
      { rate: 600, burstSeconds: 2 },
      { rate: 90, burstSeconds: 1 },
    ]) {
      it(`credit saved up while calls stop is capped at burstSeconds worth plus one ticket (${rate} a minute, ${burstSeconds} s)`, async () => {
        const t0 = Date.now();
        const room = await ctx.room('rate-cap', { admitRatePerMinute: rate }, t0);
        await ctx.joinMany(room.id, 100, t0);
        await ctx.store().admitByRate(room.id, t0, burstSeconds);
        const capped = Math.floor(creditCap(rate, burstSeconds));
        expect(admittedBy(await ctx.store().admitByRate(room.id, t0 + 60_000, burstSeconds))).toBe(capped);
        // What is left over is the fraction of a ticket the cap allowed, and it carries on.
        const leftOver = creditCap(rate, burstSeconds) - capped;
        const due = Math.floor(leftOver + (rate / 60) * 0.5 + 1e-9);
        expect(admittedBy(await ctx.store().admitByRate(room.id, t0 + 60_500, burstSeconds))).toBe(due);
      });
    }

    it('a rate slower than one ticket a tick still admits one ticket whenever one is due', async () => {
      const t0 = Date.now();
      const room = await ctx.room('rate-slow', { admitRatePerMinute: 6 }, t0);
      await ctx.joinMany(room.id, 5, t0);
      const store = ctx.store();
      await store.admitByRate(room.id, t0, 0.25);
      expect(admittedBy(await store.admitByRate(room.id, t0 + 10_000, 0.25))).toBe(1);
      expect(admittedBy(await store.admitByRate(room.id, t0 + 15_000, 0.25))).toBe(0);
      expect(admittedBy(await store.admitByRate(room.id, t0 + 20_000, 0.25))).toBe(1);
      // A long silence still banks no more than one ticket.
      expect(admittedBy(await store.admitByRate(room.id, t0 + 600_000, 0.25))).toBe(1);
    });

    it('banks no credit while the room is paused', async () => {
      const t0 = Date.now();
      const room = await ctx.room('rate-paused', { admitRatePerMinute: 600 }, t0);
      await ctx.joinMany(room.id, 400, t0);
      const store = ctx.store();
      await store.admitByRate(room.id, t0, 60);
      await store.updateRoom(room.id, { status: 'paused' }, t0);
      expect(admittedBy(await store.admitByRate(room.id, t0 + 10_000, 60))).toBe(0);
      expect(admittedBy(await store.admitByRate(room.id, t0 + 20_000, 60))).toBe(0);
      await store.updateRoom(room.id, { status: 'open' }, t0 + 20_000);
      // Only the half second since the last call counts, not the 20 s of pause.
      expect(admittedBy(await store.admitByRate(room.id, t0 + 20_500, 60))).toBe(5);
    });

    it('banks no credit before the room opens', async () => {
      const t0 = Date.now();
      const opensAt = t0 + 30_000;
      const room = await ctx.room(
        'rate-scheduled',
        { admitRatePerMinute: 600, opensAt: new Date(opensAt).toISOString() },
        t0,
      );
      await ctx.joinMany(room.id, 400, t0);
      const store = ctx.store();
      expect(admittedBy(await store.admitByRate(room.id, t0, 60))).toBe(0);
      expect(admittedBy(await store.admitByRate(room.id, opensAt - 1_000, 60))).toBe(0);
      expect(admittedBy(await store.admitByRate(room.id, opensAt, 60))).toBe(10);
      expect(admittedBy(await store.admitByRate(room.id, opensAt + 500, 60))).toBe(5);
    });

    it('refuses a closed room as data and banks no credit while it is closed', async () => {
      const t0 = Date.now();
      const room = await ctx.room('rate-closed', { admitRatePerMinute: 600 }, t0);
      await ctx.joinMany(room.id, 400, t0);
      const store = ctx.store();
      await store.admitByRate(room.id, t0, 60);
      await store.updateRoom(room.id, { status: 'closed' }, t0);
      expect(await store.admitByRate(room.id, t0 + 20_000, 60)).toEqual({ ok: false, reason: 'ROOM_CLOSED' });
      expect((await ctx.read(room.id, 't1', t0 + 20_000)).state).toBe('waiting');
      await store.updateRoom(room.id, { status: 'open' }, t0 + 20_000);
      expect(admittedBy(await store.admitByRate(room.id, t0 + 20_500, 60))).toBe(5);
      expect(await store.admitByRate(ctx.roomId('nowhere'), t0, 1)).toEqual({
        ok: false,
        reason: 'ROOM_NOT_FOUND',
      });
    });

    it('a rate of zero admits nobody, not even with credit saved up at an earlier rate', async () => {
      const t0 = Date.now();
      const room = await ctx.room('rate-zero', { admitRatePerMinute: 600 }, t0);
      const store = ctx.store();
      await store.admitByRate(room.id, t0, 1);
      await store.admitByRate(room.id, t0 + 1_000, 1); // an empty line: the credit stays
      await store.updateRoom(room.id, { admitRatePerMinute: 0 }, t0 + 1_000);
      await ctx.joinMany(room.id, 20, t0 + 1_000);
      expect(admittedBy(await store.admitByRate(room.id, t0 + 1_000, 1))).toBe(0);
      expect(admittedBy(await store.admitByRate(room.id, t0 + 61_000, 1))).toBe(0);
      await store.updateRoom(room.id, { admitRatePerMinute: 600 }, t0 + 61_000);
      expect(admittedBy(await store.admitByRate(room.id, t0 + 61_500, 1))).toBe(5);
    });

    it('a minute that starts with credit saved up while the line was empty admits no more than the rate plus one tick', async () => {
      const t0 = Date.now();
      const rate = 600;
      const room = await ctx.room('rate-idle', { admitRatePerMinute: rate }, t0);
      const store = ctx.store();
      for (let at = t0; at < t0 + 5_000; at += 1_000) await store.admitByRate(room.id, at, 1);
      await ctx.joinMany(room.id, rate + 50, t0 + 5_000);
      const admissions: Admission[] = [];
      for (let at = t0 + 5_000; at <= t0 + 70_000; at += 1_000) {
        admissions.push({ at, admitted: admittedBy(await store.admitByRate(room.id, at, 1)) });
      }
      expect(admissions[0]?.admitted).toBe(Math.floor(creditCap(rate, 1)));
      expect(busiestMinute(admissions)).toBeLessThanOrEqual(perMinuteLimit(rate, 1));
    });

    it('never lets the active pass maxActive', async () => {
      const t0 = Date.now();
      const room = await ctx.room('rate-cap-active', { admitRatePerMinute: 6_000, maxActive: 3 }, t0);
      await ctx.joinMany(room.id, 50, t0);
      const store = ctx.store();
      await store.admitByRate(room.id, t0, 1);
      expect(admittedBy(await store.admitByRate(room.id, t0 + 1_000, 1))).toBe(3);
      expect(admittedBy(await store.admitByRate(room.id, t0 + 2_000, 1))).toBe(0);
      await store.complete(room.id, 't2', t0 + 2_000);
      expect(await store.admitByRate(room.id, t0 + 3_000, 1)).toEqual({
        ok: true,
        admitted: 1,
        ticketIds: ['t4'],
      });
      expect((await store.getRoom(room.id))?.active).toBe(3);
    });

    it('callers from several instances at the same moment share one credit', async () => {
      const t0 = Date.now();
      const room = await ctx.room('rate-shared', { admitRatePerMinute: 600 }, t0);
      await ctx.joinMany(room.id, 50, t0);
      await ctx.store().admitByRate(room.id, t0, 1);
      const outcomes = await Promise.all(oneTo(5).map(() => ctx.store().admitByRate(room.id, t0 + 500, 1)));
      const ids = outcomes.flatMap((o) => (o.ok ? o.ticketIds : []));
      expect([...ids].sort()).toEqual(['t1', 't2', 't3', 't4', 't5']);
    });

    for (const { rate, burstSeconds, steps } of [
      { rate: 7, burstSeconds: 1, steps: [1_000, 250, 40, 700, 333] },
      { rate: 90, burstSeconds: 0.25, steps: [250] },
      { rate: 600, burstSeconds: 1, steps: [1_000, 250, 40, 700, 333, 1_000] },
      { rate: 600, burstSeconds: 0.5, steps: [500, 499, 1] },
    ]) {
      it(`at ${rate} a minute on ticks of up to ${burstSeconds} s, it keeps the rate and no minute admits more than the rate plus one tick`, async () => {
        const t0 = Date.now();
        const room = await ctx.room(`rate-window-${rate}`, { admitRatePerMinute: rate }, t0);
        const minutes = 1.5;
        await ctx.joinMany(room.id, Math.ceil(rate * minutes + creditCap(rate, burstSeconds)) + 2, t0);
        const admissions: Admission[] = [];
        let at = t0;
        for (let k = 0; at < t0 + minutes * 60_000; k++) {
          admissions.push({
            at,
            admitted: admittedBy(await ctx.store().admitByRate(room.id, at, burstSeconds)),
          });
          at += Math.min(steps[k % steps.length]!, burstSeconds * 1000);
        }
        expect(busiestMinute(admissions)).toBeLessThanOrEqual(perMinuteLimit(rate, burstSeconds));
        // And it keeps up: no tick is longer than the burst, so no credit is lost to the cap and
        // the total is the rate times the time, less the fraction of a ticket still in credit.
        const last = admissions[admissions.length - 1]!.at;
        const total = admissions.reduce((sum, a) => sum + a.admitted, 0);
        expect(total).toBe(Math.floor((rate * (last - t0)) / 60_000 + 1e-9));
      });
    }
  });
}
