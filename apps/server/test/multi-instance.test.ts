/**
 * Several real server processes sharing one room's line through Redis (CONTRACT.md, "What
 * always holds" 1, 3, 4 and 6): 3,000 shoppers join through three instances while the room is
 * paused, the operator opens it at a set rate, and every instance's admission tick admits
 * from the one shared credit. Every ticket must be admitted exactly once, in join order, no
 * faster than the rate allows and not much slower; also when one instance is SIGKILLed part
 * way through, and on a three-master Redis Cluster.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { creditCap } from '@waitroom/store-contract';
import { connectRedis } from '@waitroom/store-redis';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeys } from '../../../packages/store-redis/src/testing/delete-keys.js';
import {
  redisUrl,
  requireRedis,
  requireRedisServerBinary,
} from '../../../packages/store-redis/src/testing/redis-available.js';
import {
  type RedisClusterHandle,
  startRedisCluster,
} from '../../../packages/store-redis/src/testing/redis-cluster.js';
import type { JoinedTicket, TicketStatus } from './helper.js';
import { type Instances, mapConcurrent, startInstances } from './support/instances.js';

// Skip without Redis (or without redis-server for the cluster) on a developer machine; in CI
// (CI=true) these throw, so a missing Redis fails the file instead of skipping it.
const available = await requireRedis();
const clusterAvailable = requireRedisServerBinary();

const INSTANCES = 3;
const TICKETS = 3_000;
/** 250 a second: 3,000 admissions take 12 s. */
const RATE_PER_MINUTE = 15_000;
const TICK_MS = 100;
const ADMISSION_TTL_SECONDS = 3_600;
const JOIN_CONCURRENCY = 30;
const READ_CONCURRENCY = 30;
/** Statuses read between two looks at the stats. */
const READ_BATCH = 150;
/** The whole run must keep at least this share of the set rate. */
const MIN_RATE_SHARE = 0.85;
const ROOM = 'multi';

/* ------------------------------------------------------------------ */
/* The rate bound                                                      */
/* ------------------------------------------------------------------ */

/**
 * How much later than the time it stamps on its admissions an instance's admit-by-rate may run
 * in Redis. An instance reads its clock (`now`) at the start of a tick, then lists the rooms
 * and sweeps before admit-by-rate runs; meanwhile another instance may run a call stamped
 * later. These few round trips took up to about 40 ms on a busy two-core test machine; one
 * tick (100 ms) leaves room. (A call stamped earlier than one that ran before it only spends
 * the fraction of a ticket that call left, so in practice the lag hardly shows.)
 */
const LAG_MS = TICK_MS;

interface RateBound {
  ratePerMinute: number;
  tickMs: number;
  lagMs: number;
}

/**
 * The most admissions stamped within any window [t, t + W) (packages/store-redis/lua/admit-by-rate.lua).
 *
 * Every instance's call takes from one credit, kept in Redis with the time `cat` it was last
 * brought up to; a call at `now` adds rate × (now − cat) when now > cat (and moves `cat` on),
 * caps the credit at one tick's worth plus one ticket (`creditCap`), and admits its whole
 * part. Over the calls k = i..j in Redis's order, then,
 *
 *   admitted ≤ (credit after call i's top-up, ≤ cap) + rate × (cat after j − cat after i),
 *
 * however many instances make the calls: the credit is shared, and the time `cat` only moves
 * forwards, so no interval is counted twice. The calls that admitted within the window ran
 * between its first one i and its last one j (calls stamped outside the window in between only
 * add admissions to the right-hand side). cat after i ≥ now_i ≥ t, and cat after j is the
 * latest stamp of any call that ran by then: ≤ t + W, plus at most LAG_MS for a call stamped
 * later that ran earlier. Hence
 *
 *   admissions in [t, t + W) ≤ rate × (W + LAG_MS) + creditCap(rate, tick)
 *
 * (rounded down). Instances admitting independently, each with its own credit, would admit up
 * to INSTANCES × rate × W, which this fails at once (see the first test below).
 */
function windowLimit(bound: RateBound, windowMs: number): number {
  const perMs = bound.ratePerMinute / 60_000;
  return Math.floor(
    perMs * (windowMs + bound.lagMs) + creditCap(bound.ratePerMinute, bound.tickMs / 1000) + 1e-9,
  );
}

/** The most of the (sorted) times in any window [t, t + W); windows starting at a time are the worst. */
function busiestWindow(sorted: readonly number[], windowMs: number): { count: number; from: number } {
  let best = { count: 0, from: sorted[0] ?? 0 };
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end]! < sorted[start]! + windowMs) end++;
    if (end - start > best.count) best = { count: end - start, from: sorted[start]! };
  }
  return best;
}

