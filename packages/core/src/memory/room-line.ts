import { BASE64URL_ALPHABET, base64urlDigit } from '../base64url.js';
import { lotteryOrder, seedCommitment } from '../lottery.js';
import type { AccuracySample, LotteryDraw, RoomCounters, WaitPredictor } from '../queue-store.js';
import { beforeOpening, type RoomSettings } from '../room.js';
import type { TicketRecord, TicketState } from '../ticket.js';
import { predictWaitSeconds } from '../wait-estimate.js';
import { Fenwick } from './fenwick.js';
import type { EndKind, JournalRecord } from './journal.js';
import { MinHeap } from './min-heap.js';
import { TicketIndex } from './ticket-index.js';

/** A ticket's state as one byte. */
export const St = {
  Waiting: 0,
  Admitted: 1,
  Abandoned: 2,
  Completed: 3,
  Left: 4,
  AdmissionExpired: 5,
} as const;
export type St = (typeof St)[keyof typeof St];

const STATE_NAMES: Record<St, TicketState> = {
  [St.Waiting]: 'waiting',
  [St.Admitted]: 'admitted',
  [St.Abandoned]: 'expired',
  [St.Completed]: 'completed',
  [St.Left]: 'left',
  [St.AdmissionExpired]: 'expired',
};

const END_STATES: Record<EndKind, St> = {
  left: St.Left,
  abandoned: St.Abandoned,
  completed: St.Completed,
  'admission-expired': St.AdmissionExpired,
};

const ACCURACY_KEPT = 1024;
const NONE = -1;

/**
 * A ticket's record: its numbers and its id side by side in RECORD bytes, so that a status
 * read finds them in one place in memory (one or two cache lines) rather than in a column
 * each. Ticket `i`'s Float64 fields are at `f[i * F64S + FIELD]`, its Int32 fields at
 * `n[i * I32S + FIELD]` and its Float32 field at `p[i * I32S + FIELD]`, over the same bytes.
 */
const RECORD = 80;
/** A record's length in Float64 and in Int32 (or Float32) places. */
const F64S = RECORD / 8;
const I32S = RECORD / 4;
/** Float64: when it joined. */
const JOINED = 0;
/** Float64: its last sign of life while waiting; the end time once it has left the line. */
const SEEN = 1;
/** Float64: when it was admitted (NaN: never). */
const ADMITTED = 2;
/** Float64: when its admission runs out (NaN: never admitted). */
const EXPIRES = 3;
/** Float64: when it was last put at the tail of the list of signs of life. */
const LINKED = 4;
/** Int32: the previous and the next ticket in that list (NONE: none). */
const PREV = 10;
const NEXT = 11;
/** Int32: its rank in the line (NONE: in the undrawn pre-queue). */
const RANK = 12;
/** Int32: its St. */
const STATE = 13;
/** Float32: the wait predicted at its join, in seconds (NaN: none). */
const PREDICTED = 14;
/**
 * Int32: the ticket id, when it has the server's form (16 base64url characters, 96 bits) in
 * ID..ID + 2 and COMPACT 1; any other id is kept as a string in `otherIds`, COMPACT 0. A
 * read compares the id it looks up with the record's words, in the place it reads anyway,
 * and the line keeps no string per ticket.
 */
const ID = 15;
const COMPACT = 18;
/** The longest a ticket read waits to be moved to the tail of the list of signs of life. */
const RELINK_MAX_MS = 5000;

/**
 * One room's line in memory, in typed arrays indexed by a ticket's join number (its numbers
 * and its id in one record each, see RECORD), so that a waiting ticket costs about 106 bytes
 * and no JavaScript object:
 *
 * - `rank` orders the line (join order, or the drawn order of a lottery pre-queue), and a
 *   Fenwick tree over ranks counts live waiting tickets, giving positions in O(log n);
 * - a doubly linked list in order of the time each ticket was last put at its tail finds
 *   abandoned tickets without a scan (see `sweep`);
 * - a heap by expiry time finds admissions that ran out.
 */
