import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type TicketStatus, WaitingRoomEngine } from './engine.js';
import { WaitroomError } from './errors.js';
import { lotteryOrder, seedCommitment } from './lottery.js';
import { MemoryQueueStore } from './memory/memory-queue-store.js';
import type { QueueMode, RoomSettings, RoomStatusSetting } from './room.js';
import type { TicketRecord } from './ticket.js';

/**
 * The invariants of CONTRACT.md ("What always holds", 1 to 4) over random sequences of what
 * shoppers, the operator and the clock do, checked after every step against a small model:
 * the model knows the order tickets must be admitted in, who must have been abandoned or
 * expired, and every position; the engine decides only how many the rate admits at a tick.
 */

const T0 = Date.UTC(2030, 0, 1);
const ROOM = 'sale';

type Command =
  | { kind: 'join'; silent: boolean }
  | { kind: 'leave'; pick: number }
  | { kind: 'tick'; ms: number }
  | { kind: 'abandon' }
  | { kind: 'status'; to: RoomStatusSetting }
  | { kind: 'admit'; count: number }
  | { kind: 'rate'; rate: number }
  | { kind: 'maxActive'; value: number | null }
  | { kind: 'complete'; pick: number; admittedOnly: boolean };

interface Setup {
  tickMs: number;
  admitRatePerMinute: number;
  maxActive: number | null;
  admissionTtlSeconds: number;
  heartbeatTimeoutSeconds: number;
  opensInMs: number | null;
}

const rates = fc.constantFrom(0, 1, 7, 60, 90, 200, 600, 3000);
const maxActives = fc.option(fc.integer({ min: 0, max: 6 }), { nil: null, freq: 3 });

const setupArb = (opensLater: boolean): fc.Arbitrary<Setup> =>
  fc.record({
    tickMs: fc.constantFrom(100, 250, 400, 1000),
    admitRatePerMinute: rates,
    maxActive: maxActives,
    admissionTtlSeconds: fc.integer({ min: 10, max: 30 }),
    heartbeatTimeoutSeconds: fc.integer({ min: 5, max: 10 }),
    opensInMs: opensLater
      ? fc.integer({ min: 1, max: 20_000 })
      : fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 10_000 })),
  });

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('join' as const), silent: fc.boolean() }) },
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 2000 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('leave' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'abandon' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('status' as const),
      to: fc.constantFrom<RoomStatusSetting>('open', 'open', 'paused', 'closed'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('admit' as const), count: fc.integer({ min: 0, max: 4 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rate' as const), rate: rates }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('maxActive' as const), value: maxActives }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('complete' as const),
      pick: fc.nat(),
      admittedOnly: fc.boolean(),
    }),
  },
);

const commandsArb = fc.array(commandArb, { minLength: 10, maxLength: 150, size: 'max' });

type ModelState = 'waiting' | 'admitted' | 'left' | 'abandoned' | 'completed' | 'expired';

interface ModelTicket {
  id: string;
  state: ModelState;
  silent: boolean;
  lastSeen: number;
  admittedAt: number | null;
  expiresAt: number | null;
  lastPosition: number | null;
  completions: number;
}

/** One tick's admissions by rate, with the rate in force at that tick. */
interface RateAdmission {
  at: number;
  admitted: number;
  rate: number;
}

/** What the room must look like: the tickets in the order they must be admitted, and totals. */
class Model {
  readonly tickets = new Map<string, ModelTicket>();
  /** Tickets with a place in line, in the order they must be admitted (ended ones included). */
  readonly order: string[] = [];
  /** A lottery pre-queue not drawn yet, in join order. */
  undrawn: string[] = [];
  lottery: { seed: string; size: number; drawnAt: number } | null = null;
  readonly counters = {
    joinedTotal: 0,
    admittedTotal: 0,
    abandonedTotal: 0,
    leftTotal: 0,
    completedTotal: 0,
    admissionsExpiredTotal: 0,
  };
  readonly rateAdmissions: RateAdmission[] = [];

  constructor(public settings: RoomSettings) {}

  get opensAt(): number | null {
    return this.settings.opensAt === null ? null : Date.parse(this.settings.opensAt);
  }

  ticket(id: string): ModelTicket {
    const ticket = this.tickets.get(id);
    if (!ticket) throw new Error(`model has no ticket ${id}`);
    return ticket;
  }

  waitingInLine(): string[] {
    return this.order.filter((id) => this.ticket(id).state === 'waiting');
  }

  liveUndrawn(): string[] {
    return this.undrawn.filter((id) => this.ticket(id).state === 'waiting');
  }

  withState(...states: ModelState[]): ModelTicket[] {
    return [...this.tickets.values()].filter((t) => states.includes(t.state));
  }

  get active(): number {
    return this.withState('admitted').length;
  }

