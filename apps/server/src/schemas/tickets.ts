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
