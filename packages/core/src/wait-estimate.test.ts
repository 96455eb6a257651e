import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  estimateUndrawn,
  estimateWait,
  type FlowEstimate,
  pollAfterMs,
  predictWaitSeconds,
  secondsToFront,
} from './wait-estimate.js';

const position = fc.integer({ min: 1, max: 1_000_000 });
const rate = fc.double({ min: 0.01, max: 10_000, noNaN: true });
const hazard = fc.double({ min: 1e-6, max: 0.5, noNaN: true });

const flowArb: fc.Arbitrary<FlowEstimate> = fc
  .record({
    perSecond: rate,
    // A measured spell is at least one admission in five seconds, or none at all.
    low: fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 2, noNaN: true })),
    high: fc.double({ min: 0.5, max: 3, noNaN: true }),
    abandonPerSecond: fc.oneof(fc.constant(0), hazard),
    measured: fc.boolean(),
  })
  .map(({ perSecond, low, high, abandonPerSecond, measured }) => ({
    perSecond,
    perSecondLow: perSecond * low,
    perSecondHigh: perSecond * high,
    abandonPerSecond,
    measured,
  }));

describe('the time to reach the front of the line', () => {
  it('with nobody leaving, is the position divided by the rate', () => {
    fc.assert(
      fc.property(position, rate, (p, r) => {
        expect(secondsToFront(p, r, 0)).toBe(p / r);
      }),
    );
  });

  it('tends to position / rate as departures become rare, and is never more than that', () => {
    fc.assert(
      fc.property(position, rate, hazard, (p, r, lambda) => {
        const t = secondsToFront(p, r, lambda);
        // ln(1 + x) lies between x - x²/2 and x, for x = λp/r.
        const x = (lambda * p) / r;
        expect(t).toBeLessThanOrEqual((p / r) * (1 + 1e-12));
        expect(t).toBeGreaterThanOrEqual((p / r) * (1 - x / 2) * (1 - 1e-12));
      }),
    );
    const p = 500;
    const r = 2;
    const gaps = [1e-2, 1e-3, 1e-4, 1e-5, 1e-6].map((lambda) => p / r - secondsToFront(p, r, lambda));
    for (let k = 1; k < gaps.length; k++) expect(gaps[k]).toBeLessThan(gaps[k - 1]!);
    expect(gaps[gaps.length - 1]).toBeLessThan(1e-3 * (p / r));
  });

  it('is when the count ahead, shrinking by admissions and departures, reaches zero', () => {
    fc.assert(
      fc.property(position, rate, hazard, (p, r, lambda) => {
        const t = secondsToFront(p, r, lambda);
        // dN/dt = -r - λN, N(0) = p  ⇒  N(t) = (p + r/λ)·e^(-λt) - r/λ.
        const ahead = (p + r / lambda) * Math.exp(-lambda * t) - r / lambda;
        expect(Math.abs(ahead)).toBeLessThanOrEqual(1e-6 * Math.max(p, r / lambda));
      }),
    );
  });

  it('grows with the position and shrinks as the rate or departures grow', () => {
    fc.assert(
      fc.property(position, position, rate, fc.oneof(fc.constant(0), hazard), (a, b, r, lambda) => {
        const [near, far] = a <= b ? [a, b] : [b, a];
        expect(secondsToFront(near, r, lambda)).toBeLessThanOrEqual(secondsToFront(far, r, lambda));
        if (near < far) expect(secondsToFront(near, r, lambda)).toBeLessThan(secondsToFront(far, r, lambda));
        expect(secondsToFront(far, r * 2, lambda)).toBeLessThan(secondsToFront(far, r, lambda));
        expect(secondsToFront(far, r, lambda + 0.01)).toBeLessThan(secondsToFront(far, r, lambda));
      }),
    );
  });

  it('is zero at the front and never ends when nobody is admitted', () => {
    expect(secondsToFront(0, 5, 0.1)).toBe(0);
    expect(secondsToFront(-3, 5, 0)).toBe(0);
    expect(secondsToFront(10, 0, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(secondsToFront(10, 0, 0.2)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('the wait predicted when a ticket joins', () => {
  it('is the delay before opening plus the time to the front', () => {
    fc.assert(
      fc.property(
        position,
        rate,
        hazard,
        fc.double({ min: 0, max: 3600, noNaN: true }),
        (p, r, lambda, delay) => {
          const predictor = { perSecond: r, abandonPerSecond: lambda, delaySeconds: delay };
          expect(predictWaitSeconds(p, predictor)).toBe(delay + secondsToFront(p, r, lambda));
        },
      ),
    );
  });

  it('is not made without a predictor, without a position, or when nobody is admitted', () => {
    const predictor = { perSecond: 1, abandonPerSecond: 0, delaySeconds: 0 };
    expect(predictWaitSeconds(3, null)).toBeNull();
    expect(predictWaitSeconds(null, predictor)).toBeNull();
    expect(predictWaitSeconds(3, { ...predictor, perSecond: 0 })).toBeNull();
  });
});

describe('the estimate shown to a waiting shopper', () => {
  it('always puts etaSeconds inside etaRange, in whole seconds', () => {
    fc.assert(
      fc.property(position, flowArb, fc.double({ min: 0, max: 3600, noNaN: true }), (p, flow, delay) => {
        const estimate = estimateWait(p, flow, delay);
        expect(estimate).not.toBeNull();
        if (!estimate) return;
        const [low, high] = estimate.etaRange;
        expect(Number.isInteger(estimate.etaSeconds)).toBe(true);
        expect(Number.isInteger(low) && Number.isInteger(high)).toBe(true);
        expect(low).toBeGreaterThanOrEqual(0);
        expect(low).toBeLessThanOrEqual(estimate.etaSeconds);
        expect(estimate.etaSeconds).toBeLessThanOrEqual(high);
      }),
    );
  });

  it('centres on the time to the front at the planned rate, after the delay', () => {
    fc.assert(
      fc.property(position, flowArb, fc.integer({ min: 0, max: 3600 }), (p, flow, delay) => {
        const estimate = estimateWait(p, flow, delay);
        const mid = delay + secondsToFront(p, flow.perSecond, flow.abandonPerSecond);
        const [low, high] = estimate?.etaRange ?? [Number.NaN, Number.NaN];
        expect(low).toBeLessThanOrEqual(mid);
        expect(high).toBeGreaterThanOrEqual(mid);
        expect(Math.abs((estimate?.etaSeconds ?? Number.NaN) - mid)).toBeLessThanOrEqual(0.5);
      }),
    );
  });

  it('is a range that widens the further back the ticket stands', () => {
    fc.assert(
      fc.property(position, flowArb, (p, flow) => {
        const near = estimateWait(p, flow);
        const far = estimateWait(p * 4, flow);
        expect(far?.etaRange[1]).toBeGreaterThanOrEqual(near?.etaRange[1] ?? Number.NaN);
        expect(far?.etaSeconds).toBeGreaterThanOrEqual(near?.etaSeconds ?? Number.NaN);
      }),
    );
  });

  it('is not given when nobody is being admitted', () => {
    const stopped: FlowEstimate = {
      perSecond: 0,
      perSecondLow: 0,
      perSecondHigh: 0,
      abandonPerSecond: 0,
      measured: false,
    };
    expect(estimateWait(5, stopped)).toBeNull();
    expect(estimateUndrawn(5, stopped, 10)).toBeNull();
  });

  it('for a pre-queue not drawn yet, spans from the opening to the last place, with etaSeconds inside', () => {
    fc.assert(
      fc.property(position, flowArb, fc.integer({ min: 0, max: 3600 }), (size, flow, delay) => {
        const estimate = estimateUndrawn(size, flow, delay);
        expect(estimate).not.toBeNull();
        if (!estimate) return;
        const [low, high] = estimate.etaRange;
        expect(low).toBe(delay);
        expect(high).toBe(Math.ceil(delay + size / flow.perSecond));
        expect(estimate.etaSeconds).toBeGreaterThanOrEqual(low);
        expect(estimate.etaSeconds).toBeLessThanOrEqual(high);
      }),
    );
  });
});

describe('how soon a client asks again', () => {
  it('is between one and fifteen seconds while waiting, sooner near the front', () => {
    fc.assert(
      fc.property(fc.nat({ max: 100_000 }), fc.nat({ max: 100_000 }), (a, b) => {
        const [near, far] = a <= b ? [a, b] : [b, a];
        const soon = pollAfterMs(near, 'waiting');
        const later = pollAfterMs(far, 'waiting');
        expect(soon).toBeGreaterThanOrEqual(1_000);
        expect(later).toBeLessThanOrEqual(15_000);
        expect(soon).toBeLessThanOrEqual(later);
      }),
    );
  });

  it('is a steady pace once the ticket has left the line', () => {
    expect(pollAfterMs(null, 'waiting')).toBeGreaterThanOrEqual(1_000);
    expect(pollAfterMs(null, 'admitted')).toBeGreaterThan(pollAfterMs(0, 'waiting'));
    expect(pollAfterMs(null, 'completed')).toBeGreaterThanOrEqual(pollAfterMs(null, 'admitted'));
  });
});
