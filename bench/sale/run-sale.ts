/**
 * A whole sale, simulated against the real server: a room admitting at a rate, one product
 * with less stock than shoppers, and a crowd that joins over a ramp, keeps its place by
 * polling or by an event stream, partly gives up, and orders once admitted. Sampled every
 * second meanwhile: the room's figures (operator API), the CPU and memory of the server, of
 * this process and of Redis. Checked after: the order of admission, the rate, the stock, and
 * the estimates. `runSale` returns the report; main.ts writes it.
 */

import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import { cpuSeconds, machineBusySeconds, rssBytes, type StopOutcome } from '../lib/child-process.js';
import { gitState } from '../lib/git-state.js';
import type { Latency, LatencyLog } from '../lib/load.js';
import { deleteKeys, info, redisCpuSeconds, safeUrl } from '../lib/redis.js';
import { type Target, target } from '../lib/report.js';
import { listenOverflows, schedSeconds } from '../lib/schedstat.js';
import { startScenarioWaitroom, type WaitroomServer } from '../lib/servers-under-test.js';
import {
  type BenchRoomOptions,
  createBenchRoom,
  putProducts,
  roomOrders,
  roomProducts,
  roomStats,
} from '../lib/waitroom-api.js';
import { Crowd, Fate, Kind, OUTCOME_NAMES, Outcome } from './crowd.js';
import {
  type AdmissionFlow,
  admissionFlow,
  type EstimateFigures,
  estimateFigures,
  type FifoCheck,
  fifoViolations,
  peakAndMean,
} from './sale-figures.js';

export interface SaleOptions {
  /** The repository's root (the server is apps/server/dist/server.js there). */
  root: string;
  /** Where the server's log goes. */
  logDir: string;
  shoppers: number;
  rampSeconds: number;
  /** The room's admitRatePerMinute; null: what drains the line in `saleMinutes`. */
  ratePerMinute: number | null;
  saleMinutes: number;
  /** Units of the one product; null: half the shoppers. */
  stock: number | null;
  streamShare: number;
  abandonShare: number;
  leaveShare: number;
  thinkSeconds: number;
  connections: number;
  seed: number;
  /** Waits shorter than this are left out of the estimate's error. */
  minWaitSeconds: number;
  /** Local addresses 127.0.0.1… the event streams connect from, in turn (1: the system's choice). */
  sourceAddresses: number;
  /** Run the server on this Redis (REDIS_URL), else on the embedded store. */
  redisUrl: string | null;
  /** Print a line every this many seconds (0: never). */
  progressSeconds: number;
}

export const SALE_DEFAULTS: Omit<SaleOptions, 'root' | 'logDir'> = {
  shoppers: 2_000,
  rampSeconds: 20,
  ratePerMinute: null,
  saleMinutes: 1,
  stock: null,
  streamShare: 0.1,
  abandonShare: 0.05,
  leaveShare: 0.05,
  thinkSeconds: 3,
  connections: 256,
  seed: 8,
  minWaitSeconds: 5,
  sourceAddresses: 1,
  redisUrl: null,
  progressSeconds: 10,
};

/** The --full run: 100,000 shoppers joining over a minute, the line drained in about five. */
export const SALE_FULL: Partial<SaleOptions> = { shoppers: 100_000, rampSeconds: 60, saleMinutes: 5 };

/** Admission runs on ticks of this length (the server's ADMIT_TICK_MS default). */
const TICK_MS = 250;
const ROOM_ID = 'flash-sale';
const PRODUCT_ID = 'limited-sneaker';
const ADMISSION_TTL_SECONDS = 3600;
const HEARTBEAT_SECONDS = 60;

/** One second of the run. */
export interface SaleSample {
  t: number;
  waiting: number | null;
  active: number | null;
  admittedTotal: number | null;
  joins: number;
  polls: number;
  streamEvents: number;
  streamsOpen: number;
  orders: number;
  /** Shares of one core (100 = one core busy) over the second. */
  serverCpuPct: number | null;
  simulatorCpuPct: number;
  redisCpuPct: number | null;
  otherCpuPct: number | null;
  serverRssMiB: number | null;
  /**
   * The server's main thread (its event loop) over the second, in % of the wall time: on a
   * CPU, and runnable but waiting for a CPU that other processes held. The rest it was
   * blocked (a synchronous disk write: SQLite's commit) or had nothing to do.
   */
  serverLoopRunPct: number | null;
  serverLoopWaitPct: number | null;
  redisUsedMemoryMiB: number | null;
  /** The simulator's event-loop delay over the second (p99 and max, ms): high means it lagged. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Requests waiting in the simulator's pool for a free connection. */
  poolQueued: number;
}