  /** Whether a ticket joining now goes to the pre-queue: lottery, before `opensAt`. */
  joinsPreQueue(now: number): boolean {
    const at = this.opensAt;
    return this.settings.queueMode === 'lottery' && at !== null && now < at;
  }

  /** Whether the pre-queue must be drawn before anything else happens now. */
  drawDue(now: number): boolean {
    const at = this.opensAt;
    return this.liveUndrawn().length > 0 && at !== null && now >= at && this.settings.status !== 'closed';
  }

  draw(seed: string, now: number): void {
    const live = this.liveUndrawn();
    this.order.push(...lotteryOrder(seed, live));
    this.undrawn = [];
    this.lottery = { seed, size: live.length, drawnAt: now };
  }

  join(id: string, now: number, silent: boolean): void {
    this.tickets.set(id, {
      id,
      state: 'waiting',
      silent,
      lastSeen: now,
      admittedAt: null,
      expiresAt: null,
      lastPosition: null,
      completions: 0,
    });
    if (this.joinsPreQueue(now)) this.undrawn.push(id);
    else this.order.push(id);
    this.counters.joinedTotal++;
  }

  /** What a sweep at `now` must do: abandon the silent, expire spent admissions. */
  sweep(now: number): void {
    const cutoff = now - this.settings.heartbeatTimeoutSeconds * 1000;
    for (const t of this.withState('waiting')) {
      if (t.lastSeen <= cutoff) {
        t.state = 'abandoned';
        this.counters.abandonedTotal++;
      }
    }
    for (const t of this.withState('admitted')) {
      if (t.expiresAt !== null && t.expiresAt <= now) {
        t.state = 'expired';
        this.counters.admissionsExpiredTotal++;
      }
    }
  }

  admit(ids: readonly string[], now: number): void {
    for (const id of ids) {
      const t = this.ticket(id);
      t.state = 'admitted';
      t.admittedAt = now;
      t.expiresAt = now + this.settings.admissionTtlSeconds * 1000;
      this.counters.admittedTotal++;
    }
  }

  /** The position a ticket must show: one plus the live waiting tickets ahead of it. */
  expectedPosition(id: string): number | null {
    if (this.ticket(id).state !== 'waiting') return null;
    const line = this.waitingInLine();
    const index = line.indexOf(id);
    return index === -1 ? null : index + 1;
  }
}

const PUBLIC_STATE: Record<ModelState, TicketRecord['state']> = {
  waiting: 'waiting',
  admitted: 'admitted',
  left: 'left',
  abandoned: 'expired',
  completed: 'completed',
  expired: 'expired',
};

async function errorCode(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    if (error instanceof WaitroomError) return error.code;
    throw error;
  }
}

/** The most a minute may admit by rate: the largest rate in force plus one tick's worth, rounded up. */
function checkRateWindows(admissions: readonly RateAdmission[], tickMs: number): void {
  for (const start of admissions) {
    const inWindow = admissions.filter((a) => a.at >= start.at && a.at < start.at + 60_000);
    const rate = Math.max(...inWindow.map((a) => a.rate));
    const limit = Math.ceil(rate + ((rate / 60) * tickMs) / 1000 - 1e-9);
    const admitted = inWindow.reduce((sum, a) => sum + a.admitted, 0);
    expect(admitted, `admitted by rate in the minute from ${start.at - T0} ms`).toBeLessThanOrEqual(limit);
  }
}

