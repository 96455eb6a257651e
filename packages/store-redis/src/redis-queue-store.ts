import {
  type AccuracySample,
  type AdmitOutcome,
  type CompleteOutcome,
  type CreateRoomOutcome,
  type DrawnLottery,
  type DrawOutcome,
  type ExpiryReason,
  type JoinInput,
  type JoinOutcome,
  lotteryOrder,
  opensAtMs,
  type QueueStore,
  type ReadOptions,
  type RoomSettings,
  type RoomSettingsPatch,
  type RoomState,
  type SweepOutcome,
  seedCommitment,
  type TicketRecord,
  type TicketState,
  UnavailableError,
} from '@waitroom/core';
import { Cluster, type Redis, ReplyError } from 'ioredis';
import { loadScripts, ROOM_KEY_COUNT, SCRIPT_NAMES, type ScriptName, type StoreScripts } from './scripts.js';
import { batchPerTurn } from './turn-batch.js';

export type RedisClient = Redis | Cluster;

export interface RedisQueueStoreOptions {
  /** A connected client (see `connectRedis`): one node or a cluster. */
  client: RedisClient;
  /** Put before every key, so that several products or test runs can share one Redis. */
  keyPrefix?: string;
  /** Quit the client on `close()` (default true). */
  ownsClient?: boolean;
  /** Tickets one sweep script looks at before it lets other commands run (default 5000). */
  sweepBudget?: number;
  /**
   * 'auto' (default): a Redis function library where the server has functions (Redis 7+),
   * plain scripts otherwise; 'scripts' always uses plain scripts.
   */
  steps?: 'auto' | 'scripts';
  /**
   * The client's command timeout (connectRedis: 2000 ms). A join or an admission that reaches
   * Redis after it passed does nothing: the caller was already told it failed.
   */
  commandTimeoutMs?: number;
}

/** The longest ticket id a record holds (lib.lua, ID_MAX); the server's ids have 16 characters. */
export const MAX_TICKET_ID_BYTES = 16;

const STATES: TicketState[] = ['waiting', 'admitted', 'expired', 'completed', 'left', 'expired'];
const REASONS: (ExpiryReason | null)[] = [null, null, 'abandoned', null, null, 'admission-expired'];

type ScriptCaller = (...args: (string | number)[]) => Promise<unknown>;

/** The most joins one script call takes (the script unpacks a few values per ticket). */
const MAX_JOIN_BATCH = 500;

/**
 * The queue store on Redis: every room's line shared by any number of server instances.
 * Each step is one Lua script (../lua), so that it is atomic however instances interleave;
 * a room's keys share its hash tag, so that the store runs on a Redis Cluster unchanged.
 *
 * A waiting ticket costs one entry in a hash (its id), a fixed 46-byte record, four bytes in
 * a rank index and one entry in a heartbeat wheel: about 141 bytes of Redis memory in all
 * (bench/ measures it). Positions come from the gaps ahead of the room's head (lib.lua), one
 * sorted-set entry per ticket that left the line ahead of it: O(log n) a read.
 */
export class RedisQueueStore implements QueueStore {
  readonly kind = 'redis';
  readonly client: RedisClient;
  readonly keyPrefix: string;
  /**
   * On one node, a join's limit is counted in the join's own script: the limit's keys are not
   * the room's, which a cluster would refuse (they live in another slot).
   */
  readonly countsJoinLimits: boolean;
  private readonly ownsClient: boolean;
  private readonly sweepBudget: number;
  private readonly scripts: Record<ScriptName, ScriptCaller>;
  private readonly sources: StoreScripts;
  /** How the steps are called: null until found out (see `prepare`). */
  private mode: 'functions' | 'scripts' | null;
  private preparing: Promise<void> | null = null;
  private readonly keyCache = new Map<string, string>();
  private readonly commandTimeoutMs: number;
  /** Redis's clock minus ours (ms), measured now and then; see `deadline`. */
  private clockOffset = 0;
  private offsetAt = Number.NEGATIVE_INFINITY;

