/**
 * The measured sequence. Both servers run side by side for the whole of it (one idles while
 * the other is loaded), so that every figure compared to another is measured next to it, in
 * the order A B B A: the ceiling and the joins, the ceiling and the status reads, the room of
 * 1,000 and the room of a million. On Redis the same joins and status reads are measured,
 * beside a ceiling doing one INCR per request, by the same code.
 */
import { rssBytes, type ServerChild } from './child-process.js';
import {
  describeFailures,
  failures,
  type LoadResult,
  type LoadTarget,
  type MeasureShape,
  measurePair,
} from './load.js';
import type { RunLog } from './report.js';
import type { WaitroomServer } from './servers-under-test.js';
import {
  type BenchRoomOptions,
  createBenchRoom,
  fillRoom,
  readStatus,
  waitingCount,
} from './waitroom-api.js';

export const SMALL_ROOM_TICKETS = 1_000;
/**
 * Distinct tokens the status run rotates over: the shoppers of a busy room, read in no
 * particular order, so that the figure is that of a room of many shoppers whose records are
 * scattered in memory, not of a few hot ones. The server remembers up to 100,000 verified
 * tokens: after the warm-up each read finds its token there, as a shopper's second and later
 * reads do; a short run (1 s warm-up) still pays the first check of most tokens.
 */
export const STATUS_TOKENS = 50_000;
/** Tokens read in each of the two rooms compared by size: the same number in both. */
export const READ_TOKENS = 1_000;

/** Other work (other processes, steal) on the machine, in % of a core, above which a pair is measured again. */
const DISTURBED_PCT = 15;
/** Measurements of a pair at most, when the machine keeps being disturbed. */
const PAIR_ATTEMPTS = 3;

/** The most CPU other work took during either run of a pair, in % of a core (0 when unknown). */
function disturbance(pair: readonly [LoadResult, LoadResult]): number {
  return Math.max(pair[0].otherCpuPct ?? 0, pair[1].otherCpuPct ?? 0);
}

/** Joins and status reads beside the ceiling: the figures measured on both stores. */
export interface ThroughputFigures {
  ceiling: LoadResult;
  join: LoadResult;
  ceilingBearer: LoadResult;
  status: LoadResult;
}

export interface ScenarioFigures extends ThroughputFigures {
  fillLarge: LoadResult;
  statusSmallRoom: LoadResult;
  statusLargeRoom: LoadResult;
  rooms: { id: string; waiting: number }[];
  /** Position read back from the last ticket of the large room, to show reads reach deep. */
  largeRoomLastPosition: number | null;
  rssBytesAfterFill: number | null;
}

const count = (n: number) => n.toLocaleString('en-US');

export interface ScenarioOptions {
  shape: MeasureShape;
  log: RunLog;
  /** CPU seconds of the Redis server behind both servers, when they run on Redis. */
  redisCpu?: () => Promise<number | null>;
}

/** Names the runs of one pair of servers, so that the runs on Redis stand apart in the report. */
interface Naming {
  /** The ceiling's name in its runs' titles. */
  ceiling: string;
  /** Its name in the progress lines. */
  ceilingShort: string;
  /** After "join" and "status" in the waiting room's runs' titles ('' or ' on Redis'). */
  on: string;
}

/** What the phases share: the two servers, the checks that they live, and how runs are made. */
class Bench {
  readonly baseUrl: string;

  constructor(
    readonly ceiling: ServerChild,
    readonly waitroom: WaitroomServer,
    readonly options: ScenarioOptions,
  ) {
    this.baseUrl = waitroom.child.baseUrl;
  }

  alive(): void {
    for (const child of [this.ceiling, this.waitroom.child]) {
      if (child.exited) {
        throw new Error(
          `${child.name} exited (code ${child.exited.code}, signal ${child.exited.signal}); see ${child.logFile}`,
        );
      }
    }
  }

  api(roomId: string): BenchRoomOptions {
    return { baseUrl: this.baseUrl, adminToken: this.waitroom.adminToken, roomId };
  }

  ceilingGet(title: string): LoadTarget {
    return {
      title,
      serverPid: this.ceiling.pid,
      baseUrl: this.ceiling.baseUrl,
      method: 'GET',
      path: '/',
      ...this.redis(),
    };
  }

