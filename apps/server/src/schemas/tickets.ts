import { Type } from 'typebox';
import { Nullable } from './common.js';

export const TicketStatusBody = Type.Object(
  {
    ticketId: Type.String(),
    roomId: Type.String(),
    state: Type.Enum(['waiting', 'admitted', 'expired', 'completed', 'left']),
    position: Nullable(Type.Integer({ minimum: 1, description: '1 for the ticket admitted next' })),
    etaSeconds: Nullable(Type.Integer({ minimum: 0 })),
    etaRange: Nullable(
      Type.Array(Type.Integer({ minimum: 0 }), {
        minItems: 2,
        maxItems: 2,
        description: '[p10, p90] of the wait, in seconds',
      }),
    ),
    admissionToken: Type.Optional(Type.String({ description: 'Only when admitted' })),
    admissionExpiresAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'Only when admitted' }),
    ),
    pollAfterMs: Type.Integer({ minimum: 0 }),
    roomStatus: Type.Enum(['scheduled', 'open', 'paused', 'closed']),
    joinedAt: Type.String({ format: 'date-time' }),
    expiryReason: Type.Optional(Type.Enum(['abandoned', 'admission-expired'])),
  },
  { title: 'TicketStatus' },
);

/** The join answer's strings the join's lane writes without escaping (see JoinedTicketLaneBody). */
export const LANE_UNESCAPED = [
  'ticketId',
  'roomId',
  'state',
  'roomStatus',
  'joinedAt',
  'queueToken',
] as const;

export const JoinedTicketBody = Type.Object(
  {
    ...TicketStatusBody.properties,
    queueToken: Type.String({ description: 'Proves the place: send it as a bearer token' }),
  },
  { title: 'JoinedTicket' },
);

/**
 * The join's answer as the join's lane (plugins/join-lane.ts) serializes it: JoinedTicketBody,
 * but the strings the server writes itself from a narrow alphabet are written as they are,
 * without the escaping fast-json-stringify otherwise checks for (its `unsafe` format): the
 * ticket id and the queue token (base64url and dots), the room id (checked against
 * ROOM_ID_PATTERN before the lane takes the join), the join time (an ISO date) and the two
 * states (words of the contract). Same bytes, half the time. Used for serializing only: the
 * API's schema, and so /openapi.json, is JoinedTicketBody.
 */
export const JoinedTicketLaneBody = {
  ...JoinedTicketBody,
  properties: {
    ...JoinedTicketBody.properties,
    ...Object.fromEntries(
      LANE_UNESCAPED.map((name) => [name, { type: 'string', format: 'unsafe' } as const]),
    ),
  },
};

export const TicketParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100, description: 'The room' }),
  ticketId: Type.String({ minLength: 1, maxLength: 100 }),
});

export const CompletedBody = Type.Object(
  {
    ticketId: Type.String(),
    roomId: Type.String(),
    state: Type.Enum(['completed']),
  },
  { title: 'CompletedAdmission', description: 'The admission is over; its place among the active is free.' },
);

/** An ALTCHA challenge (altcha-lib v2), every field kept: its signature covers them all. */
export const ChallengeBody = Type.Object(
  {
    parameters: Type.Object({
      algorithm: Type.String(),
      nonce: Type.String(),
      salt: Type.String(),
      cost: Type.Integer(),
      keyLength: Type.Integer(),
      keyPrefix: Type.String(),
      keySignature: Type.Optional(Type.String()),
      memoryCost: Type.Optional(Type.Integer()),
      parallelism: Type.Optional(Type.Integer()),
      expiresAt: Type.Optional(Type.Integer({ description: 'Epoch seconds' })),
      data: Type.Optional(
        Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
      ),
    }),
    signature: Type.String(),
  },
  {
    title: 'Challenge',
    description:
      'Solve it (altcha-lib `solveChallenge`), then send base64 of the JSON `{challenge, solution}` ' +
      'as the `X-Altcha` header of the join (or its body field `altcha`). Usable for one join, ' +
      'in this room, until `parameters.expiresAt`.',
  },
);

export const JoinHeaders = Type.Object({
  'x-altcha': Type.Optional(
    Type.String({
      maxLength: 4000,
      description: 'A solved challenge, for a room with `requireChallenge` (see GET …/challenge)',
    }),
  ),
});