  constructor(options: RedisQueueStoreOptions) {
    this.client = options.client;
    this.countsJoinLimits = !(options.client instanceof Cluster);
    this.keyPrefix = options.keyPrefix ?? 'wr:';
    this.ownsClient = options.ownsClient ?? true;
    this.sweepBudget = options.sweepBudget ?? 5000;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 2000;
    const sources = loadScripts();
    this.sources = sources;
    this.mode = options.steps === 'scripts' ? 'scripts' : null;
    const callers = {} as Record<ScriptName, ScriptCaller>;
    for (const name of SCRIPT_NAMES) {
      const command = `waitroom_${name.replaceAll('-', '_')}`;
      this.client.defineCommand(command, { numberOfKeys: ROOM_KEY_COUNT, lua: sources.scripts[name] });
      const fn = (this.client as unknown as Record<string, ScriptCaller>)[command];
      if (!fn) throw new Error(`could not define the script ${name}`);
      callers[name] = fn.bind(this.client);
    }
    this.scripts = callers;
    this.deadline(); // measures the clock offset before the first step needs it
  }

  /** The room's base key, `<prefix>{<roomId>}:`; lib.lua lists the keys below it. */
  private base(roomId: string): string {
    let base = this.keyCache.get(roomId);
    if (base === undefined) {
      base = `${this.keyPrefix}{${roomId}}:`;
      if (this.keyCache.size > 10_000) this.keyCache.clear();
      this.keyCache.set(roomId, base);
    }
    return base;
  }

  private get roomsKey(): string {
    return `${this.keyPrefix}rooms`;
  }

  private async run(name: ScriptName, roomId: string, args: (string | number)[]): Promise<unknown> {
    if (this.mode === null) await this.prepare();
    if (this.mode === 'scripts') return this.guard(this.scripts[name](this.base(roomId), ...args));
    const call = () =>
      this.client.fcall(this.sources.functions[name], ROOM_KEY_COUNT, this.base(roomId), ...args);
    try {
      return await call();
    } catch (error) {
      // A Redis restarted without persistence, or a node new to the cluster, has no library.
      if (!(error instanceof ReplyError) || !/function not found/i.test((error as Error).message)) {
        throw isOutage(error) ? new UnavailableError() : error;
      }
      await this.guard(this.loadLibrary());
      return this.guard(call());
    }
  }

  /** Loads the function library, or falls back to plain scripts on a Redis without functions. */
  private prepare(): Promise<void> {
    this.preparing ??= this.loadLibrary()
      .then(() => {
        this.mode = 'functions';
      })
      .catch((error: unknown) => {
        this.preparing = null;
        if (
          error instanceof ReplyError &&
          /unknown command|unknown subcommand/i.test((error as Error).message)
        ) {
          this.mode = 'scripts';
          return;
        }
        throw isOutage(error) ? new UnavailableError() : error;
      });
    return this.preparing;
  }

  private async loadLibrary(): Promise<void> {
    const nodes: Redis[] = this.client instanceof Cluster ? this.client.nodes('master') : [this.client];
    await Promise.all(
      nodes.map(async (node) => {
        try {
          await node.call('FUNCTION', 'LOAD', this.sources.library);
        } catch (error) {
          if (!/already exists/i.test((error as Error).message)) throw error;
        }
      }),
    );
  }

  /** Turns a lost or failing Redis into the 503 a caller can act on; a script error stays a bug. */
  private async guard<T>(pending: Promise<T>): Promise<T> {
    try {
      return await pending;
    } catch (error) {
      throw isOutage(error) ? new UnavailableError() : error;
    }
  }

