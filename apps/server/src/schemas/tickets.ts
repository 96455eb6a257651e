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

export const JoinedTicketBody = Type.Object(
  {
    ...TicketStatusBody.properties,
    queueToken: Type.String({ description: 'Proves the place: send it as a bearer token' }),
  },
  { title: 'JoinedTicket' },
);

/**
 * The strings of a status the server writes itself, from a narrow alphabet, all ASCII (the
 * status and join lanes take the body's length for its size in bytes): the ticket id
 * (base64url, checked in the queue token), the room id (checked against ROOM_ID_PATTERN
 * before a lane takes the request), the states and the expiry reason (words of the contract),
 * the times (ISO dates) and the admission token (a JWT: base64url and dots).
 */
export const STATUS_UNESCAPED = [
  'ticketId',
  'roomId',
  'state',
  'roomStatus',
  'joinedAt',
  'admissionToken',
  'admissionExpiresAt',
  'expiryReason',
] as const;

/** The same in a join's answer, with the queue token (base64url and dots). */
export const JOIN_UNESCAPED = [...STATUS_UNESCAPED, 'queueToken'] as const;

/**
 * `schema` as the lanes (plugins/status-lane.ts, plugins/join-lane.ts) serialize it: the
 * strings `names` written as they are, without the escaping fast-json-stringify otherwise
 * checks for (its `unsafe` format). Same bytes for the values the server makes, about half
 * the time. Used for serializing only: the API's schemas, and so /openapi.json, are untouched.
 */
function unescaped<T extends { properties: Record<string, unknown> }>(
  schema: T,
  names: readonly string[],
): T {
  const properties = { ...schema.properties };
  for (const name of names) properties[name] = { type: 'string', format: 'unsafe' };
  return { ...schema, properties };
}

/** A status as the status read's lane serializes it. */
export const TicketStatusLaneBody = unescaped(TicketStatusBody, STATUS_UNESCAPED);

/** A join's answer as the join's lane serializes it. */
export const JoinedTicketLaneBody = unescaped(JoinedTicketBody, JOIN_UNESCAPED);

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