async function run(queueMode: QueueMode, setup: Setup, commands: readonly Command[]): Promise<void> {
  let now = T0;
  let ticketCount = 0;
  const seeds: string[] = [];
  const store = new MemoryQueueStore();
  const engine = new WaitingRoomEngine({
    store,
    clock: () => now,
    newTicketId: () => `t${++ticketCount}`,
    newSeed: () => {
      seeds.push(`seed-${seeds.length + 1}`);
      return seeds[seeds.length - 1]!;
    },
    tickMs: setup.tickMs,
  });
  const settings = await engine.createRoom({
    id: ROOM,
    name: 'Sale',
    queueMode,
    opensAt: setup.opensInMs === null ? null : new Date(T0 + setup.opensInMs).toISOString(),
    admitRatePerMinute: setup.admitRatePerMinute,
    maxActive: setup.maxActive,
    admissionTtlSeconds: setup.admissionTtlSeconds,
    heartbeatTimeoutSeconds: setup.heartbeatTimeoutSeconds,
  });
  const model = new Model(settings);

  const observe = async (): Promise<Map<string, TicketRecord>> => {
    const ids = [...model.tickets.keys()];
    const records = await store.readTickets(ROOM, ids, { now, touch: false });
    const byId = new Map<string, TicketRecord>();
    records.forEach((record, k) => {
      expect(record, `ticket ${ids[k]} is known`).not.toBeNull();
      if (record) byId.set(record.ticketId, record);
    });
    return byId;
  };

  /**
   * The tickets the engine admitted in this step must be the next ones in the model's order
   * (invariant 1), and none admitted before (invariant 4). Returns how many there were.
   */
  const takeAdmissions = async (): Promise<number> => {
    const observed = await observe();
    const line = model.waitingInLine();
    const admitted = line.filter((id) => observed.get(id)?.state === 'admitted');
    expect(admitted, 'admitted in the order of the line').toEqual(line.slice(0, admitted.length));
    model.admit(admitted, now);
    return admitted.length;
  };

  /** After any step: every ticket as the model says, positions never growing, totals equal. */
  const check = async (activeBefore: number, admittedNow: number): Promise<void> => {
    const observed = await observe();
    for (const t of model.tickets.values()) {
      const record = observed.get(t.id)!;
      const position = model.expectedPosition(t.id);
      expect(record, `ticket ${t.id}`).toMatchObject({
        state: PUBLIC_STATE[t.state],
        position,
        admittedAt: t.admittedAt,
        admissionExpiresAt: t.expiresAt,
        expiryReason:
          t.state === 'abandoned' ? 'abandoned' : t.state === 'expired' ? 'admission-expired' : null,
      });
      if (position !== null && t.lastPosition !== null) {
        expect(position, `position of ${t.id} never grows`).toBeLessThanOrEqual(t.lastPosition);
      }
      t.lastPosition = position;
      expect(t.completions).toBeLessThanOrEqual(1);
    }
    const room = await store.getRoom(ROOM);
    expect(room?.counters).toEqual(model.counters);
    expect(room?.waiting).toBe(model.withState('waiting').length);
    expect(room?.preQueue).toBe(model.liveUndrawn().length);
    expect(room?.active).toBe(model.active);
    expect(room?.lottery ?? null).toEqual(model.lottery);
    // A lottery room holds the seed it was created with, and publishes only its commitment.
    expect(room?.lotteryCommitment).toBe(
      model.settings.queueMode === 'lottery' ? seedCommitment(seeds[0]!) : null,
    );
    const cap = model.settings.maxActive;
    if (cap !== null) {
      // Lowering maxActive cannot take back admissions, but nobody more may come in.
      expect(model.active).toBeLessThanOrEqual(Math.max(cap, activeBefore));
      if (admittedNow > 0) expect(model.active).toBeLessThanOrEqual(cap);
    }
  };

  /** The signs of life of every shopper still watching; each read also shows an estimate. */
  const touchTheLiving = async (): Promise<void> => {
    const living = model.withState('waiting').filter((t) => !t.silent);
    const statuses = await engine.statuses(
      ROOM,
      living.map((t) => t.id),
    );
    for (const t of living) t.lastSeen = now;
    for (const status of statuses) checkEstimate(status);
  };

  const checkEstimate = (status: TicketStatus | null): void => {
    if (status?.state !== 'waiting') return;
    if (model.settings.status !== 'open' || !(model.settings.admitRatePerMinute > 0)) return;
    expect(status.etaSeconds, 'a waiting ticket of an open room has an estimate').not.toBeNull();
    const [low, high] = status.etaRange ?? [Number.NaN, Number.NaN];
    expect(status.etaSeconds).toBeGreaterThanOrEqual(low);
    expect(status.etaSeconds).toBeLessThanOrEqual(high);
  };

  const tick = async (ms: number): Promise<void> => {
    const activeBefore = model.active;
    now += ms;
    await engine.tick();
    model.sweep(now);
    // The draw uses the seed made when the room was created (the room is never rescheduled here).
    if (model.drawDue(now)) model.draw(seeds[0]!, now);
    const admitted = await takeAdmissions();
    if (admitted > 0) {
      // The rate admits only in an open room that has opened and whose lottery is drawn.
      expect(model.settings.status).toBe('open');
      expect(now).toBeGreaterThanOrEqual(model.opensAt ?? now);
      expect(model.liveUndrawn()).toEqual([]);
    }
    model.rateAdmissions.push({ at: now, admitted, rate: model.settings.admitRatePerMinute });
    await check(activeBefore, admitted);
    await touchTheLiving();
  };

  for (const command of commands) {
    const activeBefore = model.active;
    switch (command.kind) {
      case 'join': {
        if (model.settings.status === 'closed') {
          expect(await errorCode(engine.join(ROOM))).toBe('ROOM_CLOSED');
          break;
        }
        const status = await engine.join(ROOM);
        if (model.drawDue(now)) model.draw(seeds[0]!, now);
        model.join(status.ticketId, now, command.silent);
        expect(status.state).toBe('waiting');
        expect(status.position).toBe(model.expectedPosition(status.ticketId));
        checkEstimate(status);
        await check(activeBefore, 0);
        break;
      }
      case 'leave': {
        const live = model.withState('waiting', 'admitted');
        const t = live[command.pick % Math.max(1, live.length)];
        if (!t) break;
        await engine.leave(ROOM, t.id);
        t.state = 'left';
        model.counters.leftTotal++;
        await check(activeBefore, 0);
        break;
      }
      case 'tick':
        await tick(command.ms);
        break;
      case 'abandon':
        // Time passes beyond the heartbeat timeout; the silent stop showing signs of life.
        for (let s = 0; s <= model.settings.heartbeatTimeoutSeconds; s++) await tick(1000);
        break;
      case 'status':
        model.settings = await engine.updateRoom(ROOM, { status: command.to });
        await check(activeBefore, 0);
        break;
      case 'rate':
        model.settings = await engine.updateRoom(ROOM, { admitRatePerMinute: command.rate });
        await check(activeBefore, 0);
        break;
      case 'maxActive':
        model.settings = await engine.updateRoom(ROOM, { maxActive: command.value });
        await check(activeBefore, 0);
        break;
      case 'admit': {
        if (model.settings.status === 'closed') {
          expect(await errorCode(engine.admit(ROOM, command.count))).toBe('ROOM_CLOSED');
          await check(activeBefore, 0);
          break;
        }
        const cap = model.settings.maxActive;
        const expected = Math.min(
          command.count,
          model.waitingInLine().length,
          cap === null ? Number.POSITIVE_INFINITY : Math.max(0, cap - model.active),
        );
        expect(await engine.admit(ROOM, command.count)).toBe(expected);
        expect(await takeAdmissions()).toBe(expected);
        await check(activeBefore, expected);
        break;
      }
      case 'complete': {
        const pool = command.admittedOnly ? model.withState('admitted') : [...model.tickets.values()];
        const t = pool[command.pick % Math.max(1, pool.length)];
        if (!t) break;
        const expected =
          t.state === 'admitted' && t.expiresAt !== null && now < t.expiresAt
            ? null
            : t.state === 'completed'
              ? 'ADMISSION_USED'
              : t.state === 'admitted' || t.state === 'expired'
                ? 'TOKEN_EXPIRED'
                : 'FORBIDDEN';
        expect(await errorCode(engine.complete(ROOM, t.id))).toBe(expected);
        if (expected === null) {
          t.state = 'completed';
          t.completions++;
          model.counters.completedTotal++;
        }
        await check(activeBefore, 0);
        break;
      }
    }
  }
  checkRateWindows(model.rateAdmissions, setup.tickMs);
}

