/**
 * The simulated shoppers of a sale, all in this process: each joins at its moment of the
 * ramp, keeps its place by polling `GET …/tickets/me` when the server's `pollAfterMs` says
 * (through one undici pool of keep-alive connections) or by an event stream of its own, may
 * give up (stop, or leave with DELETE), and once admitted orders one unit with its admission
 * token. What each one saw is kept in typed arrays, for the figures afterwards.
 */
import { Pool } from 'undici';
import { streamRetryDelayMs } from '../../apps/web/src/features/queue/stream-retry.js';
import { LatencyLog } from '../lib/load.js';
import { SseStream } from '../lib/sse-client.js';
import { Agenda } from './agenda.js';
import { ReadLog } from './read-log.js';

export const Kind = { Poll: 0, Stream: 1 } as const;
export const Fate = { Stay: 0, Abandon: 1, Leave: 2 } as const;

/** How a shopper's visit ended. */
export const Outcome = {
  /** Still under way. */
  None: 0,
  Confirmed: 1,
  SoldOut: 2,
  /** An order refused for any other reason, or never answered. */
  OrderFailed: 3,
  Left: 4,
  Abandoned: 5,
  JoinFailed: 6,
  /** The server stopped knowing a ticket whose shopper kept its place (404, expired, left). */
  Dropped: 7,
  /** Still waiting (or ordering) when the run's deadline came. */
  Lost: 8,
  LeaveFailed: 9,
} as const;
export type OutcomeCode = (typeof Outcome)[keyof typeof Outcome];
export const OUTCOME_NAMES = [
  'in progress',
  'order confirmed',
  'SOLD_OUT',
  'order failed',
  'left (DELETE)',
  'abandoned (stopped polling)',
  'join failed',
  'dropped while keeping its place',
  'lost (no answer by the deadline)',
  'leave failed',
] as const;

const Phase = { Planned: 0, Joining: 1, Waiting: 2, Admitted: 3, Leaving: 4, Done: 5 } as const;

const Action = { Join: 0, Poll: 1, GiveUp: 2, Order: 3 } as const;
/** How long a new event stream may stay silent before it is given up for a poll (the page's connectMs). */
const STREAM_CONNECT_MS = 10_000;
const ACTIONS = 8;

export interface CrowdOptions {
  baseUrl: string;
  roomId: string;
  productId: string;
  shoppers: number;
  /** Joins are spread evenly over this many seconds. */
  rampSeconds: number;
  /** Shares of the shoppers (0 to 1): streaming instead of polling; giving up by stopping; by leaving. */
  streamShare: number;
  abandonShare: number;
  leaveShare: number;
  /** Longest pause between admission and the order (drawn uniformly from 0). */
  thinkSeconds: number;
  /** Keep-alive connections of the pool shared by every poll, join, leave and order. */
  connections: number;
  /** The room's admissionTtlSeconds: the server's admission time is admissionExpiresAt less it. */
  admissionTtlSeconds: number;
  /** Seed of the draws (who streams, who gives up and when, think times). */
  seed: number;
  /** Local addresses the event streams connect from, in turn (empty: the system's choice). */
  sourceAddresses: string[];
  /** An event-stream shopper's status is recorded at most this often (ms); every change is seen. */
  streamRecordMs: number;
  /** Idempotency keys start with this. */
  runId: string;
}

/** Counters the run samples every second. */
export interface CrowdCounters {
  joinsSent: number;
  joinsAnswered: number;
  pollsAnswered: number;
  streamEvents: number;
  streamsOpen: number;
  streamReconnects: number;
  admissionsSeen: number;
  ordersAnswered: number;
  leaves: number;
  gaveUp: number;
  /** Answers or failures that no shopper should get: counted by kind in `problems`. */
  errors: number;
  finished: number;
}

export interface CrowdLatencies {
  join: LatencyLog;
  status: LatencyLog;
  streamFirstEvent: LatencyLog;
  orderConfirmed: LatencyLog;
  orderSoldOut: LatencyLog;
  leave: LatencyLog;
}

