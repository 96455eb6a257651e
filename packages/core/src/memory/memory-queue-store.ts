import type {
  AccuracySample,
  AdmitOutcome,
  CompleteOutcome,
  CreateRoomOutcome,
  DrawnLottery,
  DrawOutcome,
  JoinInput,
  JoinOutcome,
  QueueStore,
  ReadOptions,
  RoomState,
  SweepOutcome,
} from '../queue-store.js';
import {
  applyPatch,
  beforeOpening,
  isScheduled,
  type RoomSettings,
  type RoomSettingsPatch,
  withDefaults,
} from '../room.js';
import type { TicketRecord } from '../ticket.js';
import type { Journal, JournalRecord } from './journal.js';
import { RoomLine } from './room-line.js';

export interface MemoryQueueStoreOptions {
  /** Where every change is written, so that a restart can replay it (the embedded store). */
  journal?: Journal;
}

/**
 * The queue store of one process: every room's line in memory. With a journal it is the
 * embedded default, whose state survives a restart (see `restore`).
 */
export class MemoryQueueStore implements QueueStore {
  readonly kind: string = 'memory';
  private readonly rooms = new Map<string, RoomLine>();
  private readonly write: (record: JournalRecord) => void;
  private replaying = false;
  private readonly journal: Journal | undefined;

  constructor(options: MemoryQueueStoreOptions = {}) {
    const journal = options.journal;
    this.journal = journal;
    this.write = journal ? (record) => this.replaying || journal.append(record) : () => {};
  }

  /**
   * Rebuilds the state from journalled records. Waiting tickets get a fresh heartbeat window
   * from `now`: a restart is no reason to abandon anyone.
   */
  restore(records: Iterable<JournalRecord>, now: number): void {
    this.replaying = true;
    try {
      for (const record of records) {
        if (record.k === 'room') {
          // A journal written before a setting existed lacks it: the setting's default then.
          const settings = withDefaults(record.room);
          let line = this.rooms.get(settings.id);
          if (!line) {
            line = new RoomLine(settings, record.createdAt, this.write);
            this.rooms.set(settings.id, line);
          }
          // A snapshot has one record per room, carrying its last update.
          line.settings = settings;
          line.updatedAt = record.updatedAt;
          if (record.seed !== undefined) line.holdSeed(record.seed);
          continue;
        }
        this.rooms.get(record.r)?.replay(record);
      }
    } finally {
      this.replaying = false;
    }
    for (const line of this.rooms.values()) line.reviveAll(now);
  }

  /** The records that rebuild the present state (for compacting the journal). */
  *snapshot(now: number, keepEndedMs = 24 * 3600_000): Generator<JournalRecord> {
    for (const line of this.rooms.values()) {
      yield roomRecord(line);
      yield* line.snapshot(now, keepEndedMs);
    }
  }

  async createRoom(settings: RoomSettings, now: number, lotterySeed?: string): Promise<CreateRoomOutcome> {
    return this.durably(() => {
      if (this.rooms.has(settings.id)) return { ok: false, reason: 'ROOM_EXISTS' };
      const line = new RoomLine(settings, now, this.write);
      line.holdSeed(lotterySeed ?? null);
      this.rooms.set(settings.id, line);
      this.write(roomRecord(line));
      return { ok: true, room: stateOf(line) };
    });
  }

  async updateRoom(
    roomId: string,
    patch: RoomSettingsPatch,
    now: number,
    lotterySeed?: string,
  ): Promise<RoomState | null> {
    return this.durably(() => {
      const line = this.rooms.get(roomId);
      if (!line) return null;
      line.settings = applyPatch(line.settings, patch);
      line.updatedAt = now;
      if (lotterySeed !== undefined && line.takesNewSeed(now)) line.holdSeed(lotterySeed);
      this.write(roomRecord(line));
      return stateOf(line);
    });
  }

  async getRoom(roomId: string): Promise<RoomState | null> {
    return this.durably(() => {
      const line = this.rooms.get(roomId);
      return line ? stateOf(line) : null;
    });
  }

  async listRooms(): Promise<RoomState[]> {
    return this.durably(() => {
      return [...this.rooms.values()].map(stateOf);
    });
  }

  join(roomId: string, input: JoinInput): Promise<JoinOutcome> {
    // Not an async function: the answer is the journal's promise itself (or one made at once),
    // not a second promise waiting on it, which a join would pay two turns of the queue for.
    return settled(() =>
      this.durably(() => {
        const line = this.rooms.get(roomId);
        if (!line) return { ok: false, reason: 'ROOM_NOT_FOUND' };
        if (line.settings.status === 'closed') return { ok: false, reason: 'ROOM_CLOSED' };
        if (line.preQueue > 0 && !beforeOpening(line.settings, input.now))
          return { ok: false, reason: 'DRAW_PENDING' };
        return { ok: true, ticket: line.join(input.ticketId, input.now, input.predictor) };
      }),
    );
  }

  async readTicket(roomId: string, ticketId: string, options: ReadOptions): Promise<TicketRecord | null> {
    return this.durably(() => this.read(roomId, ticketId, options));
  }

