import { ROOM_ID_PATTERN } from '@waitroom/core';
import { Type } from 'typebox';
import { Nullable } from './common.js';

export const AuditListQuery = Type.Object(
  {
    roomId: Type.Optional(Type.String({ pattern: ROOM_ID_PATTERN.source, description: 'Only this room' })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    cursor: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'The nextCursor of the previous page' }),
    ),
  },
  { additionalProperties: false },
);

export const AuditEntryBody = Type.Object(
  {
    id: Type.Integer({ description: 'Increasing: a later change has a greater id' }),
    at: Type.String({ format: 'date-time' }),
    actor: Type.String({
      description: "Who: 'admin' (ADMIN_TOKEN), 'key:<id>:<name>' (an operator key) or 'command'",
    }),
    action: Type.String({
      description:
        'What: room.create, room.update, room.admit, products.put, order.customer.erase, customer.erase, ' +
        'operator-key.create, operator-key.revoke…',
    }),
    roomId: Nullable(Type.String()),
    details: Type.Object(
      {},
      {
        additionalProperties: true,
        description: 'A summary of the change (settings and their new values, counts); never personal data',
      },
    ),
    requestId: Nullable(
      Type.String({ description: 'The x-request-id of the change, to find it in the logs' }),
    ),
  },
  { title: 'AuditEntry' },
);

export const AuditPageBody = Type.Object(
  { entries: Type.Array(AuditEntryBody), nextCursor: Nullable(Type.String()) },
  { title: 'AuditPage' },
);