  /**
   * When a step sent now stops being wanted, in Redis's clock: the scripts compare it with
   * Redis's TIME, so that the clocks of the server and of Redis need not agree.
   */
  private deadline(): number {
    const now = Date.now();
    if (now - this.offsetAt > 60_000) {
      this.offsetAt = now;
      const sent = now;
      this.client
        .time()
        .then(([seconds, micros]) => {
          const back = Date.now();
          this.clockOffset = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - (sent + back) / 2;
        })
        .catch(() => {
          this.offsetAt = Number.NEGATIVE_INFINITY;
        });
    }
    return Math.round(now + this.clockOffset + this.commandTimeoutMs);
  }

  // ---- rooms -----------------------------------------------------------------------------

  async createRoom(settings: RoomSettings, now: number, lotterySeed?: string): Promise<CreateRoomOutcome> {
    // The index of rooms is a key of its own (another slot in a cluster): add to it first, so
    // that a room is never missing from it; listRooms skips an id whose room does not exist.
    await this.guard(this.client.sadd(this.roomsKey, settings.id));
    const answer = await secretArgs(
      this.run('create-room', settings.id, [now, lotterySeed ?? '', ...settingsFields(settings)]),
    );
    if (answer === 'ROOM_EXISTS') return { ok: false, reason: 'ROOM_EXISTS' };
    const room = await this.getRoom(settings.id);
    if (!room) throw new Error(`room ${settings.id} vanished after it was created`);
    return { ok: true, room };
  }

  async updateRoom(
    roomId: string,
    patch: RoomSettingsPatch,
    now: number,
    lotterySeed?: string,
  ): Promise<RoomState | null> {
    const answer = await secretArgs(
      this.run('update-room', roomId, [now, lotterySeed ?? '', ...settingsFields(patch)]),
    );
    if (answer === 'ROOM_NOT_FOUND') return null;
    return this.getRoom(roomId);
  }

  async getRoom(roomId: string): Promise<RoomState | null> {
    const m = await this.guard(this.client.hgetall(`${this.base(roomId)}m`));
    return m.status === undefined ? null : roomStateOf(roomId, m);
  }

  async listRooms(): Promise<RoomState[]> {
    const ids = await this.guard(this.client.smembers(this.roomsKey));
    ids.sort();
    const rooms = await Promise.all(ids.map((id) => this.getRoom(id)));
    return rooms.filter((room): room is RoomState => room !== null);
  }

  // ---- tickets ---------------------------------------------------------------------------

  /**
   * Puts a new ticket at the end of the line. Joins of a room made in the same turn of the
   * event loop (a crowd arriving at once) go to Redis together, in the order they came, as one
   * `join` step at the end of the turn: one round trip and one script call for all of them.
   */
  join(roomId: string, input: JoinInput): Promise<JoinOutcome> {
    if (Buffer.byteLength(input.ticketId) > MAX_TICKET_ID_BYTES || input.ticketId === '') {
      return Promise.reject(new Error(`ticket ids must have 1 to ${MAX_TICKET_ID_BYTES} bytes`));
    }
    if (input.limit !== undefined && !this.countsJoinLimits) {
      return Promise.reject(new Error('a Redis Cluster does not count join limits in the join'));
    }
    return this.joinBatch(roomId, input);
  }

  private readonly joinBatch = batchPerTurn(async (roomId: string, inputs: JoinInput[]) => {
    // One clock and one predictor for the batch: the latest caller's (all within one turn).
    let input = inputs[0]!;
    for (const other of inputs) if (other.now >= input.now) input = other;
    const p = input.predictor;
    const args: (string | number)[] = [
      input.now,
      p ? p.perSecond : '',
      p ? p.abandonPerSecond : '',
      p ? p.delaySeconds : '',
      this.deadline(),
      inputs.find((i) => i.limit)?.limit?.windowMs ?? '',
    ];
    for (const i of inputs) args.push(i.ticketId, i.limit?.key ?? '', i.limit?.max ?? '');
    const answer = (await this.run('join', roomId, args)) as string[];
    const head = answer[0];
    if (head === 'TOO_LATE') throw new UnavailableError();
    if (head === 'ROOM_NOT_FOUND' || head === 'ROOM_CLOSED' || head === 'DRAW_PENDING') {
      return inputs.map((): JoinOutcome => ({ ok: false, reason: head }));
    }
    if (head !== 'OK') throw new Error(`unexpected answer to join: ${String(head)}`);
    // One entry per join, in order: its ticket, '' for an id already in use, or 'L<ms>' past
    // the join limit.
    return answer.slice(1).map((entry): JoinOutcome | Error => {
      if (entry === '') return new Error('ticket id already in use');
      if (entry[0] === 'L')
        return { ok: false, reason: 'RATE_LIMITED', retryAfterMs: Number(entry.slice(1)) };
      return { ok: true, ticket: ticketOf(roomId, entry) };
    });
  }, MAX_JOIN_BATCH);

