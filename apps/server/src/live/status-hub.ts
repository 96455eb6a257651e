import type { RoomChange, TicketStatus, WaitingRoomEngine } from '@waitroom/core';

/** One open event stream: a shopper's browser watching its ticket. */
export interface StatusStream {
  roomId: string;
  ticketId: string;
  /** Writes raw event-stream text; returns false once the connection is gone. */
  write(text: string): boolean;
  end(): void;
}

interface Entry {
  stream: StatusStream;
  last: string;
  /** When `last` was sent, and whether it was a waiting ticket's. */
  sentAt: number;
  waiting: boolean;
  /** The least time before the next push while the ticket stays waiting (see pushIntervalMs). */
  intervalMs: number;
  /** The position at the last read (null: not waiting, or not ranked yet). */
  position: number | null;
  /** The room's marks at the last read. */
  seq: number;
  moves: number;
}

/** What a room has been through since its streams were added: how an entry knows it is stale. */
interface RoomMarks {
  /** Changes that may alter a stream's status (anything but a join). */
  seq: number;
  /** Tickets gone from the line (admitted, abandoned, left): the most a position can have fallen. */
  moves: number;
  /** Every stream must be read at the next flush (new settings, a draw, a quiet room's turn). */
  everyone: boolean;
  /** Tickets of this room named by a change since the last flush. */
  named: Set<string>;
  lastFullRead: number;
}

export interface StatusHubOptions {
  /** How often changed rooms are pushed to their streams. */
  refreshMs: number;
  /**
   * How often every stream of a room is read, changed or not: a sign of life for each (also
   * at least three times per heartbeat timeout of the room) and a fresh estimate.
   */
  quietRefreshMs: number;
  /** How often a comment line keeps idle connections open (CONTRACT.md: at least every 15 s). */
  keepAliveMs: number;
  /**
   * The least time between two pushes to a ticket that stays waiting (a new position or
   * estimate). A change of state (admitted, expired, left) is pushed at the next refresh
   * whatever the time. A shopper far back, whose estimate runs to minutes, hears less often
   * still, up to every MAX_WAITING_PUSH_MS (see pushIntervalMs).
   */
  waitingPushMs: number;
}

/** A room's marks when a new stream's first status was read. */
export interface StreamMarker {
  seq: number;
  moves: number;
}

type FirstStatus = Pick<TicketStatus, 'state' | 'position' | 'etaSeconds'>;

const FINAL_STATES = new Set(['completed', 'left', 'expired']);
/** The longest a waiting stream goes without news of its moves: five seconds. */
const MAX_WAITING_PUSH_MS = 5000;

/**
 * How long a waiting ticket's stream waits before its next push: a twentieth of its estimated
 * wait, between `floorMs` and five seconds. Near the front every second counts and each move is
 * shown within `floorMs`; a shopper twenty minutes back sees the line move every five seconds,
 * while the server sends a crowd of 10,000 streams a fifth of what one push a second would cost.
 */
export function pushIntervalMs(etaSeconds: number | null, floorMs: number): number {
  if (etaSeconds === null) return floorMs;
  return Math.max(floorMs, Math.min(MAX_WAITING_PUSH_MS, etaSeconds * 50));
}

/**
 * Pushes ticket statuses to open event streams. A room change (an admission, a departure, new
 * settings) marks the room; every `refreshMs` the streams of a marked room that may have news
 * are read in one batch, and each is sent its status if it differs from what it last got.
 *
 * Reading every stream of a busy room at every refresh would cost the server more than all its
 * shoppers' polls, so a stream is read when its news is due: at once when its own ticket may
 * have changed state (it was near enough the head to be admitted by the moves since its last
 * read, or a change named it, or it is admitted and may expire), otherwise once its push
 * interval has passed. Every stream is read at least every `quietRefreshMs` (and three times
 * per heartbeat timeout): an open stream's reads count as signs of life.
 */
