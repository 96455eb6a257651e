/**
 * The figures of a simulated sale, computed from what the shoppers saw: the order of
 * admission against the order of joining, admissions in any minute against the rate, and how
 * far the announced waits were from the real ones. Pure functions of the recorded arrays.
 */
import type { ReadLog } from './read-log.js';

/** The q-th quantile of ascending `sorted` (nearest rank), or null when empty. */
export function quantile(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  return sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!;
}

export interface FifoCheck {
  /** Admitted tickets whose join and admission times are both known. */
  checked: number;
  /** Tickets admitted before one that joined earlier (strictly, by the server's milliseconds). */
  violations: number;
  /** The largest such lead, in ms (0 when none). */
  worstMs: number;
}

/**
 * Admission order against join order, by the server's own times: `joinedAt` of the join,
 * and the admission's time (admissionExpiresAt less the TTL). A ticket is counted when some
 * ticket that joined strictly earlier was admitted strictly later. Tickets that joined in the
 * same millisecond, or were admitted in the same tick, are not ordered against each other.
 * Only admitted tickets take part: those who left or were found abandoned are skipped by rule.
 */
export function fifoViolations(joinedAt: Float64Array, admittedAt: Float64Array): FifoCheck {
  const idx: number[] = [];
  for (let i = 0; i < joinedAt.length; i++) {
    if (Number.isFinite(joinedAt[i]) && Number.isFinite(admittedAt[i])) idx.push(i);
  }
  idx.sort((a, b) => joinedAt[a]! - joinedAt[b]! || admittedAt[a]! - admittedAt[b]!);
  let violations = 0;
  let worstMs = 0;
  let latestEarlier = Number.NEGATIVE_INFINITY; // latest admission among strictly earlier joins
  let k = 0;
  while (k < idx.length) {
    const joined = joinedAt[idx[k]!]!;
    let end = k;
    let groupLatest = Number.NEGATIVE_INFINITY;
    while (end < idx.length && joinedAt[idx[end]!] === joined) {
      const admitted = admittedAt[idx[end]!]!;
      if (admitted < latestEarlier) {
        violations++;
        worstMs = Math.max(worstMs, latestEarlier - admitted);
      }
      groupLatest = Math.max(groupLatest, admitted);
      end++;
    }
    latestEarlier = Math.max(latestEarlier, groupLatest);
    k = end;
  }
  return { checked: idx.length, violations, worstMs };
}

export interface AdmissionFlow {
  admissions: number;
  /** The most admissions whose times fall within any 60 s, and when that window ended (s from start). */
  maxIn60s: number;
  maxWindowEndS: number | null;
  firstS: number | null;
  lastS: number | null;
  /** Admissions per minute from the first to the last admission. */
  meanPerMinute: number | null;
  /** Admissions per 10 s, from the start of the run. */
  perTenSeconds: number[];
  /**
   * The ticks that admitted someone, told apart by their admission time: how many, and the
   * gaps between them (ms). Ticks come every 250 ms; longer gaps while the line is long mean
   * late ticks, and a late tick does not bank its credit beyond one tick.
   */
  ticks: number;
  tickGapMs: { p50: number | null; p90: number | null; p99: number | null; max: number | null };
}

/** `times`: epoch ms of every admission known; `start`: the run's start (epoch ms). */
export function admissionFlow(times: number[], start: number): AdmissionFlow {
  const sorted = [...times].sort((a, b) => a - b);
  let maxIn60s = 0;
  let maxEnd: number | null = null;
  let from = 0;
  for (let to = 0; to < sorted.length; to++) {
    // Window (t - 60 s, t]: the largest count over any 60 s window ends on an admission.
    while (sorted[from]! <= sorted[to]! - 60_000) from++;
    if (to - from + 1 > maxIn60s) {
      maxIn60s = to - from + 1;
      maxEnd = sorted[to]!;
    }
  }
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  const perTenSeconds: number[] = [];
  for (const t of sorted) {
    const b = Math.max(0, Math.floor((t - start) / 10_000));
    while (perTenSeconds.length <= b) perTenSeconds.push(0);
    perTenSeconds[b]!++;
  }
  const spanMin = first !== undefined && last !== undefined ? (last - first) / 60_000 : 0;
  const gaps: number[] = [];
  for (let k = 1; k < sorted.length; k++) {
    if (sorted[k]! > sorted[k - 1]!) gaps.push(sorted[k]! - sorted[k - 1]!);
  }
  gaps.sort((x, y) => x - y);
  return {
    admissions: sorted.length,
    maxIn60s,
    maxWindowEndS: maxEnd === null ? null : (maxEnd - start) / 1000,
    firstS: first === undefined ? null : (first - start) / 1000,
    lastS: last === undefined ? null : (last - start) / 1000,
    meanPerMinute: spanMin > 0 ? (sorted.length - 1) / spanMin : null,
    perTenSeconds,
    ticks: sorted.length > 0 ? gaps.length + 1 : 0,
    tickGapMs: {
      p50: quantile(gaps, 0.5),
      p90: quantile(gaps, 0.9),
      p99: quantile(gaps, 0.99),
      max: gaps.length > 0 ? gaps[gaps.length - 1]! : null,
    },
  };
}

