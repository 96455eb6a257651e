import type { RoomSettings, RoomSettingsPatch } from './room.js';
import type { TicketRecord } from './ticket.js';

/** Running totals of a room; they only grow. */
export interface RoomCounters {
  joinedTotal: number;
  admittedTotal: number;
  /** Waiting tickets removed for lack of a sign of life. */
  abandonedTotal: number;
  leftTotal: number;
  completedTotal: number;
  /** Admissions that ran out before an order used them. */
  admissionsExpiredTotal: number;
}

/** Everything a store holds about a room, read in one step. */
export interface RoomState {
  settings: RoomSettings;
  createdAt: number;
  updatedAt: number;
  /** Live waiting tickets, including a lottery pre-queue not yet drawn. */
  waiting: number;
  /** Live tickets of a lottery pre-queue whose order is not drawn yet. */
  preQueue: number;
  active: number;
  counters: RoomCounters;
  /**
   * SHA-256 (hex) of the secret seed the room's next lottery draw will use, or its last draw
   * used: public from the moment the seed is held (see `createRoom`, `updateRoom`). The seed
   * itself never leaves the store before it is drawn with. Null when the room holds no seed.
   */
  lotteryCommitment: string | null;
  /** The last draw; its seed is public from then on. */
  lottery: LotteryDraw | null;
}

export interface LotteryDraw {
  drawnAt: number;
  seed: string;
  size: number;
}

/** The last draw with the tickets it ranked, in the drawn order (the list anyone may check it by). */
export interface DrawnLottery extends LotteryDraw {
  order: string[];
}

/**
 * What the store needs to record the wait it predicts for a joining ticket, so that the
 * prediction can later be set against the actual wait. The store calls `predictWaitSeconds`
 * (wait-estimate.ts) with the position the ticket got, inside the same atomic step.
 */
export interface WaitPredictor {
  /** Admissions per second expected at the head of the line. */
  perSecond: number;
  /** Share of waiting tickets that leave or are abandoned per second. */
  abandonPerSecond: number;
  /** Seconds before admission can start (a scheduled opening). */
  delaySeconds: number;
}

export interface JoinInput {
  ticketId: string;
  now: number;
  predictor: WaitPredictor | null;
  /**
   * The join limit's count of this join, for a store that counts it in the join's own step
   * (`countsJoinLimits`); any other store is never given one.
   */
  limit?: JoinLimitCount;
}

/**
 * One join counted against its client's address, the way the join limit counts everywhere
 * (plugins/join-limit.ts): a fixed window of `windowMs` starting at the key's first hit,
 * every join counted, refused or not. The join is refused when the count after it passes `max`.
 */
export interface JoinLimitCount {
  /** The address's counter, the very key the join limit's own store counts on. */
  key: string;
  max: number;
  windowMs: number;
}

export type JoinOutcome =
  | { ok: true; ticket: TicketRecord }
  | { ok: false; reason: 'ROOM_NOT_FOUND' | 'ROOM_CLOSED' | 'DRAW_PENDING' }
  /** Past the join limit (`JoinInput.limit`): nobody joined; the window ends in `retryAfterMs`. */
  | { ok: false; reason: 'RATE_LIMITED'; retryAfterMs: number };

export type CreateRoomOutcome = { ok: true; room: RoomState } | { ok: false; reason: 'ROOM_EXISTS' };

export type AdmitOutcome =
  | { ok: true; admitted: number; ticketIds: string[] }
  | { ok: false; reason: 'ROOM_NOT_FOUND' | 'ROOM_CLOSED' };

export type CompleteOutcome =
  | { ok: true; ticket: TicketRecord }
  | { ok: false; reason: 'NOT_FOUND' | 'NOT_ADMITTED' | 'ADMISSION_EXPIRED' | 'ALREADY_COMPLETED' };

export interface SweepOutcome {
  abandoned: number;
  admissionsExpired: number;
}

export interface DrawOutcome {
  /** False when the room had no pre-queue to draw or it was drawn already. */
  drawn: boolean;
  size: number;
  /**
   * True when there is a pre-queue to draw but the room holds no seed (a room kept from a
   * version that made the seed at draw time): give it one with `updateRoom`, then draw.
   */
  needsSeed?: boolean;
}

/** One predicted-against-actual pair, in seconds, for a ticket that was admitted. */
export interface AccuracySample {
  predictedSeconds: number;
  actualSeconds: number;
}

