import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WaitPredictor } from '../queue-store.js';
import { type RoomSettingsPatch, withDefaults } from '../room.js';
import type { JournalRecord } from './journal.js';
import { MemoryQueueStore } from './memory-queue-store.js';

const T0 = Date.UTC(2030, 0, 1);
const FIFO = 'shop';
const LOTTERY = 'draw';
const ROOMS = [FIFO, LOTTERY] as const;
const PREDICTOR: WaitPredictor = { perSecond: 3, abandonPerSecond: 0.001, delaySeconds: 0 };

/** A store whose journal is kept as the embedded store keeps it: one JSON record after another. */
function journalled(): { store: MemoryQueueStore; records: JournalRecord[] } {
  const records: JournalRecord[] = [];
  const store = new MemoryQueueStore({
    journal: { append: (record) => records.push(JSON.parse(JSON.stringify(record)) as JournalRecord) },
  });
  return { store, records };
}

async function createRooms(store: MemoryQueueStore): Promise<void> {
  await store.createRoom(
    withDefaults({ id: FIFO, name: 'Shop', heartbeatTimeoutSeconds: 30, admissionTtlSeconds: 60 }),
    T0,
  );
  await store.createRoom(
    withDefaults({
      id: LOTTERY,
      name: 'Draw',
      queueMode: 'lottery',
      opensAt: new Date(T0 + 20_000).toISOString(),
      heartbeatTimeoutSeconds: 30,
      admissionTtlSeconds: 60,
    }),
    T0,
    'room-seed',
  );
}

/** Everything a store can be asked about its rooms and tickets, read without touching anyone. */
async function everything(store: MemoryQueueStore, ticketIds: readonly string[], now: number) {
  const rooms = (await store.listRooms()).sort((a, b) => a.settings.id.localeCompare(b.settings.id));
  const tickets: Record<string, unknown> = {};
  const accuracy: Record<string, unknown> = {};
  const draws: Record<string, unknown> = {};
  for (const room of rooms) {
    const id = room.settings.id;
    tickets[id] = await store.readTickets(id, ticketIds, { now, touch: false });
    accuracy[id] = await store.accuracySamples(id);
    draws[id] = await store.readLotteryDraw(id);
  }
  return { rooms, tickets, accuracy, draws };
}

/** The order in which the rooms' waiting tickets would be admitted from here on. */
async function admissionOrder(store: MemoryQueueStore, now: number): Promise<Record<string, string[]>> {
  await store.updateRoom(FIFO, { maxActive: null, status: 'open' }, now);
  await store.updateRoom(LOTTERY, { maxActive: null, status: 'open' }, now);
  await store.updateRoom(LOTTERY, {}, now, 'late-seed');
  await store.drawLottery(LOTTERY, now);
  const order: Record<string, string[]> = {};
  for (const room of ROOMS) {
    const outcome = await store.admit(room, 1_000_000, now);
    order[room] = outcome.ok ? outcome.ticketIds : [];
  }
  return order;
}

type Op =
  | { kind: 'join'; room: number; predicted: boolean }
  | { kind: 'leave'; pick: number }
  | { kind: 'touch'; pick: number }
  | { kind: 'admit'; room: number; count: number }
  | { kind: 'rate'; room: number }
  | { kind: 'sweep'; room: number }
  | { kind: 'complete'; pick: number }
  | { kind: 'draw'; room: number; seed: string }
  | { kind: 'update'; room: number; patch: RoomSettingsPatch }
  | { kind: 'wait'; ms: number };

const room = fc.integer({ min: 0, max: 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('join' as const), room, predicted: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('leave' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('touch' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('admit' as const),
      room,
      count: fc.integer({ min: 0, max: 4 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rate' as const), room }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sweep' as const), room }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('complete' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('draw' as const),
      room,
      seed: fc.string({ minLength: 1, maxLength: 8 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('update' as const),
      room,
      patch: fc.oneof(
        fc.record({ status: fc.constantFrom('open' as const, 'paused' as const, 'closed' as const) }),
        fc.record({ maxActive: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }) }),
        fc.record({ admitRatePerMinute: fc.constantFrom(0, 60, 600, 6000) }),
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 20_000 }) }),
  },
);