export interface CallLatency {
  call: string;
  count: number;
  latencyMs: Latency | null;
}

export interface SaleReport {
  startedAt: string;
  totalSeconds: number;
  machine: { node: string; cpu: string; cores: number; loadAverageBefore: number[] };
  git: { commit: string | null; dirty: boolean | null; serverBuiltAt: string | null };
  settings: Omit<SaleOptions, 'root' | 'logDir' | 'ratePerMinute' | 'stock' | 'redisUrl'> & {
    ratePerMinute: number;
    stock: number;
    tickMs: number;
    heartbeatTimeoutSeconds: number;
    admissionTtlSeconds: number;
    store: string;
    full: boolean;
  };
  shoppers: {
    polling: number;
    streaming: number;
    meantToAbandon: number;
    meantToLeave: number;
    outcomes: Record<string, number>;
    /** Gave up (stopped) but were admitted before the server noticed: an admission spent on nobody. */
    admittedAfterAbandoning: number;
    /** Stopped and found expired (abandoned) by the server, as they should be. */
    abandonedFoundExpired: number;
    lost: number;
    dropped: number;
  };
  throughput: {
    joinsPerSecondOffered: number;
    joinsPerSecondReached: number;
    joinsPeakPerSecond: number | null;
    pollsPerSecondMean: number | null;
    pollsPerSecondPeak: number | null;
    streamEventsPerSecondMean: number | null;
    streamEventsPerSecondPeak: number | null;
    streamsOpenPeak: number | null;
    streamReconnects: number;
  };
  latency: CallLatency[];
  fifo: FifoCheck;
  admissions: AdmissionFlow & {
    limitIn60s: number;
    /** Admissions the operator's stats count, and those the shoppers' reads account for. */
    statsAdmittedTotal: number | null;
    known: number;
  };
  estimates: EstimateFigures;
  stock: {
    stock: number;
    sold: number | null;
    available: number | null;
    orders: number;
    unitsInOrders: number;
    oversold: number;
    buyersWithTwoOrders: number;
    confirmedAnswers: number;
    soldOutAnswers: number;
    otherOrderRefusals: Record<string, number>;
  };
  resources: {
    serverCpuPctMean: number | null;
    serverCpuPctPeak: number | null;
    serverRssMiBPeak: number | null;
    /** The server's event-loop thread: on a CPU, and waiting for one (% of the wall time, mean). */
    serverLoopRunPctMean: number | null;
    serverLoopWaitPctMean: number | null;
    simulatorCpuPctMean: number | null;
    simulatorCpuPctPeak: number | null;
    otherCpuPctMean: number | null;
    loopDelayP99MsPeak: number | null;
    poolQueuedPeak: number | null;
    redisCpuPctMean: number | null;
    redisUsedMemoryMiBBefore: number | null;
    redisUsedMemoryMiBPeak: number | null;
    redisUsedMemoryMiBAfter: number | null;
    /** The room's keys in Redis, deleted after the run. */
    redisKeysDeleted: number | null;
    /** Connections the machine dropped for a full accept queue during the sale (all listeners). */
    listenOverflows: number | null;
  };
  problems: { kind: string; count: number; first: string }[];
  stop: StopOutcome | null;
  timeline: SaleSample[];
  targets: Target[];
  notes: string[];
}

const now = () => performance.timeOrigin + performance.now();
const count = (n: number) => n.toLocaleString('en-US');

/** The room's rate: the one given, or what admits every shopper in `saleMinutes`. */
export function saleRate(options: Pick<SaleOptions, 'ratePerMinute' | 'shoppers' | 'saleMinutes'>): number {
  return options.ratePerMinute ?? Math.max(60, Math.ceil(options.shoppers / options.saleMinutes / 60) * 60);
}