export class RoomLine {
  settings: RoomSettings;
  createdAt: number;
  updatedAt: number;
  counters: RoomCounters = {
    joinedTotal: 0,
    admittedTotal: 0,
    abandonedTotal: 0,
    leftTotal: 0,
    completedTotal: 0,
    admissionsExpiredTotal: 0,
  };
  waiting = 0;
  active = 0;
  lottery: LotteryDraw | null = null;
  /** The secret seed of the next (or the last) draw, and its public commitment. */
  lotterySeed: string | null = null;
  lotteryCommitment: string | null = null;
  /** The tickets the last draw ranked, in the drawn order. */
  drawOrder: string[] = [];
  /** Rate credit (tickets) and when it was last topped up. */
  credit = 0;
  creditAt: number | null = null;

  private readonly index = new TicketIndex((slot, id) => this.holds(slot, id));
  /** The ids not in the server's form, by slot (tests' and old journals' ids). */
  private readonly otherIds = new Map<number, string>();
  /** An id's words, for a comparison. */
  private readonly idWords = new Int32Array(3);
  private count = 0;
  private capacity = 0;
  /** The tickets' records, RECORD bytes each (see the layout below), seen three ways. */
  private f = new Float64Array(0);
  private n = new Int32Array(0);
  private p = new Float32Array(0);

  private rankToIdx = new Int32Array(1024);
  private readonly waitingByRank = new Fenwick();
  /** No waiting ticket has a rank below `head`. */
  private head = 0;
  private preQueueIdx: number[] = [];
  preQueue = 0;
  private aliveHead = NONE;
  private aliveTail = NONE;
  private readonly expiries = new MinHeap((i) => this.f[i * F64S + EXPIRES]!);
  private readonly accuracy = new Float64Array(ACCURACY_KEPT * 2);
  private accuracyCount = 0;

  constructor(
    settings: RoomSettings,
    createdAt: number,
    private readonly journal: (record: JournalRecord) => void,
  ) {
    this.settings = settings;
    this.createdAt = createdAt;
    this.updatedAt = createdAt;
  }

  // ---- joining and reading -------------------------------------------------------------

  join(ticketId: string, now: number, predictor: WaitPredictor | null): TicketRecord {
    const pre = this.settings.queueMode === 'lottery' && beforeOpening(this.settings, now);
    const i = this.addTicket(ticketId, now, pre);
    const position = pre ? null : this.position(i);
    const pw = predictWaitSeconds(position, predictor);
    this.p[i * I32S + PREDICTED] = pw ?? Number.NaN;
    this.journal({ k: 'join', r: this.settings.id, id: ticketId, at: now, pre, pw });
    return this.record(i, ticketId);
  }

  /** Adds a waiting ticket at the end of the line or to the pre-queue. */
  private addTicket(ticketId: string, now: number, pre: boolean): number {
    if (this.count === this.capacity) this.grow();
    const i = this.count;
    // One lookup in what may be a table of millions, adding the id unless it is there. The
    // id goes into its slot first: the index reads it there when two ids' hashes are equal.
    if (packId(ticketId, this.n, i * I32S + ID)) {
      this.n[i * I32S + COMPACT] = 1;
    } else {
      this.n[i * I32S + COMPACT] = 0;
      this.otherIds.set(i, ticketId);
    }
    if (!this.index.add(ticketId, i)) {
      // The id was taken (ids are 96 random bits, so this is a bug, not bad luck): nothing
      // else changed yet.
      this.otherIds.delete(i);
      throw new Error('ticket id already in use');
    }
    this.count++;
    this.n[i * I32S + STATE] = St.Waiting;
    this.f[i * F64S + JOINED] = now;
    this.f[i * F64S + SEEN] = now;
    this.f[i * F64S + ADMITTED] = Number.NaN;
    this.f[i * F64S + EXPIRES] = Number.NaN;
    this.p[i * I32S + PREDICTED] = Number.NaN;
    this.linkAlive(i, now);
    this.waiting++;
    this.counters.joinedTotal++;
    if (pre) {
      this.n[i * I32S + RANK] = NONE;
      this.preQueueIdx.push(i);
      this.preQueue++;
    } else {
      this.assignRank(i);
    }
    return i;
  }

