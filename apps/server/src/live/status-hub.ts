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
}

export interface StatusHubOptions {
  /** How often changed rooms are pushed to their streams. */
  refreshMs: number;
  /** How often a quiet room's streams are read anyway (a sign of life, a fresh estimate). */
  quietRefreshMs: number;
  /** How often a comment line keeps idle connections open (CONTRACT.md: at least every 15 s). */
  keepAliveMs: number;
  /**
   * The least time between two pushes to a ticket that stays waiting (a new position or
   * estimate). A change of state (admitted, expired) is pushed at the next refresh whatever
   * the time; a busy room that moves on every tick sends each stream about one status a
   * second instead of one a tick.
   */
  waitingPushMs: number;
}

const FINAL_STATES = new Set(['completed', 'left', 'expired']);

/**
 * Pushes ticket statuses to open event streams. A room change (an admission, a departure, a
 * new setting) marks the room; every `refreshMs` the marked rooms' streams are read in one
 * batch and each stream is sent its status if it differs from what it last got. An open
 * stream's reads count as signs of life, so a quiet room is still read now and then.
 */
export class StatusHub {
  private readonly rooms = new Map<string, Map<StatusStream, Entry>>();
  private readonly dirty = new Set<string>();
  private readonly lastRead = new Map<string, number>();
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
  }

  /** Registers a stream whose first status (`initial`) the caller has just sent. */
  add(stream: StatusStream, initial: string): void {
    let streams = this.rooms.get(stream.roomId);
    if (!streams) {
      streams = new Map();
      this.rooms.set(stream.roomId, streams);
    }
    streams.set(stream, { stream, last: initial, sentAt: Date.now(), waiting: true });
  }

  remove(stream: StatusStream): void {
    const streams = this.rooms.get(stream.roomId);
    if (!streams) return;
    streams.delete(stream);
    if (streams.size === 0) this.rooms.delete(stream.roomId);
  }

  private onChange(change: RoomChange): void {
    const moves =
      change.admitted + change.abandoned + change.left + change.admissionsExpired + change.completed;
    if ((moves > 0 || change.settings) && this.rooms.has(change.roomId)) this.dirty.add(change.roomId);
  }

  /** Reads and pushes the marked rooms (and quiet ones due for a read). */
  async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      const now = Date.now();
      for (const roomId of this.rooms.keys()) {
        if (now - (this.lastRead.get(roomId) ?? 0) >= this.options.quietRefreshMs) this.dirty.add(roomId);
      }
      const rooms = [...this.dirty];
      this.dirty.clear();
      for (const roomId of rooms) await this.push(roomId, now);
    } finally {
      this.flushing = false;
    }
  }

  private async push(roomId: string, now: number): Promise<void> {
    const streams = this.rooms.get(roomId);
    if (!streams || streams.size === 0) return;
    this.lastRead.set(roomId, now);
    const entries = [...streams.values()];
    let statuses: (TicketStatus | null)[];
    try {
      statuses = await this.engine.statuses(
        roomId,
        entries.map((e) => e.stream.ticketId),
      );
    } catch {
      this.dirty.add(roomId); // the store did not answer: try again on the next round
      return;
    }
    let held = false;
    for (let k = 0; k < entries.length; k++) {
      const entry = entries[k]!;
      const status = statuses[k];
      if (!status) {
        entry.stream.end();
        this.remove(entry.stream);
        continue;
      }
      const waiting = status.state === 'waiting';
      if (waiting && entry.waiting && now - entry.sentAt < this.options.waitingPushMs) {
        // Pushed a moment ago and still waiting: the news waits for a later round.
        held = true;
        continue;
      }
      const text = JSON.stringify(await this.present(status));
      if (text !== entry.last) {
        entry.last = text;
        entry.sentAt = now;
        entry.waiting = waiting;
        if (!entry.stream.write(statusEvent(text))) this.remove(entry.stream);
      }
      if (FINAL_STATES.has(status.state)) {
        entry.stream.end();
        this.remove(entry.stream);
      }
    }
    if (held) this.dirty.add(roomId);
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