/** Every window (1 s, 5 s, the whole run) that admitted more than the bound allows, described. */
function rateViolations(times: readonly number[], bound: RateBound): string[] {
  const sorted = [...times].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const whole = sorted[sorted.length - 1]! - sorted[0]! + 1;
  const out: string[] = [];
  for (const windowMs of [1_000, 5_000, whole]) {
    const { count, from } = busiestWindow(sorted, windowMs);
    const limit = windowLimit(bound, windowMs);
    if (count > limit)
      out.push(`${count} admissions in the ${windowMs} ms from ${from}; at most ${limit} allowed`);
  }
  return out;
}

/**
 * A model of admit-by-rate.lua: instances ticking every `tickMs` (staggered), each call
 * topping up and spending either one shared credit or, when `shared` is false, its own.
 * Returns the admission times.
 */
function simulate(options: {
  instances: number;
  ratePerMinute: number;
  tickMs: number;
  shared: boolean;
  tickets: number;
}): number[] {
  const perMs = options.ratePerMinute / 60_000;
  const cap = creditCap(options.ratePerMinute, options.tickMs / 1000);
  const credits = Array.from({ length: options.shared ? 1 : options.instances }, () => ({
    cr: 0,
    cat: null as number | null,
  }));
  const calls: { at: number; instance: number }[] = [];
  for (let t = 0; t < 120_000; t += options.tickMs) {
    for (let i = 0; i < options.instances; i++) {
      calls.push({ at: t + Math.floor((i * options.tickMs) / options.instances), instance: i });
    }
  }
  calls.sort((a, b) => a.at - b.at);
  const times: number[] = [];
  for (const call of calls) {
    if (times.length >= options.tickets) break;
    const c = credits[options.shared ? 0 : call.instance]!;
    const since = c.cat === null ? 0 : Math.max(0, call.at - c.cat);
    let credit = Math.min(cap, c.cr + since * perMs);
    const n = Math.min(Math.floor(credit + 1e-9), options.tickets - times.length);
    for (let k = 0; k < n; k++) times.push(call.at);
    credit = Math.max(0, credit - n);
    c.cr = credit;
    c.cat = c.cat === null ? call.at : Math.max(c.cat, call.at);
  }
  return times;
}

/* ------------------------------------------------------------------ */
/* One scenario                                                        */
/* ------------------------------------------------------------------ */

interface Joined {
  ticket: JoinedTicket;
  /** The instance it joined through. */
  via: number;
}

interface Scenario {
  redisUrl: string;
  /** SIGKILL this instance once a third of the line is admitted. */
  killInstance?: number;
}

const started = new Set<Instances>();

afterAll(async () => {
  // Normally each scenario stops its own; this is the safety net when one throws early.
  await Promise.all([...started].map((s) => s.stopAll()));
});