  /** A target on the waiting room. */
  on(title: string, method: 'GET' | 'POST', path: string, bearers?: readonly string[]): LoadTarget {
    return {
      title,
      serverPid: this.waitroom.child.pid,
      baseUrl: this.baseUrl,
      method,
      path,
      ...(bearers ? { bearers } : {}),
      ...this.redis(),
    };
  }

  private redis(): Pick<LoadTarget, 'redisCpu'> {
    return this.options.redisCpu ? { redisCpu: this.options.redisCpu } : {};
  }

  /**
   * Measures `a` and `b` A B B A. When other work on the machine (other processes, or the
   * hypervisor serving other machines: steal) took DISTURBED_PCT of a core or more during
   * either, the pair is measured again, PAIR_ATTEMPTS times at most, and the least disturbed
   * attempt is kept; the report names the others. What decides is the disturbance, never the
   * figures themselves.
   */
  async pair(a: LoadTarget, b: LoadTarget): Promise<[LoadResult, LoadResult]> {
    const attempts: [LoadResult, LoadResult][] = [];
    for (let attempt = 1; attempt <= PAIR_ATTEMPTS; attempt++) {
      const results = await measurePair(a, b, this.options.shape);
      this.alive();
      attempts.push(results);
      if (disturbance(results) < DISTURBED_PCT) break;
      if (attempt < PAIR_ATTEMPTS)
        console.log(
          `  (other work took ${Math.round(disturbance(results))} % of a core during "${a.title}" / "${b.title}": measured again)`,
        );
    }
    const kept = attempts.reduce((best, x) => (disturbance(x) < disturbance(best) ? x : best));
    if (attempts.length > 1) {
      const shown = (x: [LoadResult, LoadResult]) =>
        `${Math.round(x[0].rps)} and ${Math.round(x[1].rps)} req/s (other work ${Math.round(disturbance(x))} % of a core)`;
      this.options.log.notes.push(
        `"${a.title}" and "${b.title}" were measured ${attempts.length} times, other work on the machine ` +
          `having taken ${DISTURBED_PCT} % of a core or more; kept the least disturbed: ${shown(kept)}; ` +
          `the others: ${attempts
            .filter((x) => x !== kept)
            .map(shown)
            .join('; ')}.`,
      );
    }
    return kept.map((r) => this.options.log.record(r)) as [LoadResult, LoadResult];
  }

  async fill(roomId: string, n: number, title: string, keep: (i: number, total: number) => boolean) {
    const filled = await fillRoom(
      {
        ...this.api(roomId),
        count: n,
        connections: this.options.shape.connections,
        serverPid: this.waitroom.child.pid,
        title,
      },
      keep,
    );
    this.alive();
    return filled;
  }
}

/**
 * Joins beside the ceiling, then status reads over STATUS_TOKENS tokens beside the ceiling
 * sent the same tokens: both A B B A, in `roomId`, which must exist.
 */
async function measureThroughput(
  bench: Bench,
  roomId: string,
  naming: Naming,
  figures: Partial<ThroughputFigures>,
): Promise<void> {
  console.log(`joins${naming.on}, beside the ${naming.ceilingShort}`);
  [figures.ceiling, figures.join] = await bench.pair(
    bench.ceilingGet(`${naming.ceiling}, GET /`),
    bench.on(`join${naming.on}: POST /api/rooms/${roomId}/tickets`, 'POST', `/api/rooms/${roomId}/tickets`),
  );

  console.log(
    `status reads${naming.on} over ${count(STATUS_TOKENS)} tokens, beside the ${naming.ceilingShort} sent the same tokens`,
  );
  const capture = await bench.fill(roomId, STATUS_TOKENS, `joins${naming.on} for status tokens`, () => true);
  requireClean(capture.result, `joining ${count(STATUS_TOKENS)} tickets for their tokens`);
  const tokens = capture.tokens;
  [figures.ceilingBearer, figures.status] = await bench.pair(
    {
      ...bench.ceilingGet(`${naming.ceiling}, GET / with ${count(tokens.length)} rotating bearer tokens`),
      bearers: tokens,
    },
    bench.on(
      `status${naming.on}: GET /api/rooms/${roomId}/tickets/me, ${count(tokens.length)} rotating tokens`,
      'GET',
      `/api/rooms/${roomId}/tickets/me`,
      tokens,
    ),
  );
}