export class StatusHub {
  private readonly rooms = new Map<string, Map<StatusStream, Entry>>();
  private readonly marks = new Map<string, RoomMarks>();
  private readonly dirty = new Set<string>();
  private timers: NodeJS.Timeout[] = [];
  private flushing = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly engine: WaitingRoomEngine,
    private readonly present: (status: TicketStatus) => object | Promise<object>,
    private readonly options: StatusHubOptions,
  ) {
    this.unsubscribe = engine.onChange((change) => this.onChange(change));
  }

  get size(): number {
    let n = 0;
    for (const streams of this.rooms.values()) n += streams.size;
    return n;
  }

  start(): void {
    if (this.timers.length > 0) return;
    const refresh = setInterval(() => void this.flush(), this.options.refreshMs);
    const keepAlive = setInterval(() => this.keepAlive(), this.options.keepAliveMs);
    refresh.unref();
    keepAlive.unref();
    this.timers = [refresh, keepAlive];
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.unsubscribe();
    for (const streams of this.rooms.values()) for (const stream of streams.keys()) stream.end();
    this.rooms.clear();
    this.marks.clear();
  }

  /** Where a room stands now: taken before a new stream's first read, and handed to `add`. */
  marker(roomId: string): StreamMarker {
    const marks = this.marksOf(roomId);
    return { seq: marks.seq, moves: marks.moves };
  }

  /**
   * Registers a stream whose first status the caller has just sent: `initial`, the text, and
   * `status`, what it said, read after `marker` was taken (changes made between the two are
   * then not missed).
   */
  add(stream: StatusStream, initial: string, status: FirstStatus, marker: StreamMarker): void {
    let streams = this.rooms.get(stream.roomId);
    if (!streams) {
      streams = new Map();
      this.rooms.set(stream.roomId, streams);
    }
    const waiting = status.state === 'waiting';
    streams.set(stream, {
      stream,
      last: initial,
      sentAt: Date.now(),
      waiting,
      intervalMs: waiting ? pushIntervalMs(status.etaSeconds, this.options.waitingPushMs) : 0,
      position: status.position,
      seq: marker.seq,
      moves: marker.moves,
    });
  }

  remove(stream: StatusStream): void {
    const streams = this.rooms.get(stream.roomId);
    if (!streams) return;
    streams.delete(stream);
    // The room's marks stay: a stream being opened may hold a marker of them.
    if (streams.size === 0) this.rooms.delete(stream.roomId);
  }

  private marksOf(roomId: string): RoomMarks {
    let marks = this.marks.get(roomId);
    if (!marks) {
      marks = { seq: 0, moves: 0, everyone: false, named: new Set(), lastFullRead: Date.now() };
      this.marks.set(roomId, marks);
    }
    return marks;
  }

  private onChange(change: RoomChange): void {
    const marks = this.marks.get(change.roomId);
    if (!marks) return;
    const moves = change.admitted + change.abandoned + change.left;
    const others = change.admissionsExpired + change.completed;
    if (moves + others === 0 && !change.settings) return;
    marks.seq++;
    marks.moves += moves;
    if (change.settings) marks.everyone = true;
    for (const id of change.ticketIds ?? []) marks.named.add(id);
    if (this.rooms.has(change.roomId)) this.dirty.add(change.roomId);
  }

  /** Reads and pushes the marked rooms (and the rooms due for a full read). */
  async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      const now = Date.now();
      for (const roomId of this.rooms.keys()) {
        const marks = this.marksOf(roomId);
        if (now - marks.lastFullRead >= (await this.fullReadMs(roomId))) {
          marks.everyone = true;
          this.dirty.add(roomId);
        }
      }
      const rooms = [...this.dirty];
      this.dirty.clear();
      for (const roomId of rooms) await this.push(roomId, now);
    } finally {
      this.flushing = false;
    }
  }

  /** How often every stream of a room is read: quietRefreshMs, and three times per heartbeat timeout. */
  private async fullReadMs(roomId: string): Promise<number> {
    try {
      const settings = await this.engine.currentSettings(roomId);
      return Math.min(this.options.quietRefreshMs, (settings.heartbeatTimeoutSeconds * 1000) / 3);
    } catch {
      return this.options.quietRefreshMs;
    }
  }

  /** The streams of a room whose news is due now; `later` says whether others have news to come. */
  private due(streams: Map<StatusStream, Entry>, marks: RoomMarks, now: number) {
    const entries: Entry[] = [];
    let later = false;
    for (const entry of streams.values()) {
      if (marks.everyone || marks.named.has(entry.stream.ticketId)) {
        entries.push(entry);
        continue;
      }
      if (entry.seq === marks.seq) continue; // nothing happened since its last read
      const mayHaveChangedState =
        !entry.waiting || entry.position === null || entry.position <= marks.moves - entry.moves;
      if (mayHaveChangedState || now - entry.sentAt >= entry.intervalMs) entries.push(entry);
      else later = true;
    }
    return { entries, later };
  }

  private async push(roomId: string, now: number): Promise<void> {
    const streams = this.rooms.get(roomId);
    if (!streams || streams.size === 0) return;
    const marks = this.marksOf(roomId);
    const { entries, later } = this.due(streams, marks, now);
    const full = marks.everyone;
    const seq = marks.seq;
    const moves = marks.moves;
    marks.everyone = false;
    marks.named.clear();
    if (full) marks.lastFullRead = now;
    if (later) this.dirty.add(roomId);
    if (entries.length === 0) return;
    let statuses: (TicketStatus | null)[];
    try {
      statuses = await this.engine.statuses(
        roomId,
        entries.map((e) => e.stream.ticketId),
      );
    } catch {
      // The store did not answer: read them all again on the next round.
      marks.everyone = true;
      this.dirty.add(roomId);
      return;
    }
    for (let k = 0; k < entries.length; k++) {
      const entry = entries[k]!;
      const status = statuses[k];
      if (!status) {
        entry.stream.end();
        this.remove(entry.stream);
        continue;
      }
      entry.seq = seq;
      entry.moves = moves;
      entry.position = status.position;
      const waiting = status.state === 'waiting';
      const text = JSON.stringify(await this.present(status));
      if (text !== entry.last) {
        entry.last = text;
        entry.sentAt = now;
        entry.waiting = waiting;
        entry.intervalMs = waiting ? pushIntervalMs(status.etaSeconds, this.options.waitingPushMs) : 0;
        if (!entry.stream.write(statusEvent(text))) this.remove(entry.stream);
      }
      if (FINAL_STATES.has(status.state)) {
        entry.stream.end();
        this.remove(entry.stream);
      }
    }
  }

  private keepAlive(): void {
    for (const streams of this.rooms.values()) {
      for (const stream of [...streams.keys()]) if (!stream.write(': keep-alive\n\n')) this.remove(stream);
    }
  }
}

export function statusEvent(json: string): string {
  return `event: status\ndata: ${json}\n\n`;
}
