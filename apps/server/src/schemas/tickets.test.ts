import { ROOM_ID_PATTERN } from '@waitroom/core';
import fc from 'fast-check';
import fastJson from 'fast-json-stringify';
import { describe, expect, it } from 'vitest';
import { QueueTokens } from '../security/queue-tokens.js';
import { randomIdSource } from '../security/random-ids.js';
import { JoinedTicketBody, JoinedTicketLaneBody, LANE_UNESCAPED } from './tickets.js';

/**
 * The join's lane writes some strings without escaping them (JoinedTicketLaneBody). That is
 * only right while every value those fields can hold needs no escaping: these tests hold the
 * lane's serializer to the API's on every value the server can make, and to JSON itself.
 */
describe("the join lane's serializer", () => {
  const api = fastJson(JoinedTicketBody);
  const lane = fastJson(JoinedTicketLaneBody);
  const tokens = new QueueTokens('a-secret-of-at-least-thirty-two-characters', 3600);
  const newId = randomIdSource(12);

  const roomIds = fc.stringMatching(ROOM_ID_PATTERN);
  const answers = fc.record({
    roomId: roomIds,
    state: fc.constantFrom('waiting', 'admitted', 'expired', 'completed', 'left'),
    roomStatus: fc.constantFrom('scheduled', 'open', 'paused', 'closed'),
    position: fc.option(fc.integer({ min: 1, max: 2 ** 31 })),
    etaSeconds: fc.option(fc.nat()),
    etaRange: fc.option(fc.tuple(fc.nat(), fc.nat())),
    pollAfterMs: fc.nat(),
    joinedAt: fc.integer({ min: 0, max: 253_402_300_799_999 }).map((ms) => new Date(ms).toISOString()),
  });

  it('writes the same bytes as the API schema for every answer the server can make', () => {
    fc.assert(
      fc.property(answers, (answer) => {
        const ticketId = newId();
        const body = { ...answer, ticketId, queueToken: tokens.issue(answer.roomId, ticketId) };
        const written = lane(body);
        expect(written).toBe(api(body));
        expect(JSON.parse(written)).toEqual(body);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves unescaped only strings the server writes itself, none of them needing escapes', () => {
    // Were a field of the caller's text added to the list, its test above would have to change too.
    expect([...LANE_UNESCAPED].sort()).toEqual(
      ['joinedAt', 'queueToken', 'roomId', 'roomStatus', 'state', 'ticketId'].sort(),
    );
    // A room id that needed escaping could not reach the lane: the pattern refuses it.
    for (const text of ['a"b', 'a\\b', 'a\nb', 'a\u2028b']) expect(ROOM_ID_PATTERN.test(text)).toBe(false);
    // And the API's own schema (the one /openapi.json shows) is untouched.
    for (const name of LANE_UNESCAPED) {
      expect((JoinedTicketBody.properties[name] as { format?: string }).format).not.toBe('unsafe');
    }
  });
});