  private assignRank(i: number): void {
    const r = this.waitingByRank.push(1);
    if (r >= this.rankToIdx.length) {
      const grown = new Int32Array(Math.ceil(this.rankToIdx.length * 1.5));
      grown.set(this.rankToIdx);
      this.rankToIdx = grown;
    }
    this.rankToIdx[r] = i;
    this.n[i * I32S + RANK] = r;
  }

  read(ticketId: string, now: number, touch: boolean): TicketRecord | null {
    const i = this.index.get(ticketId);
    if (i === undefined) return null;
    if (touch && this.n[i * I32S + STATE] === St.Waiting) {
      this.f[i * F64S + SEEN] = now;
      // Moved to the tail only now and then (see `sweep`): most reads of a shopper who polls
      // touch only the ticket's own record, not its neighbours in the list.
      if (now - this.f[i * F64S + LINKED]! >= this.relinkMs()) {
        this.unlinkAlive(i);
        this.linkAlive(i, now);
      }
    }
    return this.record(i, ticketId);
  }

  private position(i: number): number | null {
    if (this.n[i * I32S + STATE] !== St.Waiting) return null;
    const r = this.n[i * I32S + RANK]!;
    return r === NONE ? null : this.waitingByRank.prefix(r);
  }

  /** Ticket `i`'s record; `ticketId`: its id (the one it was found by). */
  private record(i: number, ticketId: string): TicketRecord {
    const st = this.n[i * I32S + STATE] as St;
    const admittedAt = this.f[i * F64S + ADMITTED]!;
    const expiresAt = this.f[i * F64S + EXPIRES]!;
    const pw = this.p[i * I32S + PREDICTED]!;
    return {
      ticketId,
      roomId: this.settings.id,
      state: STATE_NAMES[st],
      position: this.position(i),
      joinedAt: this.f[i * F64S + JOINED]!,
      admittedAt: Number.isNaN(admittedAt) ? null : admittedAt,
      admissionExpiresAt: Number.isNaN(expiresAt) ? null : expiresAt,
      expiryReason:
        st === St.Abandoned ? 'abandoned' : st === St.AdmissionExpired ? 'admission-expired' : null,
      predictedWaitSeconds: Number.isNaN(pw) ? null : pw,
    };
  }

  // ---- leaving the line ----------------------------------------------------------------

  leave(ticketId: string, now: number): TicketRecord | null {
    const i = this.index.get(ticketId);
    if (i === undefined) return null;
    const st = this.n[i * I32S + STATE];
    if (st === St.Waiting || st === St.Admitted) {
      this.end(i, St.Left, now);
      this.journal({ k: 'end', r: this.settings.id, ids: [ticketId], how: 'left', at: now });
    }
    return this.record(i, ticketId);
  }

  /** Takes a ticket out of the waiting line or out of the active set. */
  private end(i: number, to: St, now: number): void {
    const from = this.n[i * I32S + STATE];
    if (from === St.Waiting) {
      this.unlinkAlive(i);
      this.waiting--;
      const r = this.n[i * I32S + RANK]!;
      if (r === NONE) this.preQueue--;
      else this.waitingByRank.add(r, -1);
    } else if (from === St.Admitted) {
      this.active--;
    } else {
      return;
    }
    this.n[i * I32S + STATE] = to;
    this.f[i * F64S + SEEN] = now;
    const c = this.counters;
    if (to === St.Left) c.leftTotal++;
    else if (to === St.Abandoned) c.abandonedTotal++;
    else if (to === St.Completed) c.completedTotal++;
    else if (to === St.AdmissionExpired) c.admissionsExpiredTotal++;
  }