/** Runs the sequence, filling `figures` as it goes, so that a failure keeps what was measured. */
export async function runScenario(
  ceiling: ServerChild,
  waitroom: WaitroomServer,
  options: ScenarioOptions & { largeRoomTickets: number },
  figures: Partial<ScenarioFigures>,
): Promise<void> {
  const { log } = options;
  const bench = new Bench(ceiling, waitroom, options);
  const rooms = { small: 'bench-small', thousand: 'bench-1k', large: 'bench-large' };
  for (const id of Object.values(rooms)) await createBenchRoom(bench.api(id));

  const naming = { ceiling: 'ceiling: bare Fastify', ceilingShort: 'ceiling', on: '' };
  await measureThroughput(bench, rooms.small, naming, figures);

  const n = options.largeRoomTickets;
  console.log(`filling a room with ${count(SMALL_ROOM_TICKETS)} tickets and one with ${count(n)}`);
  const thousand = await bench.fill(rooms.thousand, SMALL_ROOM_TICKETS, 'small fill', () => true);
  requireClean(thousand.result, `filling ${rooms.thousand}`);
  // READ_TOKENS tickets spread evenly over the line, the last one among them.
  const step = Math.max(1, Math.floor(n / READ_TOKENS));
  const large = await bench.fill(
    rooms.large,
    n,
    `join at scale: ${count(n)} joins into an empty room, no warm-up`,
    (index, total) => (total - 1 - index) % step === 0,
  );
  figures.fillLarge = log.record(large.result);
  figures.rssBytesAfterFill = rssBytes(waitroom.child.pid);
  const last = large.tokens.at(-1);
  figures.largeRoomLastPosition = last ? (await readStatus(bench.baseUrl, rooms.large, last)).position : null;

  console.log('status reads in the two rooms');
  const statusIn = (roomId: string, size: number, roomTokens: string[]): LoadTarget =>
    bench.on(
      `status in a room of ${count(size)}, ${count(roomTokens.length)} rotating tokens`,
      'GET',
      `/api/rooms/${roomId}/tickets/me`,
      roomTokens,
    );
  [figures.statusSmallRoom, figures.statusLargeRoom] = await bench.pair(
    statusIn(rooms.thousand, SMALL_ROOM_TICKETS, thousand.tokens),
    statusIn(rooms.large, n, large.tokens.slice(-READ_TOKENS)),
  );

  figures.rooms = [];
  for (const id of Object.values(rooms))
    figures.rooms.push({ id, waiting: await waitingCount(bench.api(id)) });
  const largeWaiting = figures.rooms.at(-1)?.waiting ?? 0;
  if (largeWaiting !== n)
    log.notes.push(`The large room held ${count(largeWaiting)} waiting tickets, not ${count(n)}.`);
}

function requireClean(result: LoadResult, what: string): void {
  if (failures(result) > 0) throw new Error(`${what}: ${describeFailures(result)}`);
}

export interface RedisScenarioFigures extends ThroughputFigures {
  /** Waiting tickets in the room after the run, read through the operator API. */
  waiting: number;
}

/**
 * The same joins and status reads on the waiting room on Redis, beside the ceiling that does
 * one INCR per request; `options.redisCpu` reads Redis's own CPU around every run.
 */
export async function runRedisScenario(
  ceiling: ServerChild,
  waitroom: WaitroomServer,
  options: ScenarioOptions,
  figures: Partial<RedisScenarioFigures>,
): Promise<void> {
  const bench = new Bench(ceiling, waitroom, options);
  const roomId = 'bench-small';
  await createBenchRoom(bench.api(roomId));
  const naming = {
    ceiling: 'Redis ceiling: bare Fastify, one INCR',
    ceilingShort: 'INCR ceiling',
    on: ' on Redis',
  };
  await measureThroughput(bench, roomId, naming, figures);
  figures.waiting = await waitingCount(bench.api(roomId));
}