interface Played {
  now: number;
  tickets: { room: string; id: string }[];
}

/** Plays `ops` on a store, from the time and with the tickets of `played`, which it updates. */
async function apply(store: MemoryQueueStore, ops: readonly Op[], played: Played): Promise<void> {
  const { tickets } = played;
  const pick = (n: number) => tickets[n % Math.max(1, tickets.length)];
  for (const op of ops) {
    const now = played.now;
    switch (op.kind) {
      case 'join': {
        const r = ROOMS[op.room]!;
        // Every other id in the server's form (kept as words in the line), the others not.
        const n = tickets.length + 1;
        const id =
          n % 2 === 0
            ? createHash('sha256').update(String(n)).digest().subarray(0, 12).toString('base64url')
            : `t${n}`;
        const outcome = await store.join(r, {
          ticketId: id,
          now,
          predictor: op.predicted ? PREDICTOR : null,
        });
        if (outcome.ok) tickets.push({ room: r, id });
        break;
      }
      case 'leave': {
        const t = pick(op.pick);
        if (t) await store.leave(t.room, t.id, now);
        break;
      }
      case 'touch': {
        const t = pick(op.pick);
        if (t) await store.readTicket(t.room, t.id, { now, touch: true });
        break;
      }
      case 'admit':
        await store.admit(ROOMS[op.room]!, op.count, now);
        break;
      case 'rate':
        await store.admitByRate(ROOMS[op.room]!, now, 1);
        break;
      case 'sweep':
        await store.sweep(ROOMS[op.room]!, now);
        break;
      case 'complete': {
        const t = pick(op.pick);
        if (t) await store.complete(t.room, t.id, now);
        break;
      }
      case 'draw':
        // The seed is taken only by a room that holds none (the FIFO room) or was drawn already.
        await store.updateRoom(ROOMS[op.room]!, {}, now, op.seed);
        await store.drawLottery(ROOMS[op.room]!, now);
        break;
      case 'update':
        await store.updateRoom(ROOMS[op.room]!, op.patch, now);
        break;
      case 'wait':
        played.now += op.ms;
        break;
    }
  }
}

/** Plays `ops` on a new journalled store with both rooms. */
async function play(ops: readonly Op[]) {
  const { store, records } = journalled();
  await createRooms(store);
  const played: Played = { now: T0, tickets: [] };
  await apply(store, ops, played);
  return { store, records, ids: played.tickets.map((t) => t.id), now: played.now, played };
}

const opsArb = fc.array(opArb, { maxLength: 120, size: 'max' });

