import {
  ConflictError,
  InvalidRequestError,
  NotFoundError,
  RoomNotFoundError,
  UnavailableError,
  WaitroomError,
} from './errors.js';
import { FlowMeter, quantile } from './flow-meter.js';
import { isoTime } from './iso-time.js';
import { type PublicLottery, type PublishedDraw, publicLottery, publishDraw } from './lottery.js';
import type { JoinInput, JoinLimitCount, QueueStore, RoomState, WaitPredictor } from './queue-store.js';
import {
  beforeOpening,
  isScheduled,
  type NewRoom,
  opensAtMs,
  publicStatus,
  type RoomPublicStatus,
  type RoomSettings,
  type RoomSettingsPatch,
  withDefaults,
} from './room.js';
import type { TicketRecord, TicketState } from './ticket.js';
import {
  estimateUndrawn,
  estimateWait,
  type FlowEstimate,
  pollAfterMs,
  type WaitEstimate,
} from './wait-estimate.js';

/** What a shopper is told about a ticket (CONTRACT.md, "A ticket status"), before tokens are added. */
export interface TicketStatus {
  ticketId: string;
  roomId: string;
  state: TicketState;
  position: number | null;
  etaSeconds: number | null;
  etaRange: [number, number] | null;
  admissionExpiresAt: string | null;
  /** While admitted: when, and until when (epoch ms), for signing the admission token. */
  admission: { admittedAt: number; expiresAt: number } | null;
  pollAfterMs: number;
  roomStatus: RoomPublicStatus;
  joinedAt: string;
  expiryReason: 'abandoned' | 'admission-expired' | null;
}

export interface PublicRoom {
  id: string;
  name: string;
  status: RoomPublicStatus;
  opensAt: string | null;
  waiting: number;
  admitRatePerMinute: number;
  estimatedWaitSeconds: number | null;
  /** A lottery room's commitment to its seed, and the seed once drawn; null for a FIFO room. */
  lottery: PublicLottery | null;
  /** A join must carry a solved proof-of-work challenge (GET …/challenge). */
  requireChallenge: boolean;
}

export interface RoomStats {
  waiting: number;
  active: number;
  joinedTotal: number;
  admittedTotal: number;
  abandonedTotal: number;
  completedTotal: number;
  leftTotal: number;
  admissionsExpiredTotal: number;
  inflowPerMinute: number;
  outflowPerMinute: number;
  /** The outflow the estimates plan with, and whether it was measured or taken from the setting. */
  plannedOutflowPerMinute: number;
  outflowMeasured: boolean;
  estimateAccuracy: {
    samples: number;
    medianErrorRatio: number | null;
    p90ErrorRatio: number | null;
  };
}

/** Something about a room changed: positions, counts or settings. */
export interface RoomChange {
  roomId: string;
  joined: number;
  admitted: number;
  abandoned: number;
  left: number;
  admissionsExpired: number;
  completed: number;
  settings: boolean;
  /**
   * The tickets whose own state changed, when the change is about named tickets (a leave, a
   * completed admission): a live stream of one of them hears of it at once. Admissions and
   * sweeps name none: they move the head of the line, which the counts above describe.
   */
  ticketIds?: string[];
  /** True when another server instance made the change (told through the store's bus). */
  remote?: boolean;
}

export interface EngineOptions {
  store: QueueStore;
  /** Epoch milliseconds. */
  clock: () => number;
  /** A fresh, unguessable ticket id. */
  newTicketId: () => string;
  /**
   * A fresh secret seed for a lottery (hex, 256 bits in production): made when a room becomes
   * a lottery, held by the store, and drawn with when the room opens.
   */
  newSeed: () => string;
  /** How often rate admission, abandonment and expiry run; at most one second. */
  tickMs?: number;
}

interface RoomView {
  state: RoomState;
  meter: FlowMeter;
  flow: FlowEstimate;
}

/**
 * The waiting room: joins, reads, leaves and operator commands, and the tick that admits at
 * the configured rate. It keeps no queue state of its own (that is the store's), only a
 * per-room view refreshed every tick: settings and the measured flow the estimates use.
 */
