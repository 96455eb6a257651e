import { randomBytes } from 'node:crypto';
import {
  type NewRoom,
  type QueueStore,
  type RoomSettings,
  type TicketRecord,
  type WaitPredictor,
  withDefaults,
} from '@waitroom/core';
import type * as Vitest from 'vitest';

/** The parts of vitest the suite uses; pass `import * as vitest from 'vitest'`. */
export type TestApi = Pick<typeof Vitest, 'describe' | 'it' | 'expect' | 'beforeEach' | 'afterEach'>;

export type MakeStore = () => Promise<QueueStore> | QueueStore;

/** The differences a store is allowed; everything else it must do exactly as the suite says. */
export interface QueueStoreContractOptions {
  /** Starts every room id the suite creates; each test adds a random suffix. */
  roomIdPrefix?: string;
  /** Close the store after each test (false when the caller owns a shared connection). */
  closeAfterEach?: boolean;
}

/** What each part of the suite gets: a fresh store per test and helpers that use it. */
export interface SuiteContext {
  t: TestApi;
  store(): QueueStore;
  /** A room id no other test (or run sharing the same Redis) uses. */
  roomId(label: string): string;
  /**
   * Creates a room with the defaults of CONTRACT.md plus `settings`, and returns its settings;
   * a lottery room holds `lotterySeed` (by default 'seed').
   */
  room(
    label: string,
    settings?: Omit<NewRoom, 'id' | 'name'>,
    now?: number,
    lotterySeed?: string,
  ): Promise<RoomSettings>;
  /** Joins `count` tickets named `<prefix>1`, `<prefix>2`… in that order, all at `now`. */
  joinMany(
    roomId: string,
    count: number,
    now: number,
    predictor?: WaitPredictor | null,
    prefix?: string,
  ): Promise<TicketRecord[]>;
  /** Reads a ticket without counting it as a sign of life; fails the test when it is unknown. */
  read(roomId: string, ticketId: string, now: number): Promise<TicketRecord>;
  /** Positions of the given tickets, read without touching them. */
  positions(roomId: string, ticketIds: readonly string[], now: number): Promise<(number | null)[]>;
}

export function createSuiteContext(
  t: TestApi,
  makeStore: MakeStore,
  options: QueueStoreContractOptions,
): SuiteContext {
  const prefix = options.roomIdPrefix ?? 'contract';
  let current: QueueStore | null = null;

  t.beforeEach(async () => {
    current = await makeStore();
  });
  t.afterEach(async () => {
    if (current && options.closeAfterEach !== false) await current.close();
    current = null;
  });

  const store = (): QueueStore => {
    if (!current) throw new Error('the store is only available inside a test');
    return current;
  };

  const roomId = (label: string): string => `${prefix}-${label}-${randomBytes(5).toString('hex')}`;

  const ctx: SuiteContext = {
    t,
    store,
    roomId,
    async room(label, settings = {}, now = Date.now(), lotterySeed = 'seed') {
      const full = withDefaults({ ...settings, id: roomId(label), name: `Contract ${label}` });
      const seed = full.queueMode === 'lottery' ? lotterySeed : undefined;
      const outcome = await store().createRoom(full, now, seed);
      if (!outcome.ok) throw new Error(`could not create room ${full.id}: ${outcome.reason}`);
      return outcome.room.settings;
    },
    async joinMany(id, count, now, predictor = null, ticketPrefix = 't') {
      const tickets: TicketRecord[] = [];
      for (let n = 1; n <= count; n++) {
        const outcome = await store().join(id, { ticketId: `${ticketPrefix}${n}`, now, predictor });
        if (!outcome.ok) throw new Error(`join ${ticketPrefix}${n} to ${id} failed: ${outcome.reason}`);
        tickets.push(outcome.ticket);
      }
      return tickets;
    },
    async read(id, ticketId, now) {
      const ticket = await store().readTicket(id, ticketId, { now, touch: false });
      if (!ticket) throw new Error(`ticket ${ticketId} of ${id} is unknown`);
      return ticket;
    },
    async positions(id, ticketIds, now) {
      const tickets = await store().readTickets(id, ticketIds, { now, touch: false });
      return tickets.map((ticket) => ticket?.position ?? null);
    },
  };
  return ctx;
}

/** 1, 2, …, n. */
export function oneTo(n: number): number[] {
  return Array.from({ length: n }, (_, k) => k + 1);
}