export interface ReadOptions {
  now: number;
  /** Count the read as a sign of life. */
  touch: boolean;
}

/**
 * The queue state of every room. Each method is one atomic step: an implementation shared
 * by several server instances (Redis) must make each one indivisible, so that the
 * invariants of CONTRACT.md ("What always holds") hold however calls interleave.
 *
 * Expected outcomes (a closed room, an existing id) are returned as data, not thrown;
 * a thrown error means the store itself failed.
 */
export interface QueueStore {
  readonly kind: string;

  /**
   * Creates a room. `lotterySeed` (hex, secret) becomes the seed its lottery will be drawn with:
   * the engine gives one to every lottery room, so that the seed is fixed, and its commitment
   * public, before anyone can join the pre-queue.
   */
  createRoom(settings: RoomSettings, now: number, lotterySeed?: string): Promise<CreateRoomOutcome>;
  /**
   * Changes settings. `lotterySeed` becomes the room's seed, in the same step, only when the
   * room holds none, or holds the seed of a draw already made and is before its opening again
   * (rescheduled: a seed once revealed must not draw a second pre-queue). Otherwise the seed
   * held is kept, so that a commitment once published stays true.
   */
  updateRoom(
    roomId: string,
    patch: RoomSettingsPatch,
    now: number,
    lotterySeed?: string,
  ): Promise<RoomState | null>;
  getRoom(roomId: string): Promise<RoomState | null>;
  listRooms(): Promise<RoomState[]>;

  /** Puts a new ticket at the end of the line (or in the pre-queue of a lottery room before `opensAt`). */
  join(roomId: string, input: JoinInput): Promise<JoinOutcome>;
  /**
   * True for a store that counts a join's `limit` in the join's own step (Redis on one node:
   * the count and the join in one round trip); a store without it is never given a limit,
   * and the caller counts first.
   */
  readonly countsJoinLimits?: boolean;
  readTicket(roomId: string, ticketId: string, options: ReadOptions): Promise<TicketRecord | null>;
  /**
   * `readTicket` answered at once, for a store that holds its line in this process: the same
   * record (and the same sign of life), or `undefined` when it cannot answer without waiting
   * (a change not yet durable, which `readTicket` would wait for). Optional: a store without it
   * is always read through `readTicket`.
   */
  readTicketNow?(roomId: string, ticketId: string, options: ReadOptions): TicketRecord | null | undefined;
  /** The same as `readTicket` for many tickets of one room at once (live streams). */
  readTickets(
    roomId: string,
    ticketIds: readonly string[],
    options: ReadOptions,
  ): Promise<(TicketRecord | null)[]>;
  /** Takes a ticket out of the line (or ends its admission); null when it does not exist. */
  leave(roomId: string, ticketId: string, now: number): Promise<TicketRecord | null>;

  /** Admits up to `count` of the next waiting tickets now, whatever the rate, within `maxActive`. */
  admit(roomId: string, count: number, now: number): Promise<AdmitOutcome>;
  /**
   * Admits what the rate allows since the last call by any caller: the rate's credit grows
   * with elapsed time and is capped at `burstSeconds` worth plus one ticket (the fraction a
   * tick leaves over), so that no window of a minute admits more than the rate plus one
   * tick's worth rounded up to whole tickets. While the room is paused, closed, scheduled, not
   * drawn, or its rate is zero, it admits nobody and keeps no credit.
   */
  admitByRate(roomId: string, now: number, burstSeconds: number): Promise<AdmitOutcome>;
  /** Abandons waiting tickets silent for `heartbeatTimeoutSeconds` and expires overdue admissions. */
  sweep(roomId: string, now: number): Promise<SweepOutcome>;
  /**
   * Orders a lottery room's pre-queue from the seed the room holds (see lottery.ts) and keeps
   * the tickets it ranked, for `readLotteryDraw`; a no-op when there is no pre-queue.
   */
  drawLottery(roomId: string, now: number): Promise<DrawOutcome>;
  /** The room's last draw with its tickets in the drawn order; null when it has none. */
  readLotteryDraw(roomId: string): Promise<DrawnLottery | null>;
  /** Marks an admitted ticket's admission as used by an order. */
  complete(roomId: string, ticketId: string, now: number): Promise<CompleteOutcome>;
  /** The most recent predicted-against-actual pairs, oldest first. */
  accuracySamples(roomId: string): Promise<AccuracySample[]>;

  /** Resolves when the store answers; rejects when it does not (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