const EXAMPLE_SETUP: Setup = {
  tickMs: 250,
  admitRatePerMinute: 60,
  maxActive: null,
  admissionTtlSeconds: 30,
  heartbeatTimeoutSeconds: 10,
  opensInMs: null,
};

describe('what always holds, whatever shoppers, operators and the clock do', () => {
  it('in a fifo room, tickets are admitted in join order, positions only shrink, the rate and maxActive hold', async () => {
    await fc.assert(
      fc.asyncProperty(setupArb(false), commandsArb, (setup, commands) => run('fifo', setup, commands)),
      { numRuns: 150 },
    );
  });

  it('in a lottery room, the pre-queue is admitted in the drawn order, then everyone else in join order', async () => {
    await fc.assert(
      fc.asyncProperty(setupArb(true), commandsArb, (setup, commands) => run('lottery', setup, commands)),
      {
        numRuns: 150,
        examples: [
          // Closed as it opens, so no tick draws: the first join after reopening must.
          [
            { ...EXAMPLE_SETUP, opensInMs: 1_000 },
            [
              { kind: 'join', silent: false },
              { kind: 'join', silent: true },
              { kind: 'status', to: 'closed' },
              { kind: 'tick', ms: 2_000 },
              { kind: 'status', to: 'open' },
              { kind: 'join', silent: false },
              { kind: 'tick', ms: 1_000 },
              { kind: 'admit', count: 3 },
            ],
          ],
          // Paused before it opens: joiners still go to the pre-queue, drawn when it opens.
          [
            { ...EXAMPLE_SETUP, opensInMs: 5_000 },
            [
              { kind: 'join', silent: false },
              { kind: 'status', to: 'paused' },
              { kind: 'tick', ms: 1_000 },
              { kind: 'join', silent: false },
              { kind: 'status', to: 'open' },
              { kind: 'join', silent: false },
              { kind: 'tick', ms: 2_000 },
              { kind: 'tick', ms: 2_000 },
              { kind: 'admit', count: 3 },
            ],
          ],
        ],
      },
    );
  });
});