export interface ErrorSummary {
  /** Shoppers (or reads) measured, and those left out for a wait below the threshold. */
  count: number;
  excluded: number;
  /** |predicted − actual| / actual. */
  median: number | null;
  p90: number | null;
  /** (predicted − actual) / actual: above 0, the estimate was too long. */
  medianSigned: number | null;
  /** Share whose actual wait fell within the announced range [low, high]. */
  withinRange: number | null;
}

function summarize(abs: number[], signed: number[], inRange: number, excluded: number): ErrorSummary {
  abs.sort((a, b) => a - b);
  signed.sort((a, b) => a - b);
  return {
    count: abs.length,
    excluded,
    median: quantile(abs, 0.5),
    p90: quantile(abs, 0.9),
    medianSigned: quantile(signed, 0.5),
    withinRange: abs.length > 0 ? inRange / abs.length : null,
  };
}

export interface EstimateInput {
  joinedAt: Float64Array;
  admittedAt: Float64Array;
  joinEta: Float32Array;
  joinLow: Float32Array;
  joinHigh: Float32Array;
  reads: ReadLog;
}

export interface EstimateFigures {
  minWaitSeconds: number;
  atJoin: ErrorSummary;
  halfWay: ErrorSummary;
  /** Every read of an admitted shopper with at least minWaitSeconds left, per 10 s of the run. */
  overTime: { startS: number; reads: number; median: number | null; p90: number | null }[];
}

/**
 * How far the announced waits were from the real ones, for admitted shoppers: at the join
 * (the join's answer against admission − joinedAt), and half-way (the read nearest to the
 * middle of the real wait, within a quarter of it, against the wait left then). Waits shorter
 * than `minWaitSeconds` are left out: whole seconds of an estimate weigh too much there.
 */
export function estimateFigures(
  input: EstimateInput,
  start: number,
  minWaitSeconds: number,
): EstimateFigures {
  const { joinedAt, admittedAt, reads } = input;
  const n = joinedAt.length;
  const minMs = minWaitSeconds * 1000;
  const join = { abs: [] as number[], signed: [] as number[], inRange: 0, excluded: 0 };
  const half = { abs: [] as number[], signed: [] as number[], inRange: 0, excluded: 0 };
  const { start: first, order } = reads.byShopper(n);
  for (let i = 0; i < n; i++) {
    const joined = joinedAt[i]!;
    const admitted = admittedAt[i]!;
    if (!Number.isFinite(joined) || !Number.isFinite(admitted)) continue;
    const actualMs = admitted - joined;
    const eta = input.joinEta[i]!;
    if (actualMs < minMs) join.excluded++;
    else if (Number.isFinite(eta)) {
      const actual = actualMs / 1000;
      join.abs.push(Math.abs(eta - actual) / actual);
      join.signed.push((eta - actual) / actual);
      if (input.joinLow[i]! <= actual && actual <= input.joinHigh[i]!) join.inRange++;
    }
    const middle = joined + actualMs / 2;
    let best = -1;
    let bestGap = actualMs / 4;
    for (let r = first[i]!; r < first[i + 1]!; r++) {
      const k = order[r]!;
      const gap = Math.abs(reads.at[k]! - middle);
      if (gap <= bestGap && Number.isFinite(reads.eta[k]!)) {
        best = k;
        bestGap = gap;
      }
    }
    if (best < 0) continue;
    const leftMs = admitted - reads.at[best]!;
    if (leftMs < minMs) {
      half.excluded++;
      continue;
    }
    const left = leftMs / 1000;
    const predicted = reads.eta[best]!;
    half.abs.push(Math.abs(predicted - left) / left);
    half.signed.push((predicted - left) / left);
    if (reads.low[best]! <= left && left <= reads.high[best]!) half.inRange++;
  }
  const buckets: number[][] = [];
  for (let k = 0; k < reads.size; k++) {
    const admitted = admittedAt[reads.shopper[k]!]!;
    const eta = reads.eta[k]!;
    if (!Number.isFinite(admitted) || !Number.isFinite(eta)) continue;
    const leftMs = admitted - reads.at[k]!;
    if (leftMs < minMs) continue;
    const b = Math.max(0, Math.floor((reads.at[k]! - start) / 10_000));
    while (buckets.length <= b) buckets.push([]);
    buckets[b]!.push(Math.abs(eta - leftMs / 1000) / (leftMs / 1000));
  }
  return {
    minWaitSeconds,
    atJoin: summarize(join.abs, join.signed, join.inRange, join.excluded),
    halfWay: summarize(half.abs, half.signed, half.inRange, half.excluded),
    overTime: buckets.map((errors, b) => {
      errors.sort((x, y) => x - y);
      return {
        startS: b * 10,
        reads: errors.length,
        median: quantile(errors, 0.5),
        p90: quantile(errors, 0.9),
      };
    }),
  };
}

/** The most and the mean of a per-second series, ignoring nulls. */
export function peakAndMean(values: (number | null)[]): { peak: number | null; mean: number | null } {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (xs.length === 0) return { peak: null, mean: null };
  return { peak: Math.max(...xs), mean: xs.reduce((a, b) => a + b, 0) / xs.length };
}