async function runScenario(scenario: Scenario): Promise<void> {
  const keyPrefix = `mi-${randomBytes(6).toString('hex')}:`;
  const redis = await connectRedis(scenario.redisUrl);
  const tStart = Date.now();
  // Assigned first thing in the `try`; the `finally` checks whether it was.
  let servers!: Instances;
  try {
    servers = await startInstances({
      count: INSTANCES,
      redisUrl: scenario.redisUrl,
      keyPrefix,
      tickMs: TICK_MS,
    });
    started.add(servers);
    await servers.ready();
    const t0 = Date.now();
    const operator = servers.instances[0]!.api;
    await operator.createRoom({
      id: ROOM,
      status: 'paused',
      admitRatePerMinute: RATE_PER_MINUTE,
      heartbeatTimeoutSeconds: 24 * 3600,
      admissionTtlSeconds: ADMISSION_TTL_SECONDS,
    });

    // 3,000 joins, round robin over the instances, 30 at a time. The room is paused, so each
    // join's position is its place in the join order.
    const joined = await mapConcurrent(
      Array.from({ length: TICKETS }, (_, i) => i),
      JOIN_CONCURRENCY,
      async (i): Promise<Joined> => {
        const via = i % INSTANCES;
        return { ticket: await servers.instances[via]!.api.join(ROOM), via };
      },
    );
    const tJoined = Date.now();
    expect(joined.every((j) => j.ticket.state === 'waiting')).toBe(true);
    const positions = joined.map((j) => j.ticket.position ?? 0).sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: TICKETS }, (_, i) => i + 1));
    expect(new Set(joined.map((j) => j.ticket.ticketId)).size).toBe(TICKETS);
    const line = [...joined].sort((a, b) => a.ticket.position! - b.ticket.position!);
    const before = await servers.instances[2]!.api.stats(ROOM);
    expect({
      joinedTotal: before.joinedTotal,
      waiting: before.waiting,
      admittedTotal: before.admittedTotal,
    }).toEqual({ joinedTotal: TICKETS, waiting: TICKETS, admittedTotal: 0 });

    // Open at the rate, through another instance than the one that created the room.
    const tOpen = Date.now();
    await servers.instances[1]!.api.patchRoom(ROOM, { status: 'open', admitRatePerMinute: RATE_PER_MINUTE });

    // Follow admittedTotal through random live instances: it only grows and never passes the
    // line's length. Meanwhile read, in batches, the statuses of the tickets it says are in: in
    // FIFO order those are the first admittedTotal of the line, so each must read `admitted`.
    // Every read goes through a live instance other than the one the ticket joined through
    // (so the dead instance's tickets are read through the survivors). Kill an instance once
    // a third of the line is in.
    const statuses: (TicketStatus | undefined)[] = new Array(TICKETS);
    let unread = 0;
    let admittedSoFar = 0;
    let killedAt: number | null = null;
    let tAllAdmitted: number | null = null;
    const deadline = tOpen + 3 * ((TICKETS / RATE_PER_MINUTE) * 60_000) + 10_000;
    while (unread < TICKETS) {
      const stats = await servers.randomAlive().api.stats(ROOM);
      expect(stats.admittedTotal).toBeGreaterThanOrEqual(admittedSoFar);
      expect(stats.admittedTotal).toBeLessThanOrEqual(TICKETS);
      admittedSoFar = stats.admittedTotal;
      if (admittedSoFar >= TICKETS) tAllAdmitted ??= Date.now();
      if (scenario.killInstance !== undefined && killedAt === null && admittedSoFar >= TICKETS / 3) {
        await servers.kill(scenario.killInstance, 'SIGKILL');
        killedAt = Date.now();
        expect(servers.instances[scenario.killInstance]!.exit?.signal).toBe('SIGKILL');
      }
      const batch: number[] = [];
      for (let k = unread; k < admittedSoFar && batch.length < READ_BATCH; k++) batch.push(k);
      const read = await mapConcurrent(batch, READ_CONCURRENCY, (k) =>
        servers.randomAlive(line[k]!.via).api.status(ROOM, line[k]!.ticket.queueToken),
      );
      for (const [b, status] of read.entries()) {
        const k = batch[b]!;
        if (status.state !== 'admitted') {
          throw new Error(
            `position ${k + 1} reads ${status.state} although ${admittedSoFar} were admitted: ${JSON.stringify(status)}`,
          );
        }
        statuses[k] = status;
      }
      unread += batch.length;
      if (Date.now() > deadline) {
        throw new Error(
          `only ${admittedSoFar} of ${TICKETS} admitted by the deadline\n${servers.describe()}`,
        );
      }
      if (batch.length === 0) await sleep(100);
    }

    // A few more ticks: nothing more is admitted, nobody is counted twice, nobody is lost.
    await sleep(3 * TICK_MS);
    for (const instance of servers.alive()) {
      const stats = await instance.api.stats(ROOM);
      expect({
        joinedTotal: stats.joinedTotal,
        admittedTotal: stats.admittedTotal,
        waiting: stats.waiting,
        active: stats.active,
        abandonedTotal: stats.abandonedTotal,
        leftTotal: stats.leftTotal,
        admissionsExpiredTotal: stats.admissionsExpiredTotal,
      }).toEqual({
        joinedTotal: TICKETS,
        admittedTotal: TICKETS,
        waiting: 0,
        active: TICKETS,
        abandonedTotal: 0,
        leftTotal: 0,
        admissionsExpiredTotal: 0,
      });
    }

    // Every ticket read admitted, with its own id, an admission token and an end to it.
    const all = statuses.map((s, k) => {
      if (!s) throw new Error(`position ${k + 1} was never read`);
      return s;
    });
    expect(all.map((s) => s.ticketId)).toEqual(line.map((j) => j.ticket.ticketId));
    for (const s of all) {
      expect(s.state).toBe('admitted');
      expect(typeof s.admissionToken).toBe('string');
      expect(s.admissionExpiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    const admittedAt = all.map((s) => admittedAtOf(s));

    // In join order: admission times never go back.
    const backwards = admittedAt
      .map((at, k) => ({ position: k + 1, at, before: admittedAt[k - 1] ?? at }))
      .filter((x) => x.at < x.before);
    expect.soft(backwards.slice(0, 10)).toEqual([]);

    // Within the rate: no window admitted more than the shared credit allows.
    const bound: RateBound = { ratePerMinute: RATE_PER_MINUTE, tickMs: TICK_MS, lagMs: LAG_MS };
    expect.soft(rateViolations(admittedAt, bound)).toEqual([]);
    const first = Math.min(...admittedAt);
    const last = Math.max(...admittedAt);
    // A tick reads its clock before its script runs, so one that began just before the opening
    // may stamp its admissions up to the lag before it.
    expect(first).toBeGreaterThanOrEqual(tOpen - LAG_MS);
    expect(last).toBeLessThanOrEqual(tAllAdmitted ?? Number.POSITIVE_INFINITY);

    // And keeping up: from the opening to the last admission, at least 85% of the rate; after
    // the kill too, with one instance fewer ticking.
    const perMinute = (count: number, fromMs: number, toMs: number) => (count * 60_000) / (toMs - fromMs);
    const average = perMinute(TICKETS, tOpen, last);
    expect.soft(average).toBeGreaterThanOrEqual(MIN_RATE_SHARE * RATE_PER_MINUTE);
    let afterKill: number | null = null;
    if (killedAt !== null) {
      const later = admittedAt.filter((at) => at > killedAt!).length;
      expect(later).toBeGreaterThan(TICKETS / 3);
      afterKill = perMinute(later, killedAt, last);
      expect(afterKill).toBeGreaterThanOrEqual(MIN_RATE_SHARE * RATE_PER_MINUTE);
      // Its tickets were read through the others above; there were a third of them.
      expect(line.filter((j) => j.via === scenario.killInstance)).toHaveLength(TICKETS / INSTANCES);
    }

    const sorted = [...admittedAt].sort((a, b) => a - b);
    const windows = [1_000, 5_000]
      .map((w) => `${w} ms: ${busiestWindow(sorted, w).count}/${windowLimit(bound, w)}`)
      .join(', ');
    console.info(
      `[multi-instance] start ${seconds(t0 - tStart)}, joins ${seconds(tJoined - t0)}; admissions ${((last - first) / 1000).toFixed(2)} s, ` +
        `${Math.round(average)}/min from the opening${afterKill === null ? '' : `, ${Math.round(afterKill)}/min after the kill`}; ` +
        `busiest windows (admitted/limit) ${windows}; first admission ${first - tOpen} ms after the opening request; ` +
        `admittedAt backward steps: ${backwards.length}`,
    );
  } finally {
    const tStop = Date.now();
    try {
      if (servers) {
        await servers.stopAll();
        started.delete(servers);
        console.info(`[multi-instance] stop ${seconds(Date.now() - tStop)}`);
      }
    } finally {
      try {
        await deleteKeys(redis, keyPrefix);
      } finally {
        redis.disconnect();
      }
    }
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** When a status's admission began: its end less the room's admission TTL (the same for all). */
function admittedAtOf(status: TicketStatus): number {
  const expiresAt = Date.parse(status.admissionExpiresAt ?? '');
  if (!Number.isFinite(expiresAt)) throw new Error(`no admission in ${JSON.stringify(status)}`);
  return expiresAt - ADMISSION_TTL_SECONDS * 1000;
}

/* ------------------------------------------------------------------ */
/* The tests                                                           */
/* ------------------------------------------------------------------ */

describe('the rate bound the multi-instance tests use', () => {
  const bound: RateBound = { ratePerMinute: RATE_PER_MINUTE, tickMs: TICK_MS, lagMs: LAG_MS };
  const run = { instances: INSTANCES, ratePerMinute: RATE_PER_MINUTE, tickMs: TICK_MS, tickets: TICKETS };

  it('holds for instances that share one credit, and fails instances that admit on their own or too fast', () => {
    expect(rateViolations(simulate({ ...run, shared: true }), bound)).toEqual([]);
    // Three (or only two) instances each admitting at the full rate: every window fails.
    expect(rateViolations(simulate({ ...run, shared: false }), bound)).toHaveLength(3);
    expect(rateViolations(simulate({ ...run, instances: 2, shared: false }), bound)).toHaveLength(3);
    // One shared credit, but filled 10% too fast: the 5-second and the whole-run windows fail.
    const tooFast = simulate({ ...run, ratePerMinute: RATE_PER_MINUTE * 1.1, shared: true });
    expect(rateViolations(tooFast, bound).length).toBeGreaterThanOrEqual(2);
  });
});

describe.skipIf(!available)('three server instances on one Redis', () => {
  it(`admit ${TICKETS} tickets exactly once, in join order, at the rate`, async () => {
    await runScenario({ redisUrl: redisUrl() });
  }, 120_000);

  it('lose nothing and admit nobody twice when one of them is SIGKILLed part way through', async () => {
    await runScenario({ redisUrl: redisUrl(), killInstance: 2 });
  }, 120_000);
});

describe.skipIf(!clusterAvailable)('three server instances on a three-master Redis Cluster', () => {
  let cluster: RedisClusterHandle | undefined;

  afterAll(async () => {
    await cluster?.stop();
  });

  it('lose nothing and admit nobody twice when one of them is SIGKILLed part way through', async () => {
    cluster = await startRedisCluster({ masters: 3 });
    await runScenario({ redisUrl: cluster.url, killInstance: 1 });
  }, 120_000);
});