export async function runSale(
  options: SaleOptions,
  full = false,
): Promise<{ report: SaleReport; crowd: Crowd }> {
  const startedAt = new Date();
  const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
  const rate = saleRate(options);
  const stock = options.stock ?? Math.floor(options.shoppers / 2);
  const notes: string[] = [];
  const { waitroom, redis, keyPrefix } = await startScenarioWaitroom(
    options.root,
    options.logDir,
    options.redisUrl,
    'server-sale',
    'waitroom server (sale)',
  );
  const room: BenchRoomOptions = {
    baseUrl: waitroom.child.baseUrl,
    adminToken: waitroom.adminToken,
    roomId: ROOM_ID,
  };
  let stop: StopOutcome | null = null;
  let crowd: Crowd | null = null;
  try {
    await createBenchRoom(room, {
      admitRatePerMinute: rate,
      heartbeatTimeoutSeconds: HEARTBEAT_SECONDS,
      admissionTtlSeconds: ADMISSION_TTL_SECONDS,
    });
    await putProducts(room, [
      { id: PRODUCT_ID, name: 'Limited sneaker', priceCents: 18_000, currency: 'EUR', stock, maxPerOrder: 1 },
    ]);
    const redisMemoryBefore = redis ? await usedMemoryMiB(redis) : null;
    crowd = new Crowd({
      baseUrl: room.baseUrl,
      roomId: ROOM_ID,
      productId: PRODUCT_ID,
      shoppers: options.shoppers,
      rampSeconds: options.rampSeconds,
      streamShare: options.streamShare,
      abandonShare: options.abandonShare,
      leaveShare: options.leaveShare,
      thinkSeconds: options.thinkSeconds,
      connections: options.connections,
      admissionTtlSeconds: ADMISSION_TTL_SECONDS,
      seed: options.seed,
      sourceAddresses:
        options.sourceAddresses > 1
          ? Array.from({ length: options.sourceAddresses }, (_, k) => `127.0.0.${k + 1}`)
          : [],
      streamRecordMs: 1000,
      runId: `sale-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
    });
    const drainSeconds = (options.shoppers / rate) * 60;
    const deadlineSeconds = options.rampSeconds + drainSeconds * 1.5 + options.thinkSeconds + 120;
    console.log(
      `sale: ${count(options.shoppers)} shoppers over ${options.rampSeconds} s, admitted at ${count(rate)}/min ` +
        `(the line drains in about ${Math.round(drainSeconds)} s), ${count(stock)} units; ` +
        `${Math.round(options.streamShare * 100)} % streaming; store ${options.redisUrl ? 'Redis' : 'embedded'}`,
    );
    const sampler = new Sampler(waitroom, room, crowd, redis, options.progressSeconds);
    sampler.start();
    const overflowsBefore = listenOverflows();
    await crowd.run(now() + deadlineSeconds * 1000);
    const overflowsAfter = listenOverflows();
    console.log('  every shopper is done; waiting for the line to empty (silent tickets are swept)');
    await waitForEmptyLine(room, (HEARTBEAT_SECONDS + 30) * 1000);
    const gone = await crowd.readGoneTickets();
    sampler.stop();
    const stats = await roomStats(room).catch(() => null);
    const products = await roomProducts(room);
    const orders = await roomOrders(room);
    const redisMemoryAfter = redis ? await usedMemoryMiB(redis) : null;
    stop = await waitroom.child.stop();
    let redisKeysDeleted: number | null = null;
    if (redis && keyPrefix) redisKeysDeleted = await deleteKeys(redis, `${keyPrefix}*`);

    const report = buildReport({
      options,
      full,
      rate,
      stock,
      startedAt,
      loadBefore,
      crowd,
      sampler,
      gone,
      statsAdmittedTotal: (stats as { admittedTotal?: number } | null)?.admittedTotal ?? null,
      product: products.find((p) => p.id === PRODUCT_ID) ?? null,
      orders,
      redisMemoryBefore,
      redisMemoryAfter,
      redisKeysDeleted,
      listenOverflows:
        overflowsBefore === null || overflowsAfter === null ? null : overflowsAfter - overflowsBefore,
      stop,
      notes,
    });
    return { report, crowd };
  } finally {
    if (!stop) await waitroom.child.stop();
    await crowd?.close();
    rmSync(waitroom.dataDir, { recursive: true, force: true });
    redis?.disconnect();
  }
}

async function usedMemoryMiB(redis: Redis): Promise<number | null> {
  try {
    const mem = await info(redis, 'memory');
    return mem.used_memory === undefined ? null : mem.used_memory / 2 ** 20;
  } catch {
    return null;
  }
}

async function waitForEmptyLine(room: BenchRoomOptions, timeoutMs: number): Promise<void> {
  const deadline = now() + timeoutMs;
  while (now() < deadline) {
    const stats = await roomStats(room).catch(() => null);
    if (stats && stats.waiting === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Reads the room and the processes once a second while the crowd runs. */
class Sampler {
  readonly samples: SaleSample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly loop = monitorEventLoopDelay({ resolution: 10 });
  private last: {
    at: number;
    server: number | null;
    sched: { run: number; wait: number } | null;
    self: number;
    machine: number | null;
    redis: number | null;
    joins: number;
    polls: number;
    events: number;
    orders: number;
  } | null = null;
  private busy = false;
  private redisMemoryPeak: number | null = null;

  constructor(
    private readonly waitroom: WaitroomServer,
    private readonly room: BenchRoomOptions,
    private readonly crowd: Crowd,
    private readonly redis: Redis | null,
    private readonly progressSeconds: number,
  ) {}

  get redisPeakMiB(): number | null {
    return this.redisMemoryPeak;
  }

  start(): void {
    this.loop.enable();
    void this.read();
    this.timer = setInterval(() => void this.read(), 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.loop.disable();
  }

  private async read(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const at = now();
      const c = this.crowd.counters;
      const cur = {
        at,
        server: cpuSeconds(this.waitroom.child.pid),
        sched: schedSeconds(this.waitroom.child.pid),
        self: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
        machine: machineBusySeconds(),
        redis: this.redis ? await redisCpuSeconds(this.redis) : null,
        joins: c.joinsAnswered,
        polls: c.pollsAnswered,
        events: c.streamEvents,
        orders: c.ordersAnswered,
      };
      const stats = await roomStats(this.room).catch(() => null);
      const redisMemory = this.redis ? await usedMemoryMiB(this.redis) : null;
      if (redisMemory !== null) this.redisMemoryPeak = Math.max(this.redisMemoryPeak ?? 0, redisMemory);
      const prev = this.last;
      this.last = cur;
      if (!prev) return;
      const s = (at - prev.at) / 1000;
      const share = (a: number | null, b: number | null) =>
        a === null || b === null ? null : ((a - b) / s) * 100;
      const server = share(cur.server, prev.server);
      const self = share(cur.self, prev.self) ?? 0;
      const redis = share(cur.redis, prev.redis);
      const machine = share(cur.machine, prev.machine);
      const rss = rssBytes(this.waitroom.child.pid);
      const sample: SaleSample = {
        t: (at - this.crowd.start) / 1000,
        waiting: stats?.waiting ?? null,
        active: stats?.active ?? null,
        admittedTotal: stats?.admittedTotal ?? null,
        joins: (cur.joins - prev.joins) / s,
        polls: (cur.polls - prev.polls) / s,
        streamEvents: (cur.events - prev.events) / s,
        streamsOpen: c.streamsOpen,
        orders: (cur.orders - prev.orders) / s,
        serverCpuPct: server,
        simulatorCpuPct: self,
        redisCpuPct: redis,
        otherCpuPct: machine === null ? null : Math.max(0, machine - (server ?? 0) - self - (redis ?? 0)),
        serverRssMiB: rss === null ? null : rss / 2 ** 20,
        serverLoopRunPct: cur.sched && prev.sched ? ((cur.sched.run - prev.sched.run) / s) * 100 : null,
        serverLoopWaitPct: cur.sched && prev.sched ? ((cur.sched.wait - prev.sched.wait) / s) * 100 : null,
        redisUsedMemoryMiB: redisMemory,
        loopDelayP99Ms: this.loop.percentile(99) / 1e6,
        loopDelayMaxMs: this.loop.max / 1e6,
        poolQueued: this.crowd.poolQueued,
      };
      this.loop.reset();
      this.samples.push(sample);
      const t = Math.round(sample.t);
      if (this.progressSeconds > 0 && t % this.progressSeconds === 0) {
        console.log(
          `  ${String(t).padStart(4)} s: joined ${count(c.joinsAnswered)}, waiting ${sample.waiting ?? '?'}, ` +
            `admitted ${sample.admittedTotal ?? '?'}, orders ${count(c.ordersAnswered)}; ` +
            `${Math.round(sample.polls)} polls/s, ${Math.round(sample.streamEvents)} events/s, ` +
            `${c.streamsOpen} streams; CPU server ${Math.round(server ?? 0)} %, simulator ${Math.round(self)} %` +
            `${redis === null ? '' : `, Redis ${Math.round(redis)} %`}; loop p99 ${sample.loopDelayP99Ms.toFixed(0)} ms` +
            `${sample.poolQueued > 0 ? `, ${sample.poolQueued} queued in the pool` : ''}` +
            `${c.errors > 0 ? `; ${c.errors} errors` : ''}`,
        );
      }
    } finally {
      this.busy = false;
    }
  }
}

interface ReportInput {
  options: SaleOptions;
  full: boolean;
  rate: number;
  stock: number;
  startedAt: Date;
  loadBefore: number[];
  crowd: Crowd;
  sampler: Sampler;
  gone: { read: number; admitted: number; expired: number; other: number };
  statsAdmittedTotal: number | null;
  product: { sold: number; available: number } | null;
  orders: { ticketId: string; items: { productId: string; quantity: number }[] }[];
  redisMemoryBefore: number | null;
  redisMemoryAfter: number | null;
  redisKeysDeleted: number | null;
  listenOverflows: number | null;
  stop: StopOutcome;
  notes: string[];
}

function summary(log: LatencyLog): Latency | null {
  return log.size === 0 ? null : log.summary();
}

function buildReport(input: ReportInput): SaleReport {
  const { options, crowd, rate, stock, notes } = input;
  const n = crowd.n;
  const start = crowd.start;
  const outcomes: Record<string, number> = {};
  let polling = 0;
  let meantToAbandon = 0;
  let meantToLeave = 0;
  for (let i = 0; i < n; i++) {
    const name = OUTCOME_NAMES[crowd.outcome[i]!]!;
    outcomes[name] = (outcomes[name] ?? 0) + 1;
    if (crowd.kind[i] === Kind.Poll) polling++;
    if (crowd.fate[i] === Fate.Abandon) meantToAbandon++;
    if (crowd.fate[i] === Fate.Leave) meantToLeave++;
  }
  const lost = outcomes[OUTCOME_NAMES[Outcome.Lost]] ?? 0;
  const dropped = outcomes[OUTCOME_NAMES[Outcome.Dropped]] ?? 0;
  const timeline = input.sampler.samples;

  // Joins: from the first sent to the last answered.
  let firstJoin = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++)
    if (crowd.joinSentAt[i]! > 0) firstJoin = Math.min(firstJoin, crowd.joinSentAt[i]!);
  let lastJoined = 0;
  for (let i = 0; i < n; i++)
    if (Number.isFinite(crowd.joinedAt[i])) lastJoined = Math.max(lastJoined, crowd.joinedAt[i]!);
  const joinSpanS = Math.max(1e-3, (lastJoined - firstJoin) / 1000);
  const inSale = timeline.filter(
    (x) => x.t <= (timeline.findLast((y) => y.orders > 0 || y.polls > 0)?.t ?? 0),
  );
  const pollStats = peakAndMean(inSale.map((x) => x.polls));
  const eventStats = peakAndMean(inSale.map((x) => x.streamEvents));

  const times: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(crowd.admittedAt[i])) times.push(crowd.admittedAt[i]!);
  const flow = admissionFlow(times, start);
  const limitIn60s = rate + Math.ceil((rate * TICK_MS) / 60_000) + 1;
  const fifo = fifoViolations(crowd.joinedAt, crowd.admittedAt);
  const estimates = estimateFigures(crowd, start, options.minWaitSeconds);

  const confirmed = outcomes[OUTCOME_NAMES[Outcome.Confirmed]] ?? 0;
  const soldOut = outcomes[OUTCOME_NAMES[Outcome.SoldOut]] ?? 0;
  const units = input.orders.reduce(
    (sum, o) =>
      sum + o.items.filter((it) => it.productId === PRODUCT_ID).reduce((a, it) => a + it.quantity, 0),
    0,
  );
  const perTicket = new Map<string, number>();
  for (const o of input.orders) perTicket.set(o.ticketId, (perTicket.get(o.ticketId) ?? 0) + 1);
  const twice = [...perTicket.values()].filter((k) => k > 1).length;
  const sold = input.product?.sold ?? null;
  const available = input.product?.available ?? null;
  const oversold = Math.max(0, (sold ?? 0) - stock, units - stock, -(available ?? 0));

  const serverCpu = peakAndMean(inSale.map((x) => x.serverCpuPct));
  const selfCpu = peakAndMean(inSale.map((x) => x.simulatorCpuPct));
  const otherCpu = peakAndMean(inSale.map((x) => x.otherCpuPct));
  const redisCpu = peakAndMean(inSale.map((x) => x.redisCpuPct));
  const problems = [...crowd.problems].map(([kind, p]) => ({ kind, count: p.count, first: p.first }));
  const errorCount = problems.reduce((a, p) => a + p.count, 0);
  const known = times.length;
  const left = outcomes[OUTCOME_NAMES[Outcome.Left]] ?? 0;
  const unaccounted = input.statsAdmittedTotal === null ? null : input.statsAdmittedTotal - known;
  const unexplained = unaccounted === null ? null : Math.max(0, unaccounted - left);
  if (unaccounted !== null && unaccounted > 0) {
    notes.push(
      `${count(unaccounted)} admission${unaccounted === 1 ? ' is' : 's are'} known only to the operator's count: shoppers who left with DELETE after the ` +
        'server had admitted them, before their next read told them so. The rate and FIFO checks cover the ' +
        `${count(known)} admissions whose times are known.`,
    );
  }

  const latency: CallLatency[] = [
    { call: 'join: POST /api/rooms/{id}/tickets', log: crowd.latency.join },
    { call: 'status: GET /api/rooms/{id}/tickets/me', log: crowd.latency.status },
    { call: 'event stream: connect to first status event', log: crowd.latency.streamFirstEvent },
    { call: 'order: POST /api/orders, 201 confirmed', log: crowd.latency.orderConfirmed },
    { call: 'order: POST /api/orders, 409 SOLD_OUT', log: crowd.latency.orderSoldOut },
    { call: 'leave: DELETE /api/rooms/{id}/tickets/me', log: crowd.latency.leave },
  ].map(({ call, log }) => ({ call, count: log.size, latencyMs: summary(log) }));

  const minWait = `actual wait of at least ${options.minWaitSeconds} s`;
  const targets: Target[] = [
    target(
      'FIFO violations (admitted before someone who joined earlier)',
      fifo.violations,
      '<=',
      0,
      `${count(fifo.checked)} admitted tickets, by the server's joinedAt and admission time (admissionExpiresAt − TTL)`,
      0,
    ),
    target(
      'most admissions in any 60 s',
      flow.maxIn60s,
      '<=',
      limitIn60s,
      `${count(known)} admissions by their server times; limit: the rate ${count(rate)}/min plus one ${TICK_MS} ms tick's worth and its rounding`,
      0,
    ),
    target(
      'admissions not accounted for, beyond what leavers explain',
      unexplained,
      '<=',
      0,
      `operator stats admittedTotal ${input.statsAdmittedTotal ?? 'n/a'} less the ${count(known)} admissions seen by shoppers or read back after, ` +
        `less the ${count(left)} shoppers who left (a DELETE gives up an admission its shopper had not seen yet)`,
      0,
    ),
    target(
      'oversold units',
      oversold,
      '<=',
      0,
      `stock ${count(stock)}; sold ${sold ?? 'n/a'}, available ${available ?? 'n/a'}, ${count(units)} units in ${count(input.orders.length)} listed orders (operator API)`,
      0,
    ),
    target(
      'units sold ≠ units in listed orders',
      sold === null ? null : Math.abs(sold - units),
      '<=',
      0,
      "the product's sold against GET /api/admin/orders",
      0,
    ),
    target('buyers with two orders', twice, '<=', 0, 'tickets with more than one listed order', 0),
    target(
      'lost tickets',
      lost,
      '<=',
      0,
      'shoppers who kept their place but were neither admitted nor refused by the deadline',
      0,
    ),
    target(
      'tickets dropped while keeping their place',
      dropped,
      '<=',
      0,
      'a polling or streaming shopper told 404, expired or left',
      0,
    ),
    target(
      'unexpected answers and failed requests',
      errorCount,
      '<=',
      0,
      problems.length ? problems.map((p) => `${p.count}× ${p.kind}`).join(', ') : 'none',
      0,
    ),
    target(
      'estimate error at join, median',
      estimates.atJoin.median,
      '<=',
      0.1,
      `|predicted − actual| / actual over ${count(estimates.atJoin.count)} admitted shoppers with an ${minWait} (${count(estimates.atJoin.excluded)} left out)`,
    ),
    target('estimate error at join, p90', estimates.atJoin.p90, '<=', 0.25, 'the same shoppers'),
    target(
      'estimate error half-way, median',
      estimates.halfWay.median,
      '<=',
      0.1,
      `the read nearest the middle of the actual wait, against the wait then left (at least ${options.minWaitSeconds} s), ${count(estimates.halfWay.count)} shoppers (${count(estimates.halfWay.excluded)} left out)`,
    ),
    target('estimate error half-way, p90', estimates.halfWay.p90, '<=', 0.25, 'the same shoppers'),
  ];

  if (selfCpu.mean !== null && selfCpu.mean >= 85) {
    notes.push(
      `The simulator used ${selfCpu.mean.toFixed(0)} % of a core on average: it may have been a limit as well as the server.`,
    );
  }
  const loopRun = peakAndMean(inSale.map((x) => x.serverLoopRunPct)).mean;
  const loopWait = peakAndMean(inSale.map((x) => x.serverLoopWaitPct)).mean;
  if (loopRun !== null && loopWait !== null) {
    const blocked = Math.max(0, 100 - loopRun - loopWait);
    notes.push(
      `The server's event loop was on a CPU ${loopRun.toFixed(0)} % of the time, waited for a CPU held by others ` +
        `${loopWait.toFixed(0)} %, and was blocked or idle ${blocked.toFixed(0)} % (a synchronous write such as ` +
        "SQLite's commit, or nothing to do).",
    );
  }
  if ((otherCpu.mean ?? 0) >= 20) {
    notes.push(
      `Other processes used ${otherCpu.mean!.toFixed(0)} % of a core on average: the machine was not the run's alone.`,
    );
  }
  if (input.full && options.shoppers < 100_000) {
    notes.push(`A full run with ${count(options.shoppers)} shoppers instead of 100,000.`);
  }
  const loopPeak = peakAndMean(inSale.map((x) => x.loopDelayP99Ms)).peak;
  if (loopPeak !== null && loopPeak >= 200) {
    notes.push(
      `The simulator's event loop lagged up to ${loopPeak.toFixed(0)} ms (p99 over a second): its own timing (polls, latencies) is that much coarse there.`,
    );
  }
  const lateTicks = flow.tickGapMs.p50 !== null && flow.tickGapMs.p50 > TICK_MS * 1.2;
  if (flow.meanPerMinute !== null && flow.meanPerMinute < rate * 0.9) {
    notes.push(
      `Admission ran at ${flow.meanPerMinute.toFixed(0)} a minute on average, ${((1 - flow.meanPerMinute / rate) * 100).toFixed(0)} % ` +
        `below the rate${lateTicks ? `: the admitting ticks came every ${flow.tickGapMs.p50?.toFixed(0)} ms (p50) instead of ${TICK_MS}, and a late tick admits at most one tick's worth` : ''}. ` +
        'The estimates plan with the outflow measured so far, so an outflow that changes makes them miss.',
    );
  }
  if (input.listenOverflows) {
    notes.push(
      `The machine dropped ${count(input.listenOverflows)} connections for a full accept queue during the sale ` +
        '(TcpExt ListenOverflows, all listeners): the server fell so far behind that new connections, the event ' +
        "streams' among them, waited for the kernel to try again.",
    );
  }
  if (input.gone.other > 0) {
    notes.push(
      `${input.gone.other} tickets of shoppers who stopped were neither admitted nor expired when read back after the sale.`,
    );
  }

  return {
    startedAt: input.startedAt.toISOString(),
    totalSeconds: (Date.now() - input.startedAt.getTime()) / 1000,
    machine: {
      node: process.versions.node,
      cpu: cpus()[0]?.model.trim() ?? 'unknown',
      cores: cpus().length,
      loadAverageBefore: input.loadBefore,
    },
    git: gitState(options.root),
    settings: {
      shoppers: options.shoppers,
      rampSeconds: options.rampSeconds,
      saleMinutes: options.saleMinutes,
      streamShare: options.streamShare,
      abandonShare: options.abandonShare,
      leaveShare: options.leaveShare,
      thinkSeconds: options.thinkSeconds,
      connections: options.connections,
      seed: options.seed,
      minWaitSeconds: options.minWaitSeconds,
      sourceAddresses: options.sourceAddresses,
      progressSeconds: options.progressSeconds,
      ratePerMinute: rate,
      stock,
      tickMs: TICK_MS,
      heartbeatTimeoutSeconds: HEARTBEAT_SECONDS,
      admissionTtlSeconds: ADMISSION_TTL_SECONDS,
      store: options.redisUrl ? `Redis ${safeUrl(options.redisUrl)}` : 'embedded',
      full: input.full,
    },
    shoppers: {
      polling,
      streaming: n - polling,
      meantToAbandon,
      meantToLeave,
      outcomes,
      admittedAfterAbandoning: input.gone.admitted,
      abandonedFoundExpired: input.gone.expired,
      lost,
      dropped,
    },
    throughput: {
      joinsPerSecondOffered: options.shoppers / Math.max(options.rampSeconds, 1e-3),
      joinsPerSecondReached: crowd.counters.joinsAnswered / joinSpanS,
      joinsPeakPerSecond: peakAndMean(timeline.map((x) => x.joins)).peak,
      pollsPerSecondMean: pollStats.mean,
      pollsPerSecondPeak: pollStats.peak,
      streamEventsPerSecondMean: eventStats.mean,
      streamEventsPerSecondPeak: eventStats.peak,
      streamsOpenPeak: peakAndMean(timeline.map((x) => x.streamsOpen)).peak,
      streamReconnects: crowd.counters.streamReconnects,
    },
    latency,
    fifo,
    admissions: { ...flow, limitIn60s, statsAdmittedTotal: input.statsAdmittedTotal, known },
    estimates,
    stock: {
      stock,
      sold,
      available,
      orders: input.orders.length,
      unitsInOrders: units,
      oversold,
      buyersWithTwoOrders: twice,
      confirmedAnswers: confirmed,
      soldOutAnswers: soldOut,
      otherOrderRefusals: Object.fromEntries(crowd.orderCodes),
    },
    resources: {
      serverCpuPctMean: serverCpu.mean,
      serverCpuPctPeak: serverCpu.peak,
      serverRssMiBPeak: peakAndMean(timeline.map((x) => x.serverRssMiB)).peak,
      serverLoopRunPctMean: peakAndMean(inSale.map((x) => x.serverLoopRunPct)).mean,
      serverLoopWaitPctMean: peakAndMean(inSale.map((x) => x.serverLoopWaitPct)).mean,
      simulatorCpuPctMean: selfCpu.mean,
      simulatorCpuPctPeak: selfCpu.peak,
      otherCpuPctMean: otherCpu.mean,
      loopDelayP99MsPeak: loopPeak,
      poolQueuedPeak: peakAndMean(timeline.map((x) => x.poolQueued)).peak,
      redisCpuPctMean: redisCpu.mean,
      redisUsedMemoryMiBBefore: input.redisMemoryBefore,
      redisUsedMemoryMiBPeak: input.sampler.redisPeakMiB,
      redisUsedMemoryMiBAfter: input.redisMemoryAfter,
      redisKeysDeleted: input.redisKeysDeleted,
      listenOverflows: input.listenOverflows,
    },
    problems,
    stop: input.stop,
    timeline,
    targets,
    notes,
  };
}