export class WaitingRoomEngine {
  readonly store: QueueStore;
  readonly tickMs: number;
  private readonly clock: () => number;
  private readonly newTicketId: () => string;
  private readonly newSeed: () => string;
  private readonly views = new Map<string, RoomView>();
  /** The last published draw of each room read here: it does not change until a new draw. */
  private readonly draws = new Map<string, PublishedDraw>();
  private readonly listeners = new Set<(change: RoomChange) => void>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.newTicketId = options.newTicketId;
    this.newSeed = options.newSeed;
    this.tickMs = Math.min(1000, Math.max(10, options.tickMs ?? 250));
  }

  // ---- lifecycle -----------------------------------------------------------------------

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (!this.ticking) {
        this.ticking = this.tick()
          .catch(() => {})
          .finally(() => {
            this.ticking = null;
          });
      }
    }, this.tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
  }

  onChange(listener: (change: RoomChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: Partial<RoomChange> & { roomId: string }): void {
    if (this.listeners.size === 0) return;
    // Every change has the same fields in the same order (no spread of the partial one):
    // a join emits one, and listeners that always see one shape stay fast.
    const full: RoomChange = {
      roomId: change.roomId,
      joined: change.joined ?? 0,
      admitted: change.admitted ?? 0,
      abandoned: change.abandoned ?? 0,
      left: change.left ?? 0,
      admissionsExpired: change.admissionsExpired ?? 0,
      completed: change.completed ?? 0,
      settings: change.settings ?? false,
    };
    if (change.ticketIds !== undefined) full.ticketIds = change.ticketIds;
    if (change.remote !== undefined) full.remote = change.remote;
    for (const listener of this.listeners) listener(full);
  }

  /**
   * One round of admission for every room: abandon the silent, expire spent admissions,
   * draw a lottery whose room opened, admit what the rate allows, and measure the flow.
   */
  async tick(): Promise<void> {
    const now = this.clock();
    const burstSeconds = this.tickMs / 1000;
    for (const room of await this.store.listRooms()) {
      const id = room.settings.id;
      const swept = await this.store.sweep(id, now);
      let drew = false;
      if (room.settings.queueMode === 'lottery' && room.lotteryCommitment === null) {
        // A lottery room kept from a version that made the seed at draw time: give it one now.
        await this.store.updateRoom(id, {}, now, this.newSeed());
      }
      if (room.preQueue > 0 && !beforeOpening(room.settings, now) && room.settings.status !== 'closed') {
        drew = await this.draw(id, now);
      }
      // The store admits only while the room is open and drawn; otherwise it holds the credit.
      const admitted = await this.store.admitByRate(id, now, burstSeconds);
      const fresh = await this.store.getRoom(id);
      if (!fresh) continue;
      this.refresh(fresh, now);
      const n = admitted.ok ? admitted.admitted : 0;
      if (n > 0 || swept.abandoned > 0 || swept.admissionsExpired > 0 || drew) {
        this.emit({
          roomId: id,
          admitted: n,
          abandoned: swept.abandoned,
          admissionsExpired: swept.admissionsExpired,
          settings: drew,
        });
      }
    }
  }

  private refresh(state: RoomState, now: number): RoomView {
    let view = this.views.get(state.settings.id);
    if (!view) {
      view = { state, meter: new FlowMeter(), flow: configuredFlow(state.settings) };
      this.views.set(state.settings.id, view);
    } else if (flowSettingsChanged(view.state.settings, state.settings)) {
      view.meter.reset();
    }
    view.state = state;
    view.meter.record(now, state.counters, state.waiting - state.preQueue);
    view.flow = view.meter.estimate(state.settings.admitRatePerMinute / 60);
    return view;
  }

  /** The room's view: at once when known (the hot path), else read from the store. */
  private view(roomId: string): RoomView | Promise<RoomView> {
    return this.views.get(roomId) ?? this.loadView(roomId);
  }

  private async loadView(roomId: string): Promise<RoomView> {
    const state = await this.store.getRoom(roomId);
    if (!state) throw new RoomNotFoundError(roomId);
    return this.refresh(state, this.clock());
  }

  // ---- operator ------------------------------------------------------------------------

  async createRoom(input: NewRoom): Promise<RoomSettings> {
    const settings = withDefaults(input);
    checkSettings(settings);
    // The seed is fixed, and its commitment public, before anyone can join the pre-queue.
    const seed = settings.queueMode === 'lottery' ? this.newSeed() : undefined;
    const outcome = await this.store.createRoom(settings, this.clock(), seed);
    if (!outcome.ok) throw new ConflictError('ROOM_EXISTS', `Room '${settings.id}' already exists`);
    this.refresh(outcome.room, this.clock());
    return outcome.room.settings;
  }

  async updateRoom(roomId: string, patch: RoomSettingsPatch): Promise<RoomSettings> {
    const current = await this.store.getRoom(roomId);
    if (!current) throw new RoomNotFoundError(roomId);
    checkSettings({ ...current.settings, ...patch, id: roomId });
    // A lottery room keeps the seed it holds; the store takes this one only when it holds none
    // (the room becomes a lottery) or its seed was drawn with and the room is rescheduled.
    const seed = (patch.queueMode ?? current.settings.queueMode) === 'lottery' ? this.newSeed() : undefined;
    const updated = await this.store.updateRoom(roomId, patch, this.clock(), seed);
    if (!updated) throw new RoomNotFoundError(roomId);
    this.refresh(updated, this.clock());
    this.emit({ roomId, settings: true });
    return updated.settings;
  }

  async getRoom(roomId: string): Promise<RoomSettings> {
    const state = await this.store.getRoom(roomId);
    if (!state) throw new RoomNotFoundError(roomId);
    return state.settings;
  }

  /** The operator's view of a room: its settings, and the lottery's commitment for a lottery room. */
  async operatorRoom(roomId: string): Promise<RoomSettings & { lottery?: PublicLottery }> {
    const state = await this.store.getRoom(roomId);
    if (!state) throw new RoomNotFoundError(roomId);
    const lottery = publicLottery(state);
    return lottery ? { ...state.settings, lottery } : state.settings;
  }

  /**
   * The room's drawn lottery, for anyone to check: 404 for a room that never was a lottery,
   * 409 LOTTERY_NOT_DRAWN while its seed is secret.
   */
  async publishedDraw(roomId: string): Promise<PublishedDraw> {
    const state = await this.store.getRoom(roomId);
    if (!state) throw new RoomNotFoundError(roomId);
    const lottery = publicLottery(state);
    if (!lottery) throw new NotFoundError(`Room '${roomId}' is not a lottery`);
    if (!lottery.drawn) {
      throw new ConflictError(
        'LOTTERY_NOT_DRAWN',
        'The lottery is drawn when the room opens; until then only the commitment to its seed is published',
      );
    }
    const cached = this.draws.get(roomId);
    if (cached && cached.seed === lottery.seed && cached.drawnAt === lottery.drawnAt) return cached;
    const draw = await this.store.readLotteryDraw(roomId);
    if (!draw) throw new ConflictError('LOTTERY_NOT_DRAWN', 'The lottery is not drawn');
    const published = publishDraw(roomId, draw);
    this.draws.set(roomId, published);
    return published;
  }

  /** Draws a room's pre-queue with the seed the room holds (one is given to a room without). */
  private async draw(roomId: string, now: number): Promise<boolean> {
    let outcome = await this.store.drawLottery(roomId, now);
    if (outcome.needsSeed) {
      await this.store.updateRoom(roomId, {}, now, this.newSeed());
      outcome = await this.store.drawLottery(roomId, now);
    }
    return outcome.drawn;
  }

  async listRooms(): Promise<RoomSettings[]> {
    return (await this.store.listRooms()).map((r) => r.settings);
  }

  async admit(roomId: string, count: number): Promise<number> {
    const outcome = await this.store.admit(roomId, count, this.clock());
    if (!outcome.ok) {
      if (outcome.reason === 'ROOM_NOT_FOUND') throw new RoomNotFoundError(roomId);
      throw new ConflictError('ROOM_CLOSED', `Room '${roomId}' is closed`);
    }
    if (outcome.admitted > 0) {
      await this.reload(roomId);
      this.emit({ roomId, admitted: outcome.admitted });
    }
    return outcome.admitted;
  }

  /**
   * A change another instance made to a room (an admission, a departure, new settings):
   * re-read the room, so that this instance's figures and settings are current, and tell
   * this instance's listeners (its live streams).
   */
  async applyRemoteChange(change: Omit<RoomChange, 'remote'>): Promise<void> {
    const state = await this.store.getRoom(change.roomId);
    if (!state) {
      this.views.delete(change.roomId);
      return;
    }
    if (this.views.has(change.roomId)) this.refresh(state, this.clock());
    this.emit({ ...change, remote: true });
  }

  /** Re-reads a room's counts after a change, so its public figures are not a tick late. */
  private async reload(roomId: string): Promise<void> {
    const state = await this.store.getRoom(roomId);
    if (state) this.refresh(state, this.clock());
  }

  async stats(roomId: string): Promise<RoomStats> {
    const state = await this.store.getRoom(roomId);
    if (!state) throw new RoomNotFoundError(roomId);
    const view = this.refresh(state, this.clock());
    const flow = view.meter.perMinute();
    const errors = (await this.store.accuracySamples(roomId))
      .map((s) => Math.abs(s.predictedSeconds - s.actualSeconds) / Math.max(s.actualSeconds, 1))
      .sort((a, b) => a - b);
    const c = state.counters;
    return {
      waiting: state.waiting,
      active: state.active,
      joinedTotal: c.joinedTotal,
      admittedTotal: c.admittedTotal,
      abandonedTotal: c.abandonedTotal,
      completedTotal: c.completedTotal,
      leftTotal: c.leftTotal,
      admissionsExpiredTotal: c.admissionsExpiredTotal,
      inflowPerMinute: round2(flow.inflow),
      outflowPerMinute: round2(flow.outflow),
      plannedOutflowPerMinute: round2(view.flow.perSecond * 60),
      outflowMeasured: view.flow.measured,
      estimateAccuracy: {
        samples: errors.length,
        medianErrorRatio: nullableRound(quantile(errors, 0.5)),
        p90ErrorRatio: nullableRound(quantile(errors, 0.9)),
      },
    };
  }

  // ---- shopper -------------------------------------------------------------------------

  async publicRoom(roomId: string): Promise<PublicRoom> {
    const view = await this.view(roomId);
    const s = view.state.settings;
    const now = this.clock();
    const ranked = view.state.waiting - view.state.preQueue;
    const estimate =
      view.state.preQueue > 0 && ranked === 0
        ? this.undrawnEstimate(view, view.state.preQueue + 1, now)
        : this.estimate(view, ranked + 1, now);
    return {
      id: s.id,
      name: s.name,
      status: publicStatus(s, now),
      opensAt: s.opensAt,
      waiting: view.state.waiting,
      admitRatePerMinute: s.admitRatePerMinute,
      estimatedWaitSeconds: estimate?.etaSeconds ?? null,
      lottery: publicLottery(view.state),
      requireChallenge: s.requireChallenge,
    };
  }

  /**
   * A room's settings as this instance last read them (at most a tick old, and at once after
   * a change made here or announced by another instance): the join's hot path reads these.
   */
  async currentSettings(roomId: string): Promise<RoomSettings> {
    return (await this.view(roomId)).state.settings;
  }

  /** `currentSettings` when the room's figures are at hand, without waiting; `undefined` otherwise. */
  settingsNow(roomId: string): RoomSettings | undefined {
    return this.views.get(roomId)?.state.settings;
  }

  /**
   * Puts a new ticket at the end of the room's line. With `limit`, for a store that
   * `countsJoinLimits`, the join limit's count is made in the join's own step, and a join
   * past the limit is refused with RATE_LIMITED (nobody joins).
   */
  async join(roomId: string, limit?: JoinLimitCount): Promise<TicketStatus> {
    if (limit !== undefined && !this.store.countsJoinLimits)
      throw new Error('this store does not count join limits');
    const known = this.view(roomId);
    const view = known instanceof Promise ? await known : known;
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = this.clock();
      const input: JoinInput = { ticketId: this.newTicketId(), now, predictor: this.predictor(view, now) };
      if (limit !== undefined) input.limit = limit;
      const outcome = await this.store.join(roomId, input);
      if (outcome.ok) {
        view.state.waiting++;
        this.emit({ roomId, joined: 1 });
        return this.toStatus(view, outcome.ticket, now);
      }
      if (outcome.reason === 'ROOM_NOT_FOUND') {
        this.views.delete(roomId);
        throw new RoomNotFoundError(roomId);
      }
      if (outcome.reason === 'ROOM_CLOSED')
        throw new ConflictError('ROOM_CLOSED', `Room '${roomId}' is closed`);
      if (outcome.reason === 'RATE_LIMITED') {
        const seconds = Math.max(1, Math.ceil(outcome.retryAfterMs / 1000));
        throw new WaitroomError(
          'RATE_LIMITED',
          `Too many joins from this address; try again in ${seconds} s`,
          {
            retryAfterSeconds: seconds,
          },
        );
      }
      // The room has just opened and its lottery is not drawn yet: draw it, then join behind.
      await this.draw(roomId, now);
      this.emit({ roomId, settings: true });
    }
    throw new UnavailableError('The room is opening; try again in a moment');
  }

  async status(roomId: string, ticketId: string, touch = true): Promise<TicketStatus> {
    const view = await this.view(roomId);
    const now = this.clock();
    return this.statusOf(view, await this.store.readTicket(roomId, ticketId, { now, touch }), now);
  }

  /**
   * `status` answered at once when the room's figures are at hand and the store can read the
   * ticket without waiting (the embedded store with nothing left to write): the same status,
   * the read counting as a sign of life; `undefined` otherwise, and nothing read. Throws as
   * `status` does for a ticket the store does not know.
   */
  statusNow(roomId: string, ticketId: string): TicketStatus | undefined {
    const view = this.views.get(roomId);
    if (view === undefined || this.store.readTicketNow === undefined) return undefined;
    const now = this.clock();
    const ticket = this.store.readTicketNow(roomId, ticketId, { now, touch: true });
    return ticket === undefined ? undefined : this.statusOf(view, ticket, now);
  }

  /** The status of a ticket one of the reads above found; a ticket not found is refused. */
  private statusOf(view: RoomView, ticket: TicketRecord | null, now: number): TicketStatus {
    if (!ticket) throw new NotFoundError('This ticket is no longer known');
    return this.toStatus(view, ticket, now);
  }

  /** Statuses of many tickets of one room, each read counting as a sign of life (live streams). */
  async statuses(roomId: string, ticketIds: readonly string[]): Promise<(TicketStatus | null)[]> {
    const view = await this.view(roomId);
    const now = this.clock();
    const tickets = await this.store.readTickets(roomId, ticketIds, { now, touch: true });
    return tickets.map((t) => (t ? this.toStatus(view, t, now) : null));
  }

  async leave(roomId: string, ticketId: string): Promise<void> {
    const ticket = await this.store.leave(roomId, ticketId, this.clock());
    if (!ticket) throw new NotFoundError('This ticket is no longer known');
    await this.reload(roomId);
    this.emit({ roomId, left: 1, ticketIds: [ticketId] });
  }

  /** Marks an admission as used by an order; the place among the active is freed at once. */
  async complete(roomId: string, ticketId: string): Promise<void> {
    const outcome = await this.store.complete(roomId, ticketId, this.clock());
    if (!outcome.ok) {
      if (outcome.reason === 'NOT_FOUND') throw new NotFoundError('This ticket is no longer known');
      if (outcome.reason === 'ALREADY_COMPLETED')
        throw new ConflictError('ADMISSION_USED', 'This admission was used');
      if (outcome.reason === 'ADMISSION_EXPIRED')
        throw new WaitroomError('TOKEN_EXPIRED', 'The admission has expired');
      throw new WaitroomError('FORBIDDEN', 'This ticket is not admitted');
    }
    await this.reload(roomId);
    this.emit({ roomId, completed: 1, ticketIds: [ticketId] });
  }

  // ---- estimates -----------------------------------------------------------------------

  private delaySeconds(settings: RoomSettings, now: number): number {
    const at = opensAtMs(settings);
    return at !== null && at > now ? (at - now) / 1000 : 0;
  }

  private flowFor(view: RoomView, now: number): FlowEstimate | null {
    const s = view.state.settings;
    if (s.status !== 'open' || !(s.admitRatePerMinute > 0)) return null;
    return isScheduled(s, now) ? configuredFlow(s) : view.flow;
  }

  private predictor(view: RoomView, now: number): WaitPredictor | null {
    const flow = this.flowFor(view, now);
    if (!flow) return null;
    return {
      perSecond: flow.perSecond,
      abandonPerSecond: flow.abandonPerSecond,
      delaySeconds: this.delaySeconds(view.state.settings, now),
    };
  }

  private estimate(view: RoomView, position: number, now: number): WaitEstimate | null {
    const flow = this.flowFor(view, now);
    return flow ? estimateWait(position, flow, this.delaySeconds(view.state.settings, now)) : null;
  }

  private undrawnEstimate(view: RoomView, size: number, now: number): WaitEstimate | null {
    const flow = this.flowFor(view, now);
    return flow ? estimateUndrawn(size, flow, this.delaySeconds(view.state.settings, now)) : null;
  }

  private toStatus(view: RoomView, t: TicketRecord, now: number): TicketStatus {
    let estimate: WaitEstimate | null = null;
    if (t.state === 'waiting') {
      estimate =
        t.position === null
          ? this.undrawnEstimate(view, view.state.preQueue, now)
          : this.estimate(view, t.position, now);
    }
    const eta = estimate?.etaSeconds ?? null;
    return {
      ticketId: t.ticketId,
      roomId: t.roomId,
      state: t.state,
      position: t.state === 'waiting' ? t.position : null,
      etaSeconds: eta,
      etaRange: estimate?.etaRange ?? null,
      admissionExpiresAt:
        t.state === 'admitted' && t.admissionExpiresAt !== null ? isoTime(t.admissionExpiresAt) : null,
      pollAfterMs: pollAfterMs(eta, t.state),
      roomStatus: publicStatus(view.state.settings, now),
      joinedAt: isoTime(t.joinedAt),
      expiryReason: t.state === 'expired' ? t.expiryReason : null,
      admission:
        t.state === 'admitted' && t.admittedAt !== null && t.admissionExpiresAt !== null
          ? { admittedAt: t.admittedAt, expiresAt: t.admissionExpiresAt }
          : null,
    };
  }
}

function configuredFlow(settings: RoomSettings): FlowEstimate {
  const perSecond = settings.admitRatePerMinute / 60;
  return {
    perSecond,
    perSecondLow: perSecond,
    perSecondHigh: perSecond,
    abandonPerSecond: 0,
    measured: false,
  };
}

function flowSettingsChanged(a: RoomSettings, b: RoomSettings): boolean {
  return (
    a.admitRatePerMinute !== b.admitRatePerMinute || a.maxActive !== b.maxActive || a.status !== b.status
  );
}

/** Rules a JSON schema cannot state. */
function checkSettings(settings: RoomSettings): void {
  if (settings.opensAt !== null && Number.isNaN(Date.parse(settings.opensAt))) {
    throw new InvalidRequestError('opensAt must be an ISO 8601 date-time or null', { field: 'opensAt' });
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function nullableRound(x: number | undefined): number | null {
  return x === undefined ? null : Math.round(x * 1000) / 1000;
}