  /**
   * One ticket's read. Reads of a room made in the same turn of the event loop (many shoppers
   * polling at once) go to Redis together, as one `read-tickets` step at the end of the turn:
   * one round trip and one script call for all of them instead of one each.
   */
  readTicket(roomId: string, ticketId: string, options: ReadOptions): Promise<TicketRecord | null> {
    return this.readBatch(options.touch ? `1${roomId}` : `0${roomId}`, { ticketId, now: options.now });
  }

  private readonly readBatch = batchPerTurn((key: string, reads: { ticketId: string; now: number }[]) => {
    // One clock for the batch: the latest of its callers' (they are within the same turn).
    let now = reads[0]!.now;
    for (const read of reads) if (read.now > now) now = read.now;
    return this.readTickets(
      key.slice(1),
      reads.map((r) => r.ticketId),
      { now, touch: key[0] === '1' },
    );
  });

  async readTickets(
    roomId: string,
    ticketIds: readonly string[],
    options: ReadOptions,
  ): Promise<(TicketRecord | null)[]> {
    const out: (TicketRecord | null)[] = [];
    // Big batches (a live stream's room) go in slices, so that no one script holds Redis long.
    for (let from = 0; from < ticketIds.length; from += 2000) {
      const slice = ticketIds.slice(from, from + 2000);
      const answer = (await this.run('read-tickets', roomId, [
        options.now,
        options.touch ? '1' : '0',
        ...slice,
      ])) as string[];
      for (const entry of answer) out.push(entry === '' ? null : ticketOf(roomId, entry));
    }
    return out;
  }

  async leave(roomId: string, ticketId: string, now: number): Promise<TicketRecord | null> {
    const answer = (await this.run('leave', roomId, [ticketId, now])) as string[];
    return answer.length === 0 ? null : ticketOf(roomId, answer[0]!);
  }

  async complete(roomId: string, ticketId: string, now: number): Promise<CompleteOutcome> {
    const answer = (await this.run('complete', roomId, [ticketId, now])) as string[];
    const head = answer[0];
    if (head === 'OK') return { ok: true, ticket: ticketOf(roomId, answer[1]!) };
    if (
      head === 'NOT_FOUND' ||
      head === 'NOT_ADMITTED' ||
      head === 'ADMISSION_EXPIRED' ||
      head === 'ALREADY_COMPLETED'
    ) {
      return { ok: false, reason: head };
    }
    throw new Error(`unexpected answer to complete: ${String(head)}`);
  }

  // ---- admission -------------------------------------------------------------------------

  async admit(roomId: string, count: number, now: number): Promise<AdmitOutcome> {
    return admitOutcome(
      await this.run('admit', roomId, [Math.max(0, Math.floor(count)), now, this.deadline()]),
    );
  }

  async admitByRate(roomId: string, now: number, burstSeconds: number): Promise<AdmitOutcome> {
    return admitOutcome(await this.run('admit-by-rate', roomId, [now, burstSeconds]));
  }

