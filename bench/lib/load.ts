/**
 * One load generator for every measurement: autocannon's programmatic API, in this process.
 * Latencies are taken from autocannon's per-response event as fractional milliseconds (its
 * own histogram keeps whole milliseconds, too coarse to compare two p99s of a few ms), and
 * the CPU used by the server and by this process over the run says which one was the limit.
 */
import autocannon from 'autocannon';
import { cpuSeconds, machineCpuSeconds, mainThreadCpuSeconds } from './child-process.js';

export interface LoadTarget {
  title: string;
  /** The server process, whose CPU time is read around the run. */
  serverPid: number;
  baseUrl: string;
  method: 'GET' | 'POST';
  path: string;
  /** Bearer tokens sent in rotation, one per request. */
  bearers?: readonly string[];
  /** Sees every response body in arrival order, numbered from 0 (keeping tokens of joins). */
  onBody?: (index: number, status: number, body: string) => void;
  /** CPU seconds the Redis server behind the target has used so far (INFO cpu), read around the run. */
  redisCpu?: () => Promise<number | null>;
}

export interface LoadShape {
  connections: number;
  /** Seconds to run; ignored when `amount` is set. */
  durationS?: number;
  /** Requests to make, then stop. */
  amount?: number;
}

export interface Latency {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface LoadResult {
  title: string;
  connections: number;
  durationS: number;
  /** Responses with a 2xx status. */
  ok: number;
  /** 2xx responses per second over the run. */
  rps: number;
  /** The same, for each part of a run measured in parts (A B B A), in order. */
  segmentRps: number[];
  latencyMs: Latency;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** The first answer that was not 2xx, to say what went wrong. */
  firstFailure: { status: number; body: string } | null;
  /** Share of one core the server used over the run (100 = one core busy), if known. */
  serverCpuPct: number | null;
  /** The same for the server's main thread alone (its event loop); the rest is its helper threads'. */
  serverMainCpuPct: number | null;
  /** Share of one core this process (the load generator) used over the run. */
  loadgenCpuPct: number;
  /** Share of one core the Redis server used over the run, for a target on Redis. */
  redisCpuPct: number | null;
  /** CPU the rest of the machine used meanwhile (other processes, the kernel), if known. */
  otherCpuPct: number | null;
  /** The part of `otherCpuPct` the hypervisor gave other machines (steal). */
  stealCpuPct: number | null;
  /** Server CPU per 2xx answer, in microseconds, if known. */
  serverUsPerRequest: number | null;
  /** Redis CPU per 2xx answer, in microseconds, for a target on Redis. */
  redisUsPerRequest: number | null;
}

/** One autocannon run before it is summed up: what several runs of one target add together. */
interface Segment {
  wallS: number;
  durationS: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  firstFailure: LoadResult['firstFailure'];
  latencies: LatencyLog;
  serverS: number | null;
  serverMainS: number | null;
  loadgenS: number;
  redisS: number | null;
  otherS: number | null;
  stealS: number | null;
}

async function runSegment(target: LoadTarget, shape: LoadShape): Promise<Segment> {
  const latencies = new LatencyLog();
  let index = 0;
  const onBody = target.onBody;
  let firstFailure: LoadResult['firstFailure'] = null;
  const onResponse = (status: number, body: string) => {
    if (firstFailure === null && (status < 200 || status > 299))
      firstFailure = { status, body: body.slice(0, 300) };
    onBody?.(index++, status, body);
  };
  const request: autocannon.Request = { method: target.method, path: target.path, onResponse };
  const bearers = shuffled(target.bearers ?? []);
  let clients = 0;
  const options: autocannon.Options = {
    url: target.baseUrl,
    connections: shape.connections,
    requests: [request],
    ...(shape.amount === undefined ? { duration: shape.durationS ?? 10 } : { amount: shape.amount }),
    timeout: 10,
    // Each connection cycles through its own share of the tokens, its requests built once
    // beforehand (cheaper for the load generator than building each request). The tokens are
    // shuffled first: shoppers poll in no particular order, and reading tickets in the order
    // they joined would flatter the server's memory caches.
    ...(bearers.length > 0
      ? {
          setupClient: (client: autocannon.Client) => {
            const k = clients++;
            const own: autocannon.Request[] = [];
            for (let i = k % bearers.length; i < bearers.length; i += shape.connections) {
              own.push({ ...request, headers: { authorization: `Bearer ${bearers[i]!}` } });
              if (k >= bearers.length) break;
            }
            client.setRequests(own);
          },
        }
      : {}),
  };

  const redisBefore = (await target.redisCpu?.()) ?? null;
  const cpuBefore = process.cpuUsage();
  const serverBefore = cpuSeconds(target.serverPid);
  const serverMainBefore = mainThreadCpuSeconds(target.serverPid);
  const machineBefore = machineCpuSeconds();
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, res) => (error ? reject(error) : resolve(res)));
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.add(responseTime));
  });
  const wallS = (performance.now() - started) / 1000;
  const serverAfter = cpuSeconds(target.serverPid);
  const serverMainAfter = mainThreadCpuSeconds(target.serverPid);
  const machineAfter = machineCpuSeconds();
  const cpu = process.cpuUsage(cpuBefore);
  const redisAfter = (await target.redisCpu?.()) ?? null;
  const loadgenS = (cpu.user + cpu.system) / 1e6;
  const serverS = serverBefore === null || serverAfter === null ? null : serverAfter - serverBefore;
  const serverMainS =
    serverMainBefore === null || serverMainAfter === null ? null : serverMainAfter - serverMainBefore;
  const redisS = redisBefore === null || redisAfter === null ? null : redisAfter - redisBefore;
  const otherS =
    machineBefore === null || machineAfter === null || serverS === null
      ? null
      : Math.max(0, machineAfter.busyS - machineBefore.busyS - serverS - loadgenS - (redisS ?? 0));
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    statusCodes[code] = stat.count ?? 0;
  return {
    wallS,
    durationS: result.duration > 0 ? result.duration : wallS,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    firstFailure,
    latencies,
    serverS,
    serverMainS,
    loadgenS,
    redisS,
    otherS,
    stealS:
      machineBefore?.stealS == null || machineAfter?.stealS == null
        ? null
        : Math.max(0, machineAfter.stealS - machineBefore.stealS),
  };
}

