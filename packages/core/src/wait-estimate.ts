import type { WaitPredictor } from './queue-store.js';

/**
 * How long until the ticket at `position` is admitted, if admissions run at `perSecond` and
 * each ticket ahead leaves or is abandoned at `abandonPerSecond` (a hazard per ticket).
 *
 * The count ahead N(t) shrinks by admissions and by departures: dN/dt = -r - λN, N(0) = p.
 * It reaches zero at t = ln(1 + λp / r) / λ, which tends to p / r as λ goes to 0. Hosted
 * waiting rooms divide by the rate alone and so count departed shoppers as still ahead.
 */
export function secondsToFront(position: number, perSecond: number, abandonPerSecond: number): number {
  if (position <= 0) return 0;
  if (!(perSecond > 0)) return Number.POSITIVE_INFINITY;
  const lambda = abandonPerSecond > 1e-9 ? abandonPerSecond : 0;
  if (lambda === 0) return position / perSecond;
  return Math.log1p((lambda * position) / perSecond) / lambda;
}

/** The wait a store records for a joining ticket (null when no number can be given). */
export function predictWaitSeconds(position: number | null, predictor: WaitPredictor | null): number | null {
  if (predictor === null || position === null) return null;
  const t =
    predictor.delaySeconds + secondsToFront(position, predictor.perSecond, predictor.abandonPerSecond);
  return Number.isFinite(t) ? t : null;
}

/** The measured flow of a room, from flow-meter.ts, with the spread of its recent outflow. */
export interface FlowEstimate {
  /** Admissions per second to plan with: measured, or the configured rate as a fallback. */
  perSecond: number;
  /** The 10th and 90th percentile of the outflow over recent intervals (per second). */
  perSecondLow: number;
  perSecondHigh: number;
  abandonPerSecond: number;
  /** True when `perSecond` comes from measurement rather than the configured rate. */
  measured: boolean;
}

export interface WaitEstimate {
  etaSeconds: number;
  etaRange: [number, number];
}

/** z for the 10th/90th percentile of a normal distribution. */
const Z90 = 1.2816;

/**
 * The estimate shown to a waiting shopper, with a p10-p90 range. The low end assumes the
 * faster recent outflow and departures ahead continuing; the high end the slower outflow
 * and nobody ahead leaving. Admissions arrive in ticks, so the range is also widened by
 * the Poisson-like spread of a count of `position` events (±z·√p / r).
 */
export function estimateWait(position: number, flow: FlowEstimate, delaySeconds = 0): WaitEstimate | null {
  if (!(flow.perSecond > 0)) return null;
  const mid = secondsToFront(position, flow.perSecond, flow.abandonPerSecond);
  const fast = secondsToFront(position, Math.max(flow.perSecondHigh, flow.perSecond), flow.abandonPerSecond);
  const slowRate = Math.min(flow.perSecondLow > 0 ? flow.perSecondLow : flow.perSecond, flow.perSecond);
  const slow = secondsToFront(position, slowRate, 0);
  const noise = (Z90 * Math.sqrt(position)) / flow.perSecond;
  const low = Math.max(0, Math.min(fast, mid) - noise);
  const high = Math.max(slow, mid) + noise;
  return round(mid + delaySeconds, low + delaySeconds, high + delaySeconds);
}

/** The estimate for a lottery pre-queue of `size` tickets whose order is not drawn yet. */
export function estimateUndrawn(size: number, flow: FlowEstimate, delaySeconds: number): WaitEstimate | null {
  if (!(flow.perSecond > 0)) return null;
  const last = secondsToFront(Math.max(size, 1), flow.perSecond, 0);
  const middle = secondsToFront(Math.max(size, 1) / 2, flow.perSecond, flow.abandonPerSecond);
  return round(middle + delaySeconds, delaySeconds, last + delaySeconds);
}

function round(eta: number, low: number, high: number): WaitEstimate {
  const lo = Math.floor(low);
  const hi = Math.ceil(high);
  const mid = Math.min(hi, Math.max(lo, Math.round(eta)));
  return { etaSeconds: mid, etaRange: [lo, hi] };
}

/** How soon a client should ask again: soon near the front, rarely far back. */
export function pollAfterMs(etaSeconds: number | null, state: string): number {
  if (state !== 'waiting') return state === 'admitted' ? 15_000 : 60_000;
  if (etaSeconds === null) return 10_000;
  return Math.round(Math.min(15_000, Math.max(1_000, etaSeconds * 100)));
}
