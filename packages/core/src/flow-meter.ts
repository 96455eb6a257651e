import type { RoomCounters } from './queue-store.js';
import type { FlowEstimate } from './wait-estimate.js';

interface Sample {
  at: number;
  admitted: number;
  departed: number;
  joined: number;
  waiting: number;
}

export interface FlowMeterOptions {
  /** How far back measurements reach. */
  windowMs: number;
  /** The length of the intervals whose outflow gives the range's spread. */
  bucketMs: number;
  /** Measured time (with a non-empty line) needed before measurement replaces the setting. */
  minMeasuredMs: number;
}

const DEFAULTS: FlowMeterOptions = { windowMs: 60_000, bucketMs: 5_000, minMeasuredMs: 10_000 };

/**
 * Measures a room's flow from its running totals, sampled once a tick. Outflow is measured
 * only over intervals in which the line was not empty, since an empty line says nothing
 * about how fast it moves. Any instance sampling the same shared totals measures the same.
 */
export class FlowMeter {
  private samples: Sample[] = [];
  private readonly options: FlowMeterOptions;

  constructor(options: Partial<FlowMeterOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Forgets what was measured, e.g. after the operator changed the rate. */
  reset(): void {
    this.samples = [];
  }

  record(at: number, counters: RoomCounters, waiting: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last !== undefined && at <= last.at) return;
    this.samples.push({
      at,
      admitted: counters.admittedTotal,
      departed: counters.abandonedTotal + counters.leftTotal,
      joined: counters.joinedTotal,
      waiting,
    });
    const horizon = at - this.options.windowMs;
    let drop = 0;
    while (drop < this.samples.length - 1 && this.samples[drop + 1]!.at <= horizon) drop++;
    if (drop > 0) this.samples.splice(0, drop);
  }

  /** Joins and admissions per minute over the window (what the operator's stats show). */
  perMinute(): { inflow: number; outflow: number } {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (first === undefined || last === undefined || last.at <= first.at) return { inflow: 0, outflow: 0 };
    const minutes = (last.at - first.at) / 60_000;
    return {
      inflow: (last.joined - first.joined) / minutes,
      outflow: (last.admitted - first.admitted) / minutes,
    };
  }

  estimate(configuredPerSecond: number): FlowEstimate {
    let busyMs = 0;
    let admitted = 0;
    let departed = 0;
    let waitingMs = 0;
    const bucketRates: number[] = [];
    let bucketMs = 0;
    let bucketAdmitted = 0;
    for (let i = 1; i < this.samples.length; i++) {
      const a = this.samples[i - 1]!;
      const b = this.samples[i]!;
      const dt = b.at - a.at;
      departed += b.departed - a.departed;
      waitingMs += ((a.waiting + b.waiting) / 2) * dt;
      // Only intervals that started with people waiting measure the line's speed.
      if (a.waiting === 0) continue;
      busyMs += dt;
      admitted += b.admitted - a.admitted;
      bucketMs += dt;
      bucketAdmitted += b.admitted - a.admitted;
      if (bucketMs >= this.options.bucketMs) {
        bucketRates.push((bucketAdmitted * 1000) / bucketMs);
        bucketMs = 0;
        bucketAdmitted = 0;
      }
    }
    const abandonPerSecond = waitingMs > 0 ? (departed * 1000) / waitingMs : 0;
    if (busyMs < this.options.minMeasuredMs || admitted === 0) {
      return {
        perSecond: configuredPerSecond,
        perSecondLow: configuredPerSecond,
        perSecondHigh: configuredPerSecond,
        abandonPerSecond,
        measured: false,
      };
    }
    const perSecond = (admitted * 1000) / busyMs;
    bucketRates.sort((x, y) => x - y);
    return {
      perSecond,
      perSecondLow: quantile(bucketRates, 0.1) ?? perSecond,
      perSecondHigh: quantile(bucketRates, 0.9) ?? perSecond,
      abandonPerSecond,
      measured: true,
    };
  }
}

/** The q-quantile of sorted values (nearest rank), or undefined for none. */
export function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index];
}
