import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withDefaults } from '../room.js';
import { MemoryQueueStore } from './memory-queue-store.js';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Ids of the server's form: 16 base64url characters, which the line keeps as three words. */
const serverId = fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 16, maxLength: 16 });
/** Any other id: the line keeps those as strings. */
const otherId = fc.string({ minLength: 1, maxLength: 24 });
const T0 = Date.UTC(2030, 0, 1);

async function storeWithRoom(): Promise<MemoryQueueStore> {
  const store = new MemoryQueueStore();
  await store.createRoom(withDefaults({ id: 'ids', name: 'Ids', maxActive: null }), T0);
  return store;
}

describe('ticket ids in the embedded line', () => {
  it('come back exactly as they were given, in every answer, whatever their form', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.oneof(serverId, otherId), { minLength: 1, maxLength: 60 }),
        async (ids) => {
          const store = await storeWithRoom();
          for (const id of ids) {
            const joined = await store.join('ids', { ticketId: id, now: T0, predictor: null });
            expect(joined.ok && joined.ticket.ticketId).toBe(id);
            // An id already in the line is refused (the server never makes one twice).
            await expect(store.join('ids', { ticketId: id, now: T0, predictor: null })).rejects.toThrow();
          }
          const read = await store.readTickets('ids', ids, { now: T0, touch: true });
          expect(read.map((t) => t?.ticketId)).toEqual(ids);
          expect(read.map((t) => t?.position)).toEqual(ids.map((_, k) => k + 1));
          const half = Math.floor(ids.length / 2);
          const admitted = await store.admit('ids', half, T0 + 1);
          expect(admitted.ok && admitted.ticketIds).toEqual(ids.slice(0, half));
          // The rest are abandoned, named in the order they joined.
          await store.sweep('ids', T0 + 3_600_000);
          const left = await store.readTickets('ids', ids.slice(half), { now: T0, touch: false });
          expect(left.map((t) => [t?.ticketId, t?.state])).toEqual(
            ids.slice(half).map((id) => [id, 'expired']),
          );
        },
      ),
      { numRuns: 50 },
    );
  });

  it('tell apart ids of the server form that differ in any one character, the last included', async () => {
    await fc.assert(
      fc.asyncProperty(
        serverId,
        fc.integer({ min: 0, max: 15 }),
        fc.constantFrom(...BASE64URL),
        async (id, k, c) => {
          fc.pre(id[k] !== c);
          const other = id.slice(0, k) + c + id.slice(k + 1);
          const store = await storeWithRoom();
          expect((await store.join('ids', { ticketId: id, now: T0, predictor: null })).ok).toBe(true);
          expect(await store.readTicket('ids', other, { now: T0, touch: false })).toBeNull();
          expect((await store.join('ids', { ticketId: other, now: T0 + 1, predictor: null })).ok).toBe(true);
          const read = await store.readTickets('ids', [other, id], { now: T0 + 2, touch: false });
          expect(read.map((t) => [t?.ticketId, t?.position])).toEqual([
            [other, 2],
            [id, 1],
          ]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
