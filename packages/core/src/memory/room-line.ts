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
 * One room's line in memory, held column by column in typed arrays indexed by a ticket's
 * join number, so that a waiting ticket costs a little over 100 bytes of heap:
 *
 * - `rank` orders the line (join order, or the drawn order of a lottery pre-queue), and a
 *   Fenwick tree over ranks counts live waiting tickets, giving positions in O(log n);
 * - a doubly linked list in order of last sign of life finds abandoned tickets without a scan;
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

  private readonly index = new TicketIndex((slot) => this.ids[slot]!);
  private ids: string[] = [];
  private count = 0;
  private capacity = 0;
  private state = new Uint8Array(0);
  private rank = new Int32Array(0);
  private joinedAt = new Float64Array(0);
  /** Last sign of life while waiting; the end time once the ticket has left the line. */
  private lastSeen = new Float64Array(0);
  private prev = new Int32Array(0);
  private next = new Int32Array(0);
  private admittedAt = new Float64Array(0);
  private expiresAt = new Float64Array(0);
  private predicted = new Float32Array(0);

  private rankToIdx = new Int32Array(1024);
  private readonly waitingByRank = new Fenwick();
  /** No waiting ticket has a rank below `head`. */
  private head = 0;
  private preQueueIdx: number[] = [];
  preQueue = 0;
  private aliveHead = NONE;
  private aliveTail = NONE;
  private readonly expiries = new MinHeap((i) => this.expiresAt[i]!);
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
    this.predicted[i] = pw ?? Number.NaN;
    this.journal({ k: 'join', r: this.settings.id, id: ticketId, at: now, pre, pw });
    return this.record(i);
  }

  /** Adds a waiting ticket at the end of the line or to the pre-queue. */
  private addTicket(ticketId: string, now: number, pre: boolean): number {
    if (this.count === this.capacity) this.grow();
    const i = this.count;
    // One lookup in what may be a table of millions, adding the id unless it is there. The
    // id goes into its slot first: the index reads it there when two ids' hashes are equal.
    this.ids.push(ticketId);
    if (!this.index.add(ticketId, i)) {
      // The id was taken (ids are 96 random bits, so this is a bug, not bad luck): nothing
      // else changed yet.
      this.ids.pop();
      throw new Error('ticket id already in use');
    }
    this.count++;
    this.state[i] = St.Waiting;
    this.joinedAt[i] = now;
    this.lastSeen[i] = now;
    this.admittedAt[i] = Number.NaN;
    this.expiresAt[i] = Number.NaN;
    this.predicted[i] = Number.NaN;
    this.linkAlive(i);
    this.waiting++;
    this.counters.joinedTotal++;
    if (pre) {
      this.rank[i] = NONE;
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
    this.rank[i] = r;
  }

  read(ticketId: string, now: number, touch: boolean): TicketRecord | null {
    const i = this.index.get(ticketId);
    if (i === undefined) return null;
    if (touch && this.state[i] === St.Waiting) {
      this.lastSeen[i] = now;
      this.unlinkAlive(i);
      this.linkAlive(i);
    }
    return this.record(i);
  }

  private position(i: number): number | null {
    if (this.state[i] !== St.Waiting) return null;
    const r = this.rank[i]!;
    return r === NONE ? null : this.waitingByRank.prefix(r);
  }

  private record(i: number): TicketRecord {
    const st = this.state[i] as St;
    const admittedAt = this.admittedAt[i]!;
    const expiresAt = this.expiresAt[i]!;
    const pw = this.predicted[i]!;
    return {
      ticketId: this.ids[i]!,
      roomId: this.settings.id,
      state: STATE_NAMES[st],
      position: this.position(i),
      joinedAt: this.joinedAt[i]!,
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
    const st = this.state[i];
    if (st === St.Waiting || st === St.Admitted) {
      this.end(i, St.Left, now);
      this.journal({ k: 'end', r: this.settings.id, ids: [ticketId], how: 'left', at: now });
    }
    return this.record(i);
  }

  /** Takes a ticket out of the waiting line or out of the active set. */
  private end(i: number, to: St, now: number): void {
    const from = this.state[i];
    if (from === St.Waiting) {
      this.unlinkAlive(i);
      this.waiting--;
      const r = this.rank[i]!;
      if (r === NONE) this.preQueue--;
      else this.waitingByRank.add(r, -1);
    } else if (from === St.Admitted) {
      this.active--;
    } else {
      return;
    }
    this.state[i] = to;
    this.lastSeen[i] = now;
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
    const st = this.state[i];
    if (st === St.Completed) return 'ALREADY_COMPLETED';
    if (st === St.AdmissionExpired || (st === St.Admitted && this.expiresAt[i]! <= now))
      return 'ADMISSION_EXPIRED';
    if (st !== St.Admitted) return 'NOT_ADMITTED';
    this.end(i, St.Completed, now);
    this.journal({ k: 'end', r: this.settings.id, ids: [ticketId], how: 'completed', at: now });
    return 'ok';
  }

  recordOf(ticketId: string): TicketRecord | null {
    const i = this.index.get(ticketId);
    return i === undefined ? null : this.record(i);
  }

  /** Abandons the silent and expires overdue admissions. */
  sweep(now: number): { abandoned: number; admissionsExpired: number } {
    const cutoff = now - this.settings.heartbeatTimeoutSeconds * 1000;
    const abandoned: string[] = [];
    while (this.aliveHead !== NONE && this.lastSeen[this.aliveHead]! <= cutoff) {
      const i = this.aliveHead;
      this.end(i, St.Abandoned, now);
      abandoned.push(this.ids[i]!);
    }
    const expired: string[] = [];
    for (
      let i = this.expiries.peek();
      i !== undefined && this.expiresAt[i]! <= now;
      i = this.expiries.peek()
    ) {
      this.expiries.pop();
      if (this.state[i] !== St.Admitted) continue;
      this.end(i, St.AdmissionExpired, now);
      expired.push(this.ids[i]!);
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
      if (this.state[i] === St.Waiting) {
        this.admitOne(i, now, exp);
        ids.push(this.ids[i]!);
      }
      this.head++;
    }
    if (ids.length > 0) this.journal({ k: 'admit', r: this.settings.id, ids, at: now, exp });
    return ids;
  }

  private admitOne(i: number, now: number, exp: number): void {
    this.unlinkAlive(i);
    this.waitingByRank.add(this.rank[i]!, -1);
    this.waiting--;
    this.active++;
    this.state[i] = St.Admitted;
    this.admittedAt[i] = now;
    this.expiresAt[i] = exp;
    this.expiries.push(i);
    this.counters.admittedTotal++;
    const predicted = this.predicted[i]!;
    if (!Number.isNaN(predicted)) {
      const slot = (this.accuracyCount % ACCURACY_KEPT) * 2;
      this.accuracy[slot] = predicted;
      this.accuracy[slot + 1] = (now - this.joinedAt[i]!) / 1000;
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
    return this.preQueueIdx.filter((i) => this.state[i] === St.Waiting).map((i) => this.ids[i]!);
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
      if (i === undefined || this.state[i] !== St.Waiting || this.rank[i] !== NONE) continue;
      this.assignRank(i);
      this.preQueue--;
    }
    this.preQueueIdx = this.preQueueIdx.filter((i) => this.state[i] === St.Waiting && this.rank[i] === NONE);
  }

  // ---- replay and snapshot -------------------------------------------------------------

  /** Applies a journalled change (no journal write). */
  replay(record: JournalRecord): void {
    switch (record.k) {
      case 'join': {
        const i = this.addTicket(record.id, record.at, record.pre);
        this.predicted[i] = record.pw ?? Number.NaN;
        return;
      }
      case 'admit':
        for (const id of record.ids) {
          const i = this.index.get(id);
          if (i === undefined || this.state[i] !== St.Waiting || this.rank[i] === NONE) continue;
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
    this.predicted[i] = t.pw ?? Number.NaN;
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
    while (this.head < ranks && this.state[this.rankToIdx[this.head]!] !== St.Waiting) this.head++;
  }

  /** After a restart, every waiting ticket gets a fresh heartbeat window. */
  reviveAll(now: number): void {
    for (let i = this.aliveHead; i !== NONE; i = this.next[i]!) this.lastSeen[i] = now;
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
      const st = this.state[i] as St;
      const ended = st !== St.Waiting && st !== St.Admitted;
      if (ended && now - this.lastSeen[i]! > keepEndedMs) return null;
      const a = this.admittedAt[i]!;
      const e = this.expiresAt[i]!;
      const pw = this.predicted[i]!;
      return {
        k: 'ticket',
        r,
        id: this.ids[i]!,
        st,
        pre,
        j: this.joinedAt[i]!,
        a: Number.isNaN(a) ? null : a,
        e: Number.isNaN(e) ? null : e,
        end: ended ? this.lastSeen[i]! : null,
        pw: Number.isNaN(pw) ? null : pw,
      };
    };
    const ranks = this.waitingByRank.length;
    for (let k = 0; k < ranks; k++) {
      const rec = emit(this.rankToIdx[k]!, false);
      if (rec) yield rec;
    }
    for (let i = 0; i < this.count; i++) {
      if (this.rank[i] !== NONE) continue;
      const rec = emit(i, this.state[i] === St.Waiting);
      if (rec) yield rec;
    }
  }

  // ---- storage -------------------------------------------------------------------------

  private linkAlive(i: number): void {
    this.prev[i] = this.aliveTail;
    this.next[i] = NONE;
    if (this.aliveTail === NONE) this.aliveHead = i;
    else this.next[this.aliveTail] = i;
    this.aliveTail = i;
  }

  private unlinkAlive(i: number): void {
    const p = this.prev[i]!;
    const n = this.next[i]!;
    if (p === NONE) this.aliveHead = n;
    else this.next[p] = n;
    if (n === NONE) this.aliveTail = p;
    else this.prev[n] = p;
  }

  private grow(): void {
    const capacity = Math.max(1024, Math.ceil(this.capacity * 1.5));
    const grow = <T extends Uint8Array | Int32Array | Float64Array | Float32Array>(
      old: T,
      make: (n: number) => T,
    ) => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.state = grow(this.state, (n) => new Uint8Array(n));
    this.rank = grow(this.rank, (n) => new Int32Array(n));
    this.joinedAt = grow(this.joinedAt, (n) => new Float64Array(n));
    this.lastSeen = grow(this.lastSeen, (n) => new Float64Array(n));
    this.prev = grow(this.prev, (n) => new Int32Array(n));
    this.next = grow(this.next, (n) => new Int32Array(n));
    this.admittedAt = grow(this.admittedAt, (n) => new Float64Array(n));
    this.expiresAt = grow(this.expiresAt, (n) => new Float64Array(n));
    this.predicted = grow(this.predicted, (n) => new Float32Array(n));
    this.capacity = capacity;
  }
}