  complete(
    ticketId: string,
    now: number,
  ): 'ok' | 'NOT_FOUND' | 'NOT_ADMITTED' | 'ADMISSION_EXPIRED' | 'ALREADY_COMPLETED' {
    const i = this.index.get(ticketId);
    if (i === undefined) return 'NOT_FOUND';
    const st = this.n[i * I32S + STATE];
    if (st === St.Completed) return 'ALREADY_COMPLETED';
    if (st === St.AdmissionExpired || (st === St.Admitted && this.f[i * F64S + EXPIRES]! <= now))
      return 'ADMISSION_EXPIRED';
    if (st !== St.Admitted) return 'NOT_ADMITTED';
    this.end(i, St.Completed, now);
    this.journal({ k: 'end', r: this.settings.id, ids: [ticketId], how: 'completed', at: now });
    return 'ok';
  }

  recordOf(ticketId: string): TicketRecord | null {
    const i = this.index.get(ticketId);
    return i === undefined ? null : this.record(i, ticketId);
  }

  /** Abandons the silent and expires overdue admissions. */
  sweep(now: number): { abandoned: number; admissionsExpired: number } {
    const cutoff = now - this.settings.heartbeatTimeoutSeconds * 1000;
    const abandoned: string[] = [];
    // The list is in order of the time each ticket was last put at its tail, and a ticket's
    // last sign of life is at most `relinkMs` after that. So every ticket silent since the
    // cutoff is among those put there before it, at the head; those of them seen since (they
    // will be moved on at their next read, or abandoned within `relinkMs`) stay where they are.
    for (let i = this.aliveHead; i !== NONE && this.f[i * F64S + LINKED]! <= cutoff; ) {
      const after = this.n[i * I32S + NEXT]!;
      if (this.f[i * F64S + SEEN]! <= cutoff) {
        this.end(i, St.Abandoned, now);
        abandoned.push(this.idOf(i));
      }
      i = after;
    }
    const expired: string[] = [];
    for (
      let i = this.expiries.peek();
      i !== undefined && this.f[i * F64S + EXPIRES]! <= now;
      i = this.expiries.peek()
    ) {
      this.expiries.pop();
      if (this.n[i * I32S + STATE] !== St.Admitted) continue;
      this.end(i, St.AdmissionExpired, now);
      expired.push(this.idOf(i));
    }
    const r = this.settings.id;
    if (abandoned.length > 0) this.journal({ k: 'end', r, ids: abandoned, how: 'abandoned', at: now });
    if (expired.length > 0) this.journal({ k: 'end', r, ids: expired, how: 'admission-expired', at: now });
    return { abandoned: abandoned.length, admissionsExpired: expired.length };
  }

  // ---- admission -----------------------------------------------------------------------

  /** How many may be admitted now without passing `maxActive`. */
  private room(): number {
    const cap = this.settings.maxActive;
    return cap === null ? Number.POSITIVE_INFINITY : Math.max(0, cap - this.active);
  }

  /** Admits up to `count` of the ranked waiting tickets, in rank order. */
  admit(count: number, now: number): string[] {
    const n = Math.min(count, this.room(), this.waiting - this.preQueue);
    const ids: string[] = [];
    if (n <= 0) return ids;
    const exp = now + this.settings.admissionTtlSeconds * 1000;
    const ranks = this.waitingByRank.length;
    while (ids.length < n && this.head < ranks) {
      const i = this.rankToIdx[this.head]!;
      if (this.n[i * I32S + STATE] === St.Waiting) {
        this.admitOne(i, now, exp);
        ids.push(this.idOf(i));
      }
      this.head++;
    }
    if (ids.length > 0) this.journal({ k: 'admit', r: this.settings.id, ids, at: now, exp });
    return ids;
  }

  private admitOne(i: number, now: number, exp: number): void {
    this.unlinkAlive(i);
    this.waitingByRank.add(this.n[i * I32S + RANK]!, -1);
    this.waiting--;
    this.active++;
    this.n[i * I32S + STATE] = St.Admitted;
    this.f[i * F64S + ADMITTED] = now;
    this.f[i * F64S + EXPIRES] = exp;
    this.expiries.push(i);
    this.counters.admittedTotal++;
    const predicted = this.p[i * I32S + PREDICTED]!;
    if (!Number.isNaN(predicted)) {
      const slot = (this.accuracyCount % ACCURACY_KEPT) * 2;
      this.accuracy[slot] = predicted;
      this.accuracy[slot + 1] = (now - this.f[i * F64S + JOINED]!) / 1000;
      this.accuracyCount++;
    }
  }