  readTicketNow(roomId: string, ticketId: string, options: ReadOptions): TicketRecord | null | undefined {
    return this.pendingWrite() ? undefined : this.read(roomId, ticketId, options);
  }

  private read(roomId: string, ticketId: string, options: ReadOptions): TicketRecord | null {
    return this.rooms.get(roomId)?.read(ticketId, options.now, options.touch) ?? null;
  }

  async readTickets(
    roomId: string,
    ticketIds: readonly string[],
    options: ReadOptions,
  ): Promise<(TicketRecord | null)[]> {
    return this.durably(() => {
      const line = this.rooms.get(roomId);
      return ticketIds.map((id) => line?.read(id, options.now, options.touch) ?? null);
    });
  }

  async leave(roomId: string, ticketId: string, now: number): Promise<TicketRecord | null> {
    return this.durably(() => {
      return this.rooms.get(roomId)?.leave(ticketId, now) ?? null;
    });
  }

  async admit(roomId: string, count: number, now: number): Promise<AdmitOutcome> {
    return this.durably(() => {
      const line = this.rooms.get(roomId);
      if (!line) return { ok: false, reason: 'ROOM_NOT_FOUND' };
      if (line.settings.status === 'closed') return { ok: false, reason: 'ROOM_CLOSED' };
      const ticketIds = line.admit(count, now);
      return { ok: true, admitted: ticketIds.length, ticketIds };
    });
  }

  async admitByRate(roomId: string, now: number, burstSeconds: number): Promise<AdmitOutcome> {
    return this.durably(() => {
      const line = this.rooms.get(roomId);
      if (!line) return { ok: false, reason: 'ROOM_NOT_FOUND' };
      const s = line.settings;
      // A rate of zero stops admission like a pause: credit saved up at an earlier rate is dropped.
      if (s.status !== 'open' || isScheduled(s, now) || line.preQueue > 0 || !(s.admitRatePerMinute > 0)) {
        line.holdCredit(now);
        return s.status === 'closed'
          ? { ok: false, reason: 'ROOM_CLOSED' }
          : { ok: true, admitted: 0, ticketIds: [] };
      }
      const ticketIds = line.admitByRate(now, burstSeconds);
      return { ok: true, admitted: ticketIds.length, ticketIds };
    });
  }

  async sweep(roomId: string, now: number): Promise<SweepOutcome> {
    return this.durably(() => {
      return this.rooms.get(roomId)?.sweep(now) ?? { abandoned: 0, admissionsExpired: 0 };
    });
  }

  async drawLottery(roomId: string, now: number): Promise<DrawOutcome> {
    return this.durably(() => {
      const line = this.rooms.get(roomId);
      if (!line || line.preQueue === 0) return { drawn: false, size: 0 };
      if (line.lotterySeed === null) return { drawn: false, size: 0, needsSeed: true };
      return { drawn: true, size: line.draw(now) };
    });
  }

  async readLotteryDraw(roomId: string): Promise<DrawnLottery | null> {
    return this.durably(() => {
      const line = this.rooms.get(roomId);
      if (!line?.lottery) return null;
      return { ...line.lottery, order: [...line.drawOrder] };
    });
  }

  async complete(roomId: string, ticketId: string, now: number): Promise<CompleteOutcome> {
    return this.durably(() => {
      const line = this.rooms.get(roomId);
      if (!line) return { ok: false, reason: 'NOT_FOUND' };
      const outcome = line.complete(ticketId, now);
      if (outcome !== 'ok') return { ok: false, reason: outcome };
      return { ok: true, ticket: line.recordOf(ticketId)! };
    });
  }

  async accuracySamples(roomId: string): Promise<AccuracySample[]> {
    return this.durably(() => {
      return this.rooms.get(roomId)?.accuracySamples() ?? [];
    });
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  /**
   * Runs one step and answers once the journal holds what it changed: the journal writes
   * the changes of many concurrent steps at once (group commit), and no caller is told of
   * a change, or shown state, that a crash could take back.
   */
  private durably<T>(step: () => T): T | Promise<T> {
    const value = step();
    const written = this.pendingWrite();
    return written ? written.then(() => value) : value;
  }

  /** Settles once what was journalled so far is written; null when it all is. */
  private pendingWrite(): Promise<void> | null {
    return this.journal?.written?.() ?? null;
  }
}

/** `step`'s value as a promise, without a second one when it is one: a throw is a rejection. */
function settled<T>(step: () => T | Promise<T>): Promise<T> {
  try {
    const value = step();
    return value instanceof Promise ? value : Promise.resolve(value);
  } catch (error) {
    return Promise.reject(error);
  }
}

function stateOf(line: RoomLine): RoomState {
  return {
    settings: line.settings,
    createdAt: line.createdAt,
    updatedAt: line.updatedAt,
    waiting: line.waiting,
    preQueue: line.preQueue,
    active: line.active,
    counters: { ...line.counters },
    lotteryCommitment: line.lotteryCommitment,
    lottery: line.lottery,
  };
}

/** A room's settings as journalled, with the lottery seed it holds. */
function roomRecord(line: RoomLine): JournalRecord {
  return {
    k: 'room',
    room: line.settings,
    createdAt: line.createdAt,
    updatedAt: line.updatedAt,
    seed: line.lotterySeed,
  };
}
