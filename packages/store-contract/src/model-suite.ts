import type { TicketState } from '@waitroom/core';
import fc from 'fast-check';
import type { SuiteContext } from './suite-context.js';

/** A step of a random history, as the model and the store both take it. */
type Step =
  | { kind: 'join'; count: number }
  | { kind: 'leave'; pick: number }
  | { kind: 'admit'; count: number }
  | { kind: 'touch'; picks: number[] }
  | { kind: 'sweep'; afterMs: number };

const HEARTBEAT_SECONDS = 30;

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('join' as const), count: fc.integer({ min: 1, max: 4 }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('leave' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('admit' as const), count: fc.integer({ min: 0, max: 3 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('touch' as const),
      picks: fc.array(fc.nat(), { maxLength: 6 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('sweep' as const),
      afterMs: fc.integer({ min: 0, max: 2 * HEARTBEAT_SECONDS * 1000 }),
    }),
  },
);

/** What the model keeps of a ticket. */
interface ModelTicket {
  id: string;
  state: TicketState;
  seenAt: number;
}

/**
 * Random histories of joins, leaves, admissions, signs of life and sweeps, run against the
 * store and against a plain list, with every ticket's state and position compared after each
 * step: however tickets leave the line (by admission, by leaving, by abandonment, in any order
 * and at any place), everyone behind moves up, no two waiting tickets share a position, and
 * positions run from 1 without a hole (CONTRACT.md, "What always holds" 1-2).
 */
export function modelSuite(ctx: SuiteContext): void {
  const { describe, it, expect } = ctx.t;

  describe('against a model of the line', () => {
    it('random joins, leaves, admissions and abandonments keep every state and position the model gives', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
          const t0 = Date.now();
          const room = await ctx.room(
            'model',
            { maxActive: null, admissionTtlSeconds: 3600, heartbeatTimeoutSeconds: HEARTBEAT_SECONDS },
            t0,
          );
          const store = ctx.store();
          const model: ModelTicket[] = [];
          let now = t0;
          let joined = 0;
          const pick = (n: number) => model[n % model.length]!;

          for (const s of steps) {
            now += 1;
            switch (s.kind) {
              case 'join':
                for (let k = 0; k < s.count; k++) {
                  const id = `m${++joined}`;
                  const outcome = await store.join(room.id, { ticketId: id, now, predictor: null });
                  expect(outcome.ok).toBe(true);
                  model.push({ id, state: 'waiting', seenAt: now });
                }
                break;
              case 'leave': {
                if (model.length === 0) break;
                const ticket = pick(s.pick);
                await store.leave(room.id, ticket.id, now);
                if (ticket.state === 'waiting' || ticket.state === 'admitted') ticket.state = 'left';
                break;
              }
              case 'admit': {
                const outcome = await store.admit(room.id, s.count, now);
                expect(outcome.ok).toBe(true);
                const next = model.filter((t) => t.state === 'waiting').slice(0, s.count);
                for (const ticket of next) ticket.state = 'admitted';
                if (outcome.ok) expect(outcome.ticketIds).toEqual(next.map((t) => t.id));
                break;
              }
              case 'touch': {
                if (model.length === 0) break;
                const ids = [...new Set(s.picks.map((n) => pick(n).id))];
                await store.readTickets(room.id, ids, { now, touch: true });
                for (const id of ids) {
                  const ticket = model.find((t) => t.id === id)!;
                  if (ticket.state === 'waiting') ticket.seenAt = now;
                }
                break;
              }
              case 'sweep': {
                now += s.afterMs;
                const outcome = await store.sweep(room.id, now);
                let abandoned = 0;
                for (const ticket of model) {
                  if (ticket.state === 'waiting' && ticket.seenAt <= now - HEARTBEAT_SECONDS * 1000) {
                    ticket.state = 'expired';
                    abandoned++;
                  }
                }
                expect(outcome.abandoned).toBe(abandoned);
                break;
              }
            }

            const read = await store.readTickets(
              room.id,
              model.map((t) => t.id),
              { now, touch: false },
            );
            let position = 0;
            const expected = model.map((t) => ({
              state: t.state,
              position: t.state === 'waiting' ? ++position : null,
            }));
            expect(read.map((t) => ({ state: t?.state, position: t?.position ?? null }))).toEqual(expected);
            const state = await store.getRoom(room.id);
            expect(state?.waiting).toBe(position);
            expect(state?.active).toBe(model.filter((t) => t.state === 'admitted').length);
          }
        }),
        { numRuns: 25 },
      );
    });
  });
}