interface StatusBody {
  state: string;
  position: number | null;
  etaSeconds: number | null;
  etaRange: [number, number] | null;
  pollAfterMs: number;
  joinedAt?: string;
  admissionToken?: string;
  admissionExpiresAt?: string;
  queueToken?: string;
}

const now = () => performance.timeOrigin + performance.now();

/** A small, fast, seeded generator (mulberry32): the same seed draws the same crowd. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Crowd {
  readonly n: number;
  readonly kind: Uint8Array;
  readonly fate: Uint8Array;
  readonly outcome: Uint8Array;
  private readonly phase: Uint8Array;
  /** Epoch ms: when the join was sent; the server's joinedAt; its admission (admissionExpiresAt − TTL). */
  readonly joinSentAt: Float64Array;
  readonly joinedAt: Float64Array;
  readonly admittedAt: Float64Array;
  /** When the shopper learnt of its admission (poll answer or event), epoch ms. */
  readonly admissionSeenAt: Float64Array;
  /** The answer to the join: position, estimate and range (NaN when none). */
  readonly joinPosition: Int32Array;
  readonly joinEta: Float32Array;
  readonly joinLow: Float32Array;
  readonly joinHigh: Float32Array;
  /** When a shopper that gives up does so (epoch ms, 0 for none), and when it did. */
  readonly giveUpAt: Float64Array;
  readonly gaveUpAt: Float64Array;
  readonly reads = new ReadLog();
  readonly counters: CrowdCounters = {
    joinsSent: 0,
    joinsAnswered: 0,
    pollsAnswered: 0,
    streamEvents: 0,
    streamsOpen: 0,
    streamReconnects: 0,
    admissionsSeen: 0,
    ordersAnswered: 0,
    leaves: 0,
    gaveUp: 0,
    errors: 0,
    finished: 0,
  };
  readonly latency: CrowdLatencies = {
    join: new LatencyLog(),
    status: new LatencyLog(),
    streamFirstEvent: new LatencyLog(),
    orderConfirmed: new LatencyLog(),
    orderSoldOut: new LatencyLog(),
    leave: new LatencyLog(),
  };
  /** Unexpected answers by kind (`status 503 on poll`…), each with its first body. */
  readonly problems = new Map<string, { count: number; first: string }>();
  /** Order refusals other than SOLD_OUT, by error code. */
  readonly orderCodes = new Map<string, number>();
  readonly queueTokens: (string | undefined)[];
  readonly pool: Pool;

  private readonly admissionTokens: (string | undefined)[];
  private readonly think: Float32Array;
  /** Share of the first announced wait after which a shopper who gives up does so. */
  private readonly giveUpFraction: Float32Array;
  private readonly orderTries: Uint8Array;
  private readonly streams: (SseStream | undefined)[];
  /** Failed stream attempts in a row, and when the stream is tried again (it polls till then). */
  private readonly streamFailures: Uint8Array;
  private readonly streamRetryAt: Float64Array;
  private readonly agenda: Agenda;
  private readonly host: string;
  private readonly port: number;
  private readonly paths: { join: string; status: string; events: string };
  private startedAt = 0;
  private finishedAll: (() => void) | null = null;

  constructor(private readonly options: CrowdOptions) {
    const n = options.shoppers;
    this.n = n;
    this.kind = new Uint8Array(n);
    this.fate = new Uint8Array(n);
    this.outcome = new Uint8Array(n);
    this.phase = new Uint8Array(n);
    this.joinSentAt = new Float64Array(n);
    this.joinedAt = new Float64Array(n).fill(Number.NaN);
    this.admittedAt = new Float64Array(n).fill(Number.NaN);
    this.admissionSeenAt = new Float64Array(n).fill(Number.NaN);
    this.joinPosition = new Int32Array(n).fill(-1);
    this.joinEta = new Float32Array(n).fill(Number.NaN);
    this.joinLow = new Float32Array(n).fill(Number.NaN);
    this.joinHigh = new Float32Array(n).fill(Number.NaN);
    this.giveUpAt = new Float64Array(n);
    this.gaveUpAt = new Float64Array(n).fill(Number.NaN);
    this.think = new Float32Array(n);
    this.orderTries = new Uint8Array(n);
    this.queueTokens = new Array(n);
    this.admissionTokens = new Array(n);
    this.streams = new Array(n);
    this.streamFailures = new Uint8Array(n);
    this.streamRetryAt = new Float64Array(n);
    const random = seededRandom(options.seed);
    // Streaming, giving up and its moment are drawn independently of the order of joining.
    this.giveUpFraction = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      this.kind[i] = random() < options.streamShare ? Kind.Stream : Kind.Poll;
      const f = random();
      this.fate[i] =
        f < options.abandonShare
          ? Fate.Abandon
          : f < options.abandonShare + options.leaveShare
            ? Fate.Leave
            : Fate.Stay;
      // Someone who gives up does so between a fifth and four fifths into the wait first announced.
      this.giveUpFraction[i] = 0.2 + 0.6 * random();
      this.think[i] = random() * options.thinkSeconds * 1000;
    }
    const url = new URL(options.baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    const room = encodeURIComponent(options.roomId);
    this.paths = {
      join: `/api/rooms/${room}/tickets`,
      status: `/api/rooms/${room}/tickets/me`,
      events: `/api/rooms/${room}/tickets/me/events`,
    };
    this.pool = new Pool(options.baseUrl, {
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      headersTimeout: 120_000,
      bodyTimeout: 120_000,
    });
    this.agenda = new Agenda(20, now, (item) => this.step(item));
  }

  /** Requests queued in the pool for want of a free connection (the simulator's own backlog). */
  get poolQueued(): number {
    return this.pool.stats.queued;
  }

  get start(): number {
    return this.startedAt;
  }

  /** Joins everyone over the ramp; resolves once every shopper is done or `deadline` (epoch ms) passed. */
  async run(deadline: number): Promise<void> {
    const n = this.n;
    this.startedAt = now();
    const rampMs = this.options.rampSeconds * 1000;
    for (let i = 0; i < n; i++) this.agenda.at(this.startedAt + (rampMs * i) / n, i * ACTIONS + Action.Join);
    const finished = new Promise<void>((resolve) => {
      this.finishedAll = resolve;
    });
    this.agenda.start();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - now()));
    });
    await Promise.race([finished, timeout]);
    clearTimeout(timer);
    this.agenda.stop();
    for (let i = 0; i < n; i++) {
      if (this.phase[i] !== Phase.Done) {
        this.streams[i]?.close();
        this.streams[i] = undefined;
        this.finish(i, Outcome.Lost);
      }
    }
  }

  async close(): Promise<void> {
    for (const s of this.streams) s?.close();
    await this.pool.close();
  }

  /**
   * Reads once more, after the sale, the tickets of those who stopped without leaving: a
   * ticket admitted before the server noticed the silence was admitted all the same, and
   * counts in the rate and the order of admission. Returns how many were found admitted.
   */
  async readGoneTickets(): Promise<{ read: number; admitted: number; expired: number; other: number }> {
    const out = { read: 0, admitted: 0, expired: 0, other: 0 };
    const gone: number[] = [];
    for (let i = 0; i < this.n; i++) if (this.outcome[i] === Outcome.Abandoned) gone.push(i);
    let next = 0;
    const worker = async () => {
      while (next < gone.length) {
        const i = gone[next++]!;
        const { statusCode, body } = await this.pool.request({
          path: this.paths.status,
          method: 'GET',
          headers: { authorization: `Bearer ${this.queueTokens[i]}` },
        });
        const text = await body.text();
        out.read++;
        if (statusCode !== 200) {
          out.other++;
          continue;
        }
        const s = JSON.parse(text) as StatusBody;
        if (s.state === 'admitted' && s.admissionExpiresAt) {
          this.admittedAt[i] = Date.parse(s.admissionExpiresAt) - this.options.admissionTtlSeconds * 1000;
          out.admitted++;
        } else if (s.state === 'expired') out.expired++;
        else out.other++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(64, gone.length) }, worker));
    return out;
  }

  private step(item: number): void {
    const i = Math.floor(item / ACTIONS);
    switch (item % ACTIONS) {
      case Action.Join:
        void this.join(i);
        break;
      case Action.Poll:
        if (this.phase[i] === Phase.Waiting) this.poll(i);
        break;
      case Action.GiveUp:
        if (this.phase[i] === Phase.Waiting) this.giveUp(i);
        break;
      case Action.Order:
        if (this.phase[i] === Phase.Admitted) this.order(i);
        break;
    }
  }

  private problem(kind: string, body: string): void {
    this.counters.errors++;
    const seen = this.problems.get(kind);
    if (seen) seen.count++;
    else this.problems.set(kind, { count: 1, first: body.slice(0, 300) });
  }

  private finish(i: number, outcome: OutcomeCode): void {
    if (this.phase[i] === Phase.Done) return;
    this.phase[i] = Phase.Done;
    this.outcome[i] = outcome;
    this.admissionTokens[i] = undefined;
    if (++this.counters.finished === this.n) this.finishedAll?.();
  }

  private async join(i: number): Promise<void> {
    this.phase[i] = Phase.Joining;
    const sent = now();
    this.joinSentAt[i] = sent;
    this.counters.joinsSent++;
    let statusCode: number;
    let text: string;
    try {
      const res = await this.pool.request({ path: this.paths.join, method: 'POST' });
      statusCode = res.statusCode;
      text = await res.body.text();
    } catch (error) {
      this.problem('join: no answer', (error as Error).message);
      this.finish(i, Outcome.JoinFailed);
      return;
    }
    const at = now();
    this.latency.join.add(at - sent);
    this.counters.joinsAnswered++;
    if (statusCode !== 201) {
      this.problem(`join: HTTP ${statusCode}`, text);
      this.finish(i, Outcome.JoinFailed);
      return;
    }
    const s = JSON.parse(text) as StatusBody;
    this.queueTokens[i] = s.queueToken;
    this.joinedAt[i] = Date.parse(s.joinedAt ?? '');
    this.joinPosition[i] = s.position ?? -1;
    this.joinEta[i] = s.etaSeconds ?? Number.NaN;
    this.joinLow[i] = s.etaRange?.[0] ?? Number.NaN;
    this.joinHigh[i] = s.etaRange?.[1] ?? Number.NaN;
    this.phase[i] = Phase.Waiting;
    if (this.fate[i] !== Fate.Stay && s.etaSeconds !== null && s.etaSeconds > 0) {
      this.giveUpAt[i] = at + this.giveUpFraction[i]! * s.etaSeconds * 1000;
      this.agenda.at(this.giveUpAt[i]!, i * ACTIONS + Action.GiveUp);
    }
    if (!this.onStatus(i, s, at)) return;
    if (this.kind[i] === Kind.Stream) this.openStream(i);
    else this.agenda.at(at + s.pollAfterMs, i * ACTIONS + Action.Poll);
  }

  /**
   * A status read while waiting; false once the shopper waits no more. `at` is when the
   * answer arrived: the server works out the estimate just before answering, and when the
   * server is slow the time goes in waiting for it (in this pool or its own queue), before.
   */
  private onStatus(i: number, s: StatusBody, at: number): boolean {
    if (s.state === 'waiting') {
      this.reads.add(i, at, s.position, s.etaSeconds, s.etaRange);
      return true;
    }
    if (s.state === 'admitted' && s.admissionToken && s.admissionExpiresAt) {
      this.admittedAt[i] = Date.parse(s.admissionExpiresAt) - this.options.admissionTtlSeconds * 1000;
      this.admissionSeenAt[i] = now();
      this.admissionTokens[i] = s.admissionToken;
      this.phase[i] = Phase.Admitted;
      this.counters.admissionsSeen++;
      this.agenda.at(now() + this.think[i]!, i * ACTIONS + Action.Order);
      return false;
    }
    // Expired, left or completed while the shopper kept its place: the server let it go.
    this.problem(`status: ${s.state} while keeping its place`, JSON.stringify(s));
    this.finish(i, Outcome.Dropped);
    return false;
  }

  private poll(i: number): void {
    const sent = now();
    this.pool
      .request({
        path: this.paths.status,
        method: 'GET',
        headers: { authorization: `Bearer ${this.queueTokens[i]}` },
      })
      .then(async (res) => {
        const text = await res.body.text();
        const at = now();
        this.latency.status.add(at - sent);
        this.counters.pollsAnswered++;
        if (this.phase[i] !== Phase.Waiting) return; // gave up meanwhile
        if (res.statusCode !== 200) {
          this.problem(`status: HTTP ${res.statusCode}`, text);
          if (res.statusCode === 404 || res.statusCode === 401) this.finish(i, Outcome.Dropped);
          else this.agenda.at(at + 2000, i * ACTIONS + Action.Poll); // as a page would try again
          return;
        }
        const s = JSON.parse(text) as StatusBody;
        if (!this.onStatus(i, s, at)) return;
        // A streaming shopper polls only while its stream is down, and tries it again when due.
        if (this.kind[i] === Kind.Stream && at >= this.streamRetryAt[i]!) this.openStream(i);
        else this.agenda.at(at + s.pollAfterMs, i * ACTIONS + Action.Poll);
      })
      .catch((error: Error) => {
        this.problem('status: no answer', error.message);
        if (this.phase[i] === Phase.Waiting) this.agenda.at(now() + 2000, i * ACTIONS + Action.Poll);
      });
  }

  private openStream(i: number): void {
    const addresses = this.options.sourceAddresses;
    const opened = now();
    let first = true;
    let recorded = 0;
    const stream = new SseStream(
      {
        host: this.host,
        port: this.port,
        path: this.paths.events,
        headers: { authorization: `Bearer ${this.queueTokens[i]}` },
        ...(addresses.length > 0 ? { localAddress: addresses[i % addresses.length]! } : {}),
      },
      {
        onEvent: (event, data) => {
          if (event !== 'status') return;
          const at = now();
          this.counters.streamEvents++;
          if (first) {
            first = false;
            this.latency.streamFirstEvent.add(at - opened);
            this.streamFailures[i] = 0;
            clearTimeout(connecting);
          }
          // Most events only move the position: parse those once per streamRecordMs.
          const waiting = data.includes('"state":"waiting"');
          if (waiting && at - recorded < this.options.streamRecordMs) return;
          if (this.phase[i] !== Phase.Waiting) return;
          recorded = at;
          const s = JSON.parse(data) as StatusBody;
          if (!this.onStatus(i, s, at)) this.closeStream(i);
        },
        onClose: ({ status, body, error }) => {
          clearTimeout(connecting);
          if (this.streams[i] !== stream) return;
          this.streams[i] = undefined;
          this.counters.streamsOpen--;
          if (this.phase[i] !== Phase.Waiting) return;
          if (status === 404 || status === 401) {
            this.problem(`events: HTTP ${status}`, body);
            this.finish(i, Outcome.Dropped);
            return;
          }
          if (status !== 200)
            this.problem(`events: ${status ? `HTTP ${status}` : 'no answer'}`, error?.message ?? body);
          // A stream that ended after speaking is no failure: it is tried again at the next read.
          this.streamDown(i, first || status !== 200);
        },
      },
    );
    this.streams[i] = stream;
    this.counters.streamsOpen++;
    // As the page does (connectMs of followTicketEvents): a stream that has said nothing 10 s
    // after it was asked for (its connection waiting in a full accept queue) is given up for a
    // poll, so that the shopper keeps a sign of life.
    const connecting = setTimeout(() => {
      if (!first || this.streams[i] !== stream) return;
      this.closeStream(i);
      if (this.phase[i] !== Phase.Waiting) return;
      this.problem('events: nothing within 10 s', '');
      this.streamDown(i, true);
    }, STREAM_CONNECT_MS);
  }

  /**
   * A waiting shopper's stream is gone: as the shopper's page does (apps/web, useTicket), it
   * reads the status at once and polls at pollAfterMs until the stream is due again, 5 s after
   * a first failure, then 10 s, 20 s… up to a minute.
   */
  private streamDown(i: number, failed: boolean): void {
    if (failed) this.streamFailures[i] = Math.min(255, this.streamFailures[i]! + 1);
    this.streamRetryAt[i] = now() + streamRetryDelayMs(this.streamFailures[i]!);
    this.counters.streamReconnects++;
    this.agenda.at(now(), i * ACTIONS + Action.Poll);
  }

  private closeStream(i: number): void {
    const stream = this.streams[i];
    if (!stream) return;
    this.streams[i] = undefined;
    this.counters.streamsOpen--;
    stream.close();
  }

  private giveUp(i: number): void {
    this.closeStream(i);
    this.gaveUpAt[i] = now();
    this.counters.gaveUp++;
    if (this.fate[i] === Fate.Abandon) {
      this.finish(i, Outcome.Abandoned);
      return;
    }
    this.phase[i] = Phase.Leaving;
    const sent = now();
    this.pool
      .request({
        path: this.paths.status,
        method: 'DELETE',
        headers: { authorization: `Bearer ${this.queueTokens[i]}` },
      })
      .then(async (res) => {
        const text = await res.body.text();
        this.latency.leave.add(now() - sent);
        this.counters.leaves++;
        if (res.statusCode === 204) this.finish(i, Outcome.Left);
        else {
          this.problem(`leave: HTTP ${res.statusCode}`, text);
          this.finish(i, Outcome.LeaveFailed);
        }
      })
      .catch((error: Error) => {
        this.problem('leave: no answer', error.message);
        this.finish(i, Outcome.LeaveFailed);
      });
  }

  private order(i: number): void {
    const sent = now();
    this.orderTries[i]!++;
    this.pool
      .request({
        path: '/api/orders',
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.admissionTokens[i]}`,
          'idempotency-key': `${this.options.runId}-${i}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          customer: {
            firstName: `Shopper${i}`,
            lastName: 'Sale',
            email: `shopper.${i}@example.org`,
            phone: `+4477${String(i).padStart(8, '0')}`,
          },
          items: [{ productId: this.options.productId, quantity: 1 }],
        }),
      })
      .then(async (res) => {
        const text = await res.body.text();
        const took = now() - sent;
        this.counters.ordersAnswered++;
        if (res.statusCode === 201 || res.statusCode === 200) {
          this.latency.orderConfirmed.add(took);
          this.finish(i, Outcome.Confirmed);
          return;
        }
        let code = `HTTP ${res.statusCode}`;
        try {
          code = (JSON.parse(text) as { error: { code: string } }).error.code;
        } catch {
          // Not the API's error body: the status says it.
        }
        if (res.statusCode === 409 && code === 'SOLD_OUT') {
          this.latency.orderSoldOut.add(took);
          this.finish(i, Outcome.SoldOut);
          return;
        }
        this.orderCodes.set(code, (this.orderCodes.get(code) ?? 0) + 1);
        if (res.statusCode >= 500 && this.orderTries[i]! < 3) {
          // The same Idempotency-Key: a retry can never place a second order.
          this.agenda.at(now() + 1000, i * ACTIONS + Action.Order);
          return;
        }
        this.problem(`order: ${code}`, text);
        this.finish(i, Outcome.OrderFailed);
      })
      .catch((error: Error) => {
        if (this.orderTries[i]! < 3) {
          this.agenda.at(now() + 1000, i * ACTIONS + Action.Order);
          return;
        }
        this.problem('order: no answer', error.message);
        this.finish(i, Outcome.OrderFailed);
      });
  }
}