function summarize(title: string, connections: number, segments: Segment[]): LoadResult {
  const sum = (f: (s: Segment) => number) => segments.reduce((total, s) => total + f(s), 0);
  const sumOrNull = (f: (s: Segment) => number | null) =>
    segments.some((s) => f(s) === null) ? null : sum((s) => f(s)!);
  const wallS = sum((s) => s.wallS);
  const durationS = sum((s) => s.durationS);
  const statusCodes: Record<string, number> = {};
  for (const s of segments) {
    for (const [code, n] of Object.entries(s.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  }
  const serverS = sumOrNull((s) => s.serverS);
  const serverMainS = sumOrNull((s) => s.serverMainS);
  const redisS = sumOrNull((s) => s.redisS);
  const otherS = sumOrNull((s) => s.otherS);
  const stealS = sumOrNull((s) => s.stealS);
  const ok = sum((s) => s.ok);
  const perRequestUs = (cpuS: number | null) => (cpuS === null || ok === 0 ? null : (cpuS / ok) * 1e6);
  return {
    title,
    connections,
    durationS,
    ok,
    rps: ok / durationS,
    segmentRps: segments.map((s) => s.ok / s.durationS),
    latencyMs: LatencyLog.merge(segments.map((s) => s.latencies)).summary(),
    non2xx: sum((s) => s.non2xx),
    errors: sum((s) => s.errors),
    timeouts: sum((s) => s.timeouts),
    statusCodes,
    firstFailure: segments.find((s) => s.firstFailure)?.firstFailure ?? null,
    serverCpuPct: serverS === null ? null : (serverS / wallS) * 100,
    serverMainCpuPct: serverMainS === null ? null : (serverMainS / wallS) * 100,
    loadgenCpuPct: (sum((s) => s.loadgenS) / wallS) * 100,
    redisCpuPct: redisS === null ? null : (redisS / wallS) * 100,
    otherCpuPct: otherS === null ? null : (otherS / wallS) * 100,
    stealCpuPct: stealS === null ? null : (stealS / wallS) * 100,
    serverUsPerRequest: perRequestUs(serverS),
    redisUsPerRequest: perRequestUs(redisS),
  };
}

/** One run of a target: for a duration, or for an amount of requests. */
export async function runLoad(target: LoadTarget, shape: LoadShape): Promise<LoadResult> {
  return summarize(target.title, shape.connections, [await runSegment(target, shape)]);
}

export interface MeasureShape {
  connections: number;
  warmupS: number;
  durationS: number;
}

/**
 * Runs `target` unmeasured for `seconds`. At its first warm-up, a target sent rotating bearer
 * tokens is first sent each token about once, however short the warm-up: a shopper's first
 * read of the run pays the token's first check, and without this pass a short run would
 * measure mostly those, while the full run (3 s warm-ups) measures reads of known tokens.
 */
async function warmUp(target: LoadTarget, connections: number, seconds: number, first: boolean) {
  if (seconds <= 0) return;
  const shapes: LoadShape[] = [{ connections, durationS: seconds }];
  const tokens = target.bearers?.length ?? 0;
  if (first && tokens > 0) shapes.unshift({ connections, amount: Math.max(tokens, connections) });
  for (const shape of shapes) {
    const warm = await runLoad({ ...target, title: `${target.title} (warm-up)` }, shape);
    if (failures(warm) > 0) console.warn(`  warm-up of "${target.title}": ${describeFailures(warm)}`);
  }
}

/**
 * Two targets to compare, measured in the order A B B A, half of the duration at a time, each
 * switch after a warm-up: a machine that speeds up or slows down during the
 * run then weighs on both alike, rather than on whichever came second.
 */
export async function measurePair(
  a: LoadTarget,
  b: LoadTarget,
  shape: MeasureShape,
): Promise<[LoadResult, LoadResult]> {
  const half = { connections: shape.connections, durationS: shape.durationS / 2 };
  const segments = new Map<LoadTarget, Segment[]>([
    [a, []],
    [b, []],
  ]);
  let previous: LoadTarget | null = null;
  for (const target of [a, b, b, a]) {
    if (target !== previous) {
      await warmUp(target, shape.connections, shape.warmupS, segments.get(target)!.length === 0);
    }
    previous = target;
    segments.get(target)!.push(await runSegment(target, half));
  }
  return [
    summarize(a.title, shape.connections, segments.get(a)!),
    summarize(b.title, shape.connections, segments.get(b)!),
  ];
}

export function failures(r: LoadResult): number {
  return r.non2xx + r.errors + r.timeouts;
}

export function describeFailures(r: LoadResult): string {
  const codes = Object.entries(r.statusCodes)
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, n]) => `${n}×${code}`);
  const first = r.firstFailure ? [`first: ${r.firstFailure.status} ${r.firstFailure.body}`] : [];
  return [
    ...codes,
    ...(r.errors > 0 ? [`${r.errors} connection errors`] : []),
    ...(r.timeouts > 0 ? [`${r.timeouts} timeouts`] : []),
    ...first,
  ].join(', ');
}

/** The same shuffle every time (a fixed seed), so that runs stay comparable. */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  let seed = 0x2545f491;
  const random = () => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Fractional-millisecond latencies of one run, kept whole to give exact percentiles. */
export class LatencyLog {
  private values = new Float64Array(1 << 16);
  private n = 0;

  get size(): number {
    return this.n;
  }

  add(ms: number): void {
    if (this.n === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.n++] = ms;
  }

  static merge(logs: LatencyLog[]): LatencyLog {
    const merged = new LatencyLog();
    for (const log of logs) for (let k = 0; k < log.n; k++) merged.add(log.values[k]!);
    return merged;
  }

  summary(): Latency {
    const sorted = this.values.subarray(0, this.n).sort();
    const at = (q: number) => (this.n === 0 ? 0 : sorted[Math.min(this.n - 1, Math.ceil(q * this.n) - 1)]!);
    return { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: at(1) };
  }
}
