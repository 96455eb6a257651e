import { describe, expect, it } from 'vitest';
import { FlowMeter, quantile } from './flow-meter.js';
import type { RoomCounters } from './queue-store.js';

function totals(admitted: number, departed = 0, joined = 0): RoomCounters {
  return {
    joinedTotal: joined,
    admittedTotal: admitted,
    abandonedTotal: departed,
    leftTotal: 0,
    completedTotal: 0,
    admissionsExpiredTotal: 0,
  };
}

/** Samples once a second from `from` to `to` (inclusive), as the engine's tick would. */
function sampleEachSecond(
  meter: FlowMeter,
  from: number,
  to: number,
  at: (second: number) => { counters: RoomCounters; waiting: number },
): void {
  for (let s = from; s <= to; s++) {
    const { counters, waiting } = at(s);
    meter.record(s * 1000, counters, waiting);
  }
}

describe('the flow meter', () => {
  it('plans with the configured rate until it has measured ten seconds of a moving line', () => {
    const meter = new FlowMeter();
    sampleEachSecond(meter, 0, 9, (s) => ({ counters: totals(5 * s), waiting: 100 }));
    expect(meter.estimate(2)).toEqual({
      perSecond: 2,
      perSecondLow: 2,
      perSecondHigh: 2,
      abandonPerSecond: 0,
      measured: false,
    });
    sampleEachSecond(meter, 10, 10, (s) => ({ counters: totals(5 * s), waiting: 100 }));
    const measured = meter.estimate(2);
    expect(measured.measured).toBe(true);
    expect(measured.perSecond).toBe(5);
  });

  it('measures the outflow only while people wait: an empty line does not slow the measured rate', () => {
    const meter = new FlowMeter();
    // Ten seconds at 4 a second drain the line…
    sampleEachSecond(meter, 0, 10, (s) => ({ counters: totals(4 * s), waiting: s < 10 ? 40 - 4 * s : 0 }));
    // …then 20 s with nobody waiting, in which one shopper comes and is admitted at once: that
    // says nothing about how fast a line moves either.
    sampleEachSecond(meter, 11, 30, (s) => ({ counters: totals(s < 20 ? 40 : 41), waiting: 0 }));
    const estimate = meter.estimate(1);
    expect(estimate.measured).toBe(true);
    expect(estimate.perSecond).toBe(4);
  });

  it('does not count time with an empty line toward the ten seconds', () => {
    const meter = new FlowMeter();
    sampleEachSecond(meter, 0, 30, (s) => ({ counters: totals(s), waiting: 0 }));
    sampleEachSecond(meter, 31, 36, (s) => ({ counters: totals(s), waiting: 5 }));
    expect(meter.estimate(3)).toMatchObject({ perSecond: 3, measured: false });
  });

  it('falls back to the configured rate when the line has not moved at all', () => {
    const meter = new FlowMeter();
    sampleEachSecond(meter, 0, 30, () => ({ counters: totals(0), waiting: 12 }));
    expect(meter.estimate(3)).toMatchObject({ perSecond: 3, measured: false });
  });

  it('forgets what it measured when reset, e.g. after the operator changed the rate', () => {
    const meter = new FlowMeter();
    sampleEachSecond(meter, 0, 20, (s) => ({ counters: totals(5 * s, 0, 6 * s), waiting: 100 }));
    expect(meter.estimate(1).measured).toBe(true);
    meter.reset();
    expect(meter.estimate(1)).toMatchObject({ perSecond: 1, measured: false });
    expect(meter.perMinute()).toEqual({ inflow: 0, outflow: 0 });
  });

  it('looks back one minute only', () => {
    const meter = new FlowMeter();
    const admittedBy = (s: number) => (s <= 30 ? 2 * s : 60 + 6 * (s - 30));
    sampleEachSecond(meter, 0, 100, (s) => ({ counters: totals(admittedBy(s)), waiting: 50 }));
    expect(meter.estimate(1)).toMatchObject({
      perSecond: 6,
      perSecondLow: 6,
      perSecondHigh: 6,
      measured: true,
    });
  });

  it('takes the range of its estimate from the slowest and fastest tenth of five-second spells', () => {
    const meter = new FlowMeter();
    // Five seconds at 2 a second, five at 8, and so on for a minute.
    let admitted = 0;
    sampleEachSecond(meter, 0, 60, (s) => {
      if (s > 0) admitted += Math.floor((s - 1) / 5) % 2 === 0 ? 2 : 8;
      return { counters: totals(admitted), waiting: 100 };
    });
    expect(meter.estimate(1)).toMatchObject({
      perSecond: 5,
      perSecondLow: 2,
      perSecondHigh: 8,
      measured: true,
    });
  });

  it('measures departures as a share of the waiting per second', () => {
    const meter = new FlowMeter();
    sampleEachSecond(meter, 0, 20, (s) => ({ counters: totals(0, s), waiting: 50 }));
    expect(meter.estimate(1).abandonPerSecond).toBeCloseTo(1 / 50, 12);
  });

  it('reports joins and admissions per minute over the window', () => {
    const meter = new FlowMeter();
    sampleEachSecond(meter, 0, 30, (s) => ({ counters: totals(2 * s, 0, 3 * s), waiting: 10 }));
    expect(meter.perMinute()).toEqual({ inflow: 180, outflow: 120 });
  });

  it('ignores a sample that is not later than the last one', () => {
    const meter = new FlowMeter();
    sampleEachSecond(meter, 0, 20, (s) => ({ counters: totals(5 * s), waiting: 100 }));
    meter.record(20_000, totals(10_000), 100);
    meter.record(19_000, totals(20_000), 100);
    expect(meter.estimate(1).perSecond).toBe(5);
  });
});

describe('quantile', () => {
  it('takes the nearest rank of sorted values and has none of nothing', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantile(values, 0.1)).toBe(1);
    expect(quantile(values, 0.5)).toBe(5);
    expect(quantile(values, 0.9)).toBe(9);
    expect(quantile(values, 1)).toBe(10);
    expect(quantile(values, 0)).toBe(1);
    expect(quantile([], 0.5)).toBeUndefined();
  });
});