describe('restoring the embedded store after a restart', () => {
  it('replaying the journal rebuilds every room, ticket, position, total, draw and accuracy sample', async () => {
    await fc.assert(
      fc.asyncProperty(opsArb, async (ops) => {
        const { store, records, ids, now } = await play(ops);
        const restored = new MemoryQueueStore();
        restored.restore(records, now);
        expect(await everything(restored, ids, now)).toEqual(await everything(store, ids, now));
      }),
      { numRuns: 200 },
    );
  });

  it('restoring from a snapshot rebuilds the same state', async () => {
    await fc.assert(
      fc.asyncProperty(opsArb, async (ops) => {
        const { store, ids, now } = await play(ops);
        const restored = new MemoryQueueStore();
        restored.restore(store.snapshot(now), now);
        expect(await everything(restored, ids, now)).toEqual(await everything(store, ids, now));
      }),
      { numRuns: 200 },
    );
  });

  it('tickets keep their order in line: the restored store admits the rest in the same order', async () => {
    await fc.assert(
      fc.asyncProperty(opsArb, async (ops) => {
        const { store, records, now } = await play(ops);
        const fromJournal = new MemoryQueueStore();
        fromJournal.restore(records, now);
        const fromSnapshot = new MemoryQueueStore();
        fromSnapshot.restore(store.snapshot(now), now);
        const expected = await admissionOrder(store, now);
        expect(await admissionOrder(fromJournal, now)).toEqual(expected);
        expect(await admissionOrder(fromSnapshot, now)).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('a restored store journals on, so that the next restart replays both journals to the same state', async () => {
    await fc.assert(
      fc.asyncProperty(opsArb, opsArb, async (before, after) => {
        const first = await play(before);
        const { store: second, records: more } = journalled();
        second.restore(first.records, first.now);
        expect(more, 'restoring writes nothing').toEqual([]);
        await apply(second, after, first.played);
        const { now, tickets } = first.played;
        const third = new MemoryQueueStore();
        third.restore([...first.records, ...more], now);
        const ids = tickets.map((t) => t.id);
        expect(await everything(third, ids, now)).toEqual(await everything(second, ids, now));
      }),
      { numRuns: 100 },
    );
  });

  it('waiting tickets get a fresh heartbeat window after a restore, however long the store was down', async () => {
    const { store, records } = journalled();
    await createRooms(store);
    for (const id of ['a', 'b', 'c']) await store.join(FIFO, { ticketId: id, now: T0, predictor: null });
    for (const id of ['p', 'q']) await store.join(LOTTERY, { ticketId: id, now: T0, predictor: null });
    await store.admit(FIFO, 1, T0 + 1_000);
    const restartedAt = T0 + 3_600_000;
    const restored = new MemoryQueueStore();
    restored.restore(records, restartedAt);
    const timeout = 30_000;
    for (const r of ROOMS) {
      expect(await restored.sweep(r, restartedAt + timeout - 1)).toMatchObject({ abandoned: 0 });
    }
    expect((await restored.readTicket(FIFO, 'b', { now: restartedAt, touch: false }))?.position).toBe(1);
    expect(await restored.sweep(FIFO, restartedAt + timeout)).toMatchObject({ abandoned: 2 });
    expect(await restored.sweep(LOTTERY, restartedAt + timeout)).toMatchObject({ abandoned: 2 });
  });

  it('a snapshot leaves out tickets that ended long ago but keeps the totals and everyone still in line', async () => {
    const { store } = journalled();
    await createRooms(store);
    for (const id of ['a', 'b', 'c', 'd']) await store.join(FIFO, { ticketId: id, now: T0, predictor: null });
    await store.leave(FIFO, 'a', T0 + 1_000);
    await store.admit(FIFO, 1, T0 + 2_000);
    await store.complete(FIFO, 'b', T0 + 3_000);
    const now = T0 + 10_000;
    const restored = new MemoryQueueStore();
    restored.restore(store.snapshot(now, 8_000), now);
    const read = (id: string) => restored.readTicket(FIFO, id, { now, touch: false });
    expect(await read('a')).toBeNull();
    expect((await read('b'))?.state).toBe('completed');
    expect((await read('c'))?.position).toBe(1);
    expect((await read('d'))?.position).toBe(2);
    const [before, after] = [await store.getRoom(FIFO), await restored.getRoom(FIFO)];
    expect(after?.counters).toEqual(before?.counters);
    expect(after?.waiting).toBe(2);
  });

  it('a room journalled before a setting existed gets that setting’s default', async () => {
    const { requireChallenge: _, ...older } = withDefaults({ id: FIFO, name: 'Shop' });
    const restored = new MemoryQueueStore();
    restored.restore([{ k: 'room', room: older as never, createdAt: T0, updatedAt: T0 }], T0);
    expect((await restored.getRoom(FIFO))?.settings.requireChallenge).toBe(false);
  });
});

describe('ticket ids', () => {
  it('are refused when already in use, and the line is left as it was', async () => {
    const store = new MemoryQueueStore();
    await store.createRoom(withDefaults({ id: 'ids', name: 'Ids' }), 0);
    await store.join('ids', { ticketId: 'a', now: 1, predictor: null });
    await store.join('ids', { ticketId: 'b', now: 2, predictor: null });
    await expect(store.join('ids', { ticketId: 'a', now: 3, predictor: null })).rejects.toThrow(
      'already in use',
    );
    expect((await store.readTicket('ids', 'a', { now: 4, touch: false }))?.position).toBe(1);
    expect((await store.readTicket('ids', 'b', { now: 4, touch: false }))?.position).toBe(2);
    expect((await store.getRoom('ids'))?.waiting).toBe(2);
  });
});