  async sweep(roomId: string, now: number): Promise<SweepOutcome> {
    const total: SweepOutcome = { abandoned: 0, admissionsExpired: 0 };
    // Each script looks at a bounded number of tickets; go on until nothing is left.
    for (;;) {
      const [abandoned, expired, more] = (await this.run('sweep', roomId, [
        now,
        this.sweepBudget,
      ])) as number[];
      total.abandoned += abandoned ?? 0;
      total.admissionsExpired += expired ?? 0;
      if (more !== 1) return total;
    }
  }

  async drawLottery(roomId: string, now: number): Promise<DrawOutcome> {
    // The order needs SHA-256 (lottery.ts), which Redis scripts lack: read the pre-queue and
    // the seed held, order it here, and apply the order only if nobody joined the pre-queue
    // and the seed did not change meanwhile.
    for (let attempt = 0; attempt < 10; attempt++) {
      const read = (await this.run('lottery-read', roomId, [])) as string[];
      const version = read[0];
      if (!version) return { drawn: false, size: 0 };
      const seed = read[1] ?? '';
      const seqOf = new Map<string, string>();
      for (let k = 2; k + 1 < read.length; k += 2) seqOf.set(read[k + 1]!, read[k]!);
      if (seqOf.size === 0) return { drawn: false, size: 0 };
      if (seed === '') return { drawn: false, size: 0, needsSeed: true };
      const order = lotteryOrder(seed, [...seqOf.keys()]).map((id) => seqOf.get(id)!);
      const answer = (await secretArgs(
        this.run('lottery-draw', roomId, [seed, now, version, ...order]),
      )) as string[];
      if (answer[0] === 'OK') return { drawn: true, size: Number(answer[1]) };
      if (answer[0] === 'NONE') return { drawn: false, size: 0 };
    }
    throw new UnavailableError('The lottery could not be drawn while shoppers kept joining; try again');
  }

  async readLotteryDraw(roomId: string): Promise<DrawnLottery | null> {
    const answer = (await this.run('lottery-result', roomId, [])) as string[];
    if (answer.length < 2) return null;
    const order = answer.slice(2);
    return { drawnAt: Number(answer[0]), seed: answer[1]!, size: order.length, order };
  }

  async accuracySamples(roomId: string): Promise<AccuracySample[]> {
    const rows = await this.guard(this.client.lrange(`${this.base(roomId)}acc`, 0, -1));
    // A pair that is not two numbers (an infinite wait an earlier version could record) is no sample.
    return rows
      .map((row) => {
        const [predicted, actual] = row.split(',');
        return { predictedSeconds: Number(predicted), actualSeconds: Number(actual) };
      })
      .filter((s) => Number.isFinite(s.predictedSeconds) && Number.isFinite(s.actualSeconds));
  }

  // ---- lifecycle -------------------------------------------------------------------------

  async ping(): Promise<void> {
    await this.guard(this.client.ping());
  }

  async close(): Promise<void> {
    if (!this.ownsClient) return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}

/**
 * ioredis puts a failed command's arguments on its error (`command.args`), and the server logs
 * errors: a step that carries a secret lottery seed must not hand it to a log line.
 */
async function secretArgs<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof Error && 'command' in error) delete (error as { command?: unknown }).command;
    throw error;
  }
}

/** A lost connection, a timeout, a cluster in failover: Redis is not answering. */
export function isOutage(error: unknown): boolean {
  if (error instanceof ReplyError) {
    return /^(LOADING|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|READONLY|BUSY|NOREPLICAS)\b/.test(
      (error as Error).message,
    );
  }
  return error instanceof Error;
}