  /** Tops up the rate's credit for the time since the last call and admits what it allows. */
  admitByRate(now: number, burstSeconds: number): string[] {
    const perMs = this.settings.admitRatePerMinute / 60_000;
    // One tick's worth plus one ticket: the fraction a tick leaves over carries to the next,
    // or a rate that is not a whole number of tickets a tick would run slow (600 a minute on
    // ticks of 250 ms would admit 2 a tick, 480 a minute).
    const cap = perMs * burstSeconds * 1000 + 1;
    const since = this.creditAt === null ? 0 : Math.max(0, now - this.creditAt);
    this.credit = Math.min(cap, this.credit + since * perMs);
    this.creditAt = now;
    const ids = this.admit(Math.floor(this.credit + 1e-9), now);
    this.credit = Math.max(0, this.credit - ids.length);
    return ids;
  }

  /** Forgets rate credit, so that a pause or a scheduled wait does not bank admissions. */
  holdCredit(now: number): void {
    this.credit = 0;
    this.creditAt = now;
  }

  accuracySamples(): AccuracySample[] {
    const n = Math.min(this.accuracyCount, ACCURACY_KEPT);
    const out: AccuracySample[] = [];
    for (let k = this.accuracyCount - n; k < this.accuracyCount; k++) {
      const slot = (k % ACCURACY_KEPT) * 2;
      out.push({ predictedSeconds: this.accuracy[slot]!, actualSeconds: this.accuracy[slot + 1]! });
    }
    return out;
  }

  // ---- the lottery ---------------------------------------------------------------------

  preQueueIds(): string[] {
    return this.preQueueIdx.filter((i) => this.n[i * I32S + STATE] === St.Waiting).map((i) => this.idOf(i));
  }

  holdSeed(seed: string | null): void {
    this.lotterySeed = seed;
    this.lotteryCommitment = seed === null ? null : seedCommitment(seed);
  }

  /**
   * Whether a change of settings may give the room a new seed (QueueStore.updateRoom): when it
   * holds none, or holds the seed of a draw already made and is before its opening again.
   */
  takesNewSeed(now: number): boolean {
    if (this.lotterySeed === null) return true;
    return this.lottery?.seed === this.lotterySeed && beforeOpening(this.settings, now);
  }

  /** Draws the pre-queue with the seed held; the caller checks that there is one. */
  draw(now: number): number {
    const seed = this.lotterySeed ?? '';
    const ids = lotteryOrder(seed, this.preQueueIds());
    this.applyDraw(ids);
    this.lottery = { drawnAt: now, seed, size: ids.length };
    this.drawOrder = ids;
    this.journal({ k: 'draw', r: this.settings.id, seed, ids, at: now });
    return ids.length;
  }

  private applyDraw(ids: readonly string[]): void {
    for (const id of ids) {
      const i = this.index.get(id);
      if (i === undefined || this.n[i * I32S + STATE] !== St.Waiting || this.n[i * I32S + RANK] !== NONE)
        continue;
      this.assignRank(i);
      this.preQueue--;
    }
    this.preQueueIdx = this.preQueueIdx.filter(
      (i) => this.n[i * I32S + STATE] === St.Waiting && this.n[i * I32S + RANK] === NONE,
    );
  }

  // ---- replay and snapshot -------------------------------------------------------------

