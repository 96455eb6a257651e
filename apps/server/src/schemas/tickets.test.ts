import { ROOM_ID_PATTERN } from '@waitroom/core';
import fc from 'fast-check';
import fastJson from 'fast-json-stringify';
import { describe, expect, it } from 'vitest';
import { QueueTokens } from '../security/queue-tokens.js';
import { randomIdSource } from '../security/random-ids.js';
import {
  JOIN_UNESCAPED,
  JoinedTicketBody,
  JoinedTicketLaneBody,
  STATUS_UNESCAPED,
  TicketStatusBody,
  TicketStatusLaneBody,
} from './tickets.js';

/**
 * The join's lane writes some strings without escaping them (JoinedTicketLaneBody). That is
 * only right while every value those fields can hold needs no escaping: these tests hold the
 * lane's serializer to the API's on every value the server can make, and to JSON itself.
 */
describe("the lanes' serializers", () => {
  const api = fastJson(JoinedTicketBody);
  const lane = fastJson(JoinedTicketLaneBody);
  const statusApi = fastJson(TicketStatusBody);
  const statusLane = fastJson(TicketStatusLaneBody);
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

  // A status in each state: admitted ones carry an admission token (a JWT) and its expiry,
  // expired ones a reason.
  const jwtPart = fc
    .base64String({ minLength: 4, maxLength: 200 })
    .map((b) => Buffer.from(b, 'base64').toString('base64url'));
  const statuses = fc.oneof(
    answers.map(({ state: _state, ...rest }) => ({ ...rest, state: 'waiting' as string })),
    fc
      .tuple(answers, jwtPart, jwtPart, jwtPart, fc.integer({ min: 0, max: 253_402_300_799_999 }))
      .map(([rest, a, b, c, ms]) => ({
        ...rest,
        state: 'admitted',
        admissionToken: `${a}.${b}.${c}`,
        admissionExpiresAt: new Date(ms).toISOString(),
      })),
    fc.tuple(answers, fc.constantFrom('abandoned', 'admission-expired')).map(([rest, expiryReason]) => ({
      ...rest,
      state: 'expired',
      expiryReason,
    })),
  );

  it('writes a status as the API schema does, in every state, for every status the server can make', () => {
    fc.assert(
      fc.property(statuses, (answer) => {
        const status = { ...answer, ticketId: newId() };
        const written = statusLane(status);
        expect(written).toBe(statusApi(status));
        expect(JSON.parse(written)).toEqual(status);
        // The join's answer carries the same fields.
        const joined = { ...status, queueToken: tokens.issue(status.roomId, status.ticketId) };
        expect(lane(joined)).toBe(api(joined));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves unescaped only strings the server writes itself, none of them needing escapes', () => {
    // Were a field of the caller's text added to the lists, the tests above would have to change too.
    expect([...STATUS_UNESCAPED].sort()).toEqual(
      [
        'admissionExpiresAt',
        'admissionToken',
        'expiryReason',
        'joinedAt',
        'roomId',
        'roomStatus',
        'state',
        'ticketId',
      ].sort(),
    );
    expect([...JOIN_UNESCAPED].sort()).toEqual([...STATUS_UNESCAPED, 'queueToken'].sort());
    // A room id that needed escaping could not reach the lane: the pattern refuses it.
    for (const text of ['a"b', 'a\\b', 'a\nb', 'a\u2028b']) expect(ROOM_ID_PATTERN.test(text)).toBe(false);
    // And the API's own schema (the one /openapi.json shows) is untouched.
    for (const name of JOIN_UNESCAPED) {
      expect((JoinedTicketBody.properties[name] as { format?: string }).format).not.toBe('unsafe');
    }
    for (const name of STATUS_UNESCAPED) {
      expect((TicketStatusBody.properties[name] as { format?: string }).format).not.toBe('unsafe');
    }
  });
});