/** Settings as the fields of the room's hash; `oam` is `opensAt` in epoch ms for the scripts. */
function settingsFields(s: RoomSettingsPatch | RoomSettings): string[] {
  const out: string[] = [];
  const put = (field: string, value: string | number | null | undefined) => {
    if (value !== undefined) out.push(field, value === null ? '' : String(value));
  };
  put('name', s.name);
  if (s.opensAt !== undefined) {
    put('opensAt', s.opensAt);
    const at = s.opensAt === null ? null : opensAtMs(s as RoomSettings);
    put('oam', at === null || Number.isNaN(at) ? null : at);
  }
  put('rate', s.admitRatePerMinute);
  put('maxActive', s.maxActive);
  put('ttl', s.admissionTtlSeconds);
  put('hbt', s.heartbeatTimeoutSeconds);
  put('mode', s.queueMode);
  put('status', s.status);
  if (s.requireChallenge !== undefined) put('chal', s.requireChallenge ? 1 : 0);
  return out;
}

function roomStateOf(roomId: string, m: Record<string, string>): RoomState {
  const n = (field: string) => Number(m[field] ?? 0);
  return {
    settings: {
      id: roomId,
      name: m.name ?? '',
      opensAt: m.opensAt ? m.opensAt : null,
      admitRatePerMinute: n('rate'),
      maxActive: m.maxActive ? Number(m.maxActive) : null,
      admissionTtlSeconds: n('ttl'),
      heartbeatTimeoutSeconds: n('hbt'),
      queueMode: m.mode === 'lottery' ? 'lottery' : 'fifo',
      status: m.status as RoomSettings['status'],
      // Absent in a room created before the setting existed: off.
      requireChallenge: m.chal === '1',
    },
    createdAt: n('ca'),
    updatedAt: n('ua'),
    waiting: n('w'),
    preQueue: n('pq'),
    active: n('a'),
    counters: {
      joinedTotal: n('jt'),
      admittedTotal: n('adt'),
      abandonedTotal: n('abt'),
      leftTotal: n('lt'),
      completedTotal: n('ct'),
      admissionsExpiredTotal: n('aet'),
    },
    lotteryCommitment: m.lsd ? seedCommitment(m.lsd) : null,
    lottery: m.ld ? { drawnAt: Number(m.ld), seed: m.ls ?? '', size: n('lz') } : null,
  };
}

/**
 * One ticket from a script's answer (lib.lua, emit): state, position, joinedAt, admittedAt,
 * admissionExpiresAt, predicted wait, each '' for none, then the id, comma-separated.
 */
export function ticketOf(roomId: string, text: string): TicketRecord {
  const c1 = text.indexOf(',');
  const c2 = text.indexOf(',', c1 + 1);
  const c3 = text.indexOf(',', c2 + 1);
  const c4 = text.indexOf(',', c3 + 1);
  const c5 = text.indexOf(',', c4 + 1);
  const c6 = text.indexOf(',', c5 + 1);
  if (c6 < 0) throw new Error(`unexpected ticket in a script's answer: ${text.slice(0, 80)}`);
  const st = Number(text.slice(0, c1));
  return {
    ticketId: text.slice(c6 + 1),
    roomId,
    state: STATES[st] ?? 'expired',
    position: optional(text, c1, c2),
    joinedAt: Number(text.slice(c2 + 1, c3)),
    admittedAt: optional(text, c3, c4),
    admissionExpiresAt: optional(text, c4, c5),
    expiryReason: REASONS[st] ?? null,
    predictedWaitSeconds: optional(text, c5, c6),
  };
}

/** The number between the commas at `from` and `to`, null for none. */
function optional(text: string, from: number, to: number): number | null {
  if (to === from + 1) return null;
  const n = Number(text.slice(from + 1, to));
  return Number.isFinite(n) ? n : null;
}

function admitOutcome(answer: unknown): AdmitOutcome {
  const a = answer as string[];
  const head = a[0];
  if (head === 'OK') {
    const ticketIds = a.slice(1);
    return { ok: true, admitted: ticketIds.length, ticketIds };
  }
  if (head === 'ROOM_NOT_FOUND' || head === 'ROOM_CLOSED') return { ok: false, reason: head };
  if (head === 'TOO_LATE') throw new UnavailableError();
  throw new Error(`unexpected answer to an admission: ${String(head)}`);
}