  /** Applies a journalled change (no journal write). */
  replay(record: JournalRecord): void {
    switch (record.k) {
      case 'join': {
        const i = this.addTicket(record.id, record.at, record.pre);
        this.p[i * I32S + PREDICTED] = record.pw ?? Number.NaN;
        return;
      }
      case 'admit':
        for (const id of record.ids) {
          const i = this.index.get(id);
          if (i === undefined || this.n[i * I32S + STATE] !== St.Waiting || this.n[i * I32S + RANK] === NONE)
            continue;
          this.admitOne(i, record.at, record.exp);
        }
        this.advanceHead();
        return;
      case 'end':
        for (const id of record.ids) {
          const i = this.index.get(id);
          if (i !== undefined) this.end(i, END_STATES[record.how], record.at);
        }
        return;
      case 'draw':
        this.applyDraw(record.ids);
        this.lottery = { drawnAt: record.at, seed: record.seed, size: record.size ?? record.ids.length };
        this.drawOrder = record.ids;
        // A journal from before seeds were held at scheduling: the drawn seed is the one held.
        if (this.lotterySeed === null) this.holdSeed(record.seed);
        return;
      case 'counters':
        this.counters = { ...record.counters };
        return;
      case 'ticket':
        this.restoreTicket(record);
        return;
      case 'room':
        return;
    }
  }

  private restoreTicket(t: Extract<JournalRecord, { k: 'ticket' }>): void {
    const before = { ...this.counters };
    const i = this.addTicket(t.id, t.j, t.pre);
    this.p[i * I32S + PREDICTED] = t.pw ?? Number.NaN;
    const st = t.st as St;
    if (st === St.Admitted || (st !== St.Waiting && t.a !== null)) {
      this.admitOne(i, t.a ?? t.j, t.e ?? t.j);
    }
    if (st !== St.Waiting && st !== St.Admitted) this.end(i, st, t.end ?? t.j);
    this.counters = before; // a snapshot's totals come from its `counters` record
    this.advanceHead();
  }

  private advanceHead(): void {
    const ranks = this.waitingByRank.length;
    while (this.head < ranks && this.n[this.rankToIdx[this.head]! * I32S + STATE] !== St.Waiting) this.head++;
  }

  /** After a restart, every waiting ticket gets a fresh heartbeat window. */
  reviveAll(now: number): void {
    for (let i = this.aliveHead; i !== NONE; i = this.n[i * I32S + NEXT]!) {
      this.f[i * F64S + SEEN] = now;
      this.f[i * F64S + LINKED] = now;
    }
  }

  /**
   * The records that rebuild this room: tickets in line order (ranked ones by rank, then
   * the undrawn pre-queue in join order), ended tickets younger than `keepEndedMs` included.
   */
  *snapshot(now: number, keepEndedMs: number): Generator<JournalRecord> {
    const r = this.settings.id;
    yield { k: 'counters', r, counters: { ...this.counters } };
    const draw = this.lottery;
    // The drawn order goes along (it ranks nobody here: the tickets come after), so that the
    // published draw outlives the tickets that were in it.
    if (draw) yield { k: 'draw', r, seed: draw.seed, ids: this.drawOrder, at: draw.drawnAt, size: draw.size };
    const emit = (i: number, pre: boolean): JournalRecord | null => {
      const st = this.n[i * I32S + STATE] as St;
      const ended = st !== St.Waiting && st !== St.Admitted;
      if (ended && now - this.f[i * F64S + SEEN]! > keepEndedMs) return null;
      const a = this.f[i * F64S + ADMITTED]!;
      const e = this.f[i * F64S + EXPIRES]!;
      const pw = this.p[i * I32S + PREDICTED]!;
      return {
        k: 'ticket',
        r,
        id: this.idOf(i),
        st,
        pre,
        j: this.f[i * F64S + JOINED]!,
        a: Number.isNaN(a) ? null : a,
        e: Number.isNaN(e) ? null : e,
        end: ended ? this.f[i * F64S + SEEN]! : null,
        pw: Number.isNaN(pw) ? null : pw,
      };
    };
    const ranks = this.waitingByRank.length;
    for (let k = 0; k < ranks; k++) {
      const rec = emit(this.rankToIdx[k]!, false);
      if (rec) yield rec;
    }
    for (let i = 0; i < this.count; i++) {
      if (this.n[i * I32S + RANK] !== NONE) continue;
      const rec = emit(i, this.n[i * I32S + STATE] === St.Waiting);
      if (rec) yield rec;
    }
  }

  // ---- storage -------------------------------------------------------------------------

  /** Ticket `i`'s id. */
  private idOf(i: number): string {
    return this.n[i * I32S + COMPACT] === 1 ? unpackId(this.n, i * I32S + ID) : this.otherIds.get(i)!;
  }

  /** Whether ticket `i`'s id is `id`. */
  private holds(i: number, id: string): boolean {
    if (this.n[i * I32S + COMPACT] !== 1) return this.otherIds.get(i) === id;
    const words = this.idWords;
    if (!packId(id, words, 0)) return false;
    const at = i * I32S + ID;
    return words[0] === this.n[at] && words[1] === this.n[at + 1] && words[2] === this.n[at + 2];
  }

  /** Puts ticket `i` at the tail of the list of signs of life, at `now`. */
  private linkAlive(i: number, now: number): void {
    this.f[i * F64S + LINKED] = now;
    this.n[i * I32S + PREV] = this.aliveTail;
    this.n[i * I32S + NEXT] = NONE;
    if (this.aliveTail === NONE) this.aliveHead = i;
    else this.n[this.aliveTail * I32S + NEXT] = i;
    this.aliveTail = i;
  }

  private unlinkAlive(i: number): void {
    const before = this.n[i * I32S + PREV]!;
    const after = this.n[i * I32S + NEXT]!;
    if (before === NONE) this.aliveHead = after;
    else this.n[before * I32S + NEXT] = after;
    if (after === NONE) this.aliveTail = before;
    else this.n[after * I32S + PREV] = before;
  }

  /**
   * How long after being put at the tail a ticket read is put there again: an eighth of the
   * heartbeat timeout, at most RELINK_MAX_MS. A silent ticket is still abandoned exactly when
   * its timeout runs out; `sweep` only looks at up to this much more of the list.
   */
  private relinkMs(): number {
    return Math.min(this.settings.heartbeatTimeoutSeconds * 125, RELINK_MAX_MS);
  }

  private grow(): void {
    const capacity = Math.max(1024, Math.ceil(this.capacity * 1.5));
    const bytes = new ArrayBuffer(capacity * RECORD);
    new Uint8Array(bytes).set(new Uint8Array(this.f.buffer, 0, this.count * RECORD));
    this.f = new Float64Array(bytes);
    this.n = new Int32Array(bytes);
    this.p = new Float32Array(bytes);
    this.capacity = capacity;
  }
}

const BASE64URL_CODES = Array.from(BASE64URL_ALPHABET, (c) => c.charCodeAt(0));

/**
 * Writes an id of the server's form (16 base64url characters: 96 bits) into three words of
 * `into` from `at`: characters 0-4, 5-9 and 10-14 in the low 30 bits of each, the 16th
 * character's six bits two to a word in their top bits. False, writing nothing that counts,
 * for any other id.
 */
function packId(id: string, into: Int32Array, at: number): boolean {
  if (id.length !== 16) return false;
  const last = base64urlDigit(id, 15);
  if (last < 0) return false;
  for (let w = 0; w < 3; w++) {
    let word = 0;
    for (let k = 5 * w; k < 5 * w + 5; k++) {
      const digit = base64urlDigit(id, k);
      if (digit < 0) return false;
      word = (word << 6) | digit;
    }
    into[at + w] = word | (((last >> (2 * w)) & 3) << 30);
  }
  return true;
}

/** The id `packId` wrote at `at`. */
function unpackId(from: Int32Array, at: number): string {
  const codes = new Array<number>(16);
  let last = 0;
  for (let w = 0; w < 3; w++) {
    const word = from[at + w]!;
    for (let k = 4; k >= 0; k--) codes[5 * w + k] = BASE64URL_CODES[(word >> (6 * (4 - k))) & 63]!;
    last |= ((word >>> 30) & 3) << (2 * w);
  }
  codes[15] = BASE64URL_CODES[last]!;
  return String.fromCharCode(...codes);
}
