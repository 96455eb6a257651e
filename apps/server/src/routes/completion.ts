import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ConflictError,
  InvalidRequestError,
  InvalidTokenError,
  NotFoundError,
  type WaitingRoomEngine,
  WaitroomError,
} from '@waitroom/core';
import type { FastifyInstance } from 'fastify';
import { bearerToken } from '../plugins/bearer.js';
import { noteAudit, protectOperatorRoutes } from '../plugins/operator-routes.js';
import { errors } from '../schemas/common.js';
import { CompletedBody, TicketParams } from '../schemas/tickets.js';

const NO_BODY = 'No body is needed; a JSON body, if sent, must be an empty object.';

/**
 * Ending an admission from outside, for a shop whose checkout is not the waiting room's own
 * orders: the operator's call (what `reportCompleted` of @waitroom/verifier sends), and the
 * shop's call with the shopper's admission token itself. Either frees the admission's place
 * among the active at once, as a confirmed order does.
 */
export async function completionRoutes(instance: FastifyInstance): Promise<void> {
  const { engine } = instance.waitroom;

  // The operator's route, behind the operator gate and in the audit log (its own context, so
  // that the gate does not cover the admission-token route below).
  await instance.register(async (scope) => {
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();
    protectOperatorRoutes(app);
    app.post(
      '/api/admin/rooms/:id/tickets/:ticketId/complete',
      {
        config: { audit: 'ticket.complete' },
        schema: {
          tags: ['operator'],
          summary: 'End an admitted ticket’s admission now (the shopper checked out elsewhere)',
          description:
            `Needs ADMIN_TOKEN or an operator key with write scope. ${NO_BODY} ` +
            'Frees the place among the active (maxActive) at once. 404 NOT_FOUND for a ticket the room does ' +
            'not know (ROOM_NOT_FOUND for the room), 403 FORBIDDEN for a ticket that is not admitted, ' +
            '409 ADMISSION_USED when the admission was already completed (by an order or by this call), ' +
            '409 ADMISSION_EXPIRED when it had already run out: its place is free already.',
          security: [{ operator: [] }],
          params: TicketParams,
          response: { 200: CompletedBody, ...errors(400, 401, 403, 404, 409, 503) },
        },
      },
      async (request) => {
        const { id: roomId, ticketId } = request.params;
        checkEmptyBody(request.body);
        await engine.getRoom(roomId); // 404 ROOM_NOT_FOUND for a room that does not exist
        noteAudit(request, { roomId, details: { ticketId } });
        try {
          await engine.complete(roomId, ticketId);
        } catch (error) {
          // The operator's own token is good: an admission that ran out is a conflict, not a 401.
          if (error instanceof WaitroomError && error.code === 'TOKEN_EXPIRED')
            throw new ConflictError('ADMISSION_EXPIRED', 'This admission had already expired');
          throw error;
        }
        request.log.info({ roomId, ticketId }, 'admission completed by an operator');
        return { ticketId, roomId, state: 'completed' as const };
      },
    );
  });

  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { admissionTokens } = app.waitroom;
  app.post(
    '/api/admissions/complete',
    {
      schema: {
        tags: ['orders'],
        summary: 'End the admission whose token is presented (a shop that holds the shopper’s token)',
        description:
          `Needs the admission token as a bearer token, nothing else. ${NO_BODY} ` +
          'Frees the place among the active at once. 401 INVALID_TOKEN or TOKEN_EXPIRED for a token that is ' +
          'not good (an admission that ran out included, as for POST /api/orders), 409 ADMISSION_USED when ' +
          'the admission was already completed.',
        security: [{ admissionToken: [] }],
        response: { 200: CompletedBody, ...errors(400, 401, 403, 409, 503) },
      },
    },
    async (request) => {
      const claims = await admissionTokens.verify(bearerToken(request));
      checkEmptyBody(request.body);
      await completeByToken(engine, claims.rid, claims.sub);
      request.log.info({ roomId: claims.rid }, 'admission completed by its token');
      return { ticketId: claims.sub, roomId: claims.rid, state: 'completed' as const };
    },
  );
}

async function completeByToken(engine: WaitingRoomEngine, roomId: string, ticketId: string): Promise<void> {
  try {
    await engine.complete(roomId, ticketId);
  } catch (error) {
    // As for an order: a token naming no ticket here is not a good token.
    if (error instanceof NotFoundError || (error instanceof WaitroomError && error.code === 'ROOM_NOT_FOUND'))
      throw new InvalidTokenError('The admission token names no ticket here');
    throw error;
  }
}

/** These calls take no fields: no body, or an empty JSON object. */
function checkEmptyBody(body: unknown): void {
  if (body === undefined || body === null) return;
  if (typeof body !== 'object' || Array.isArray(body))
    throw new InvalidRequestError('body must be an object');
  const [field] = Object.keys(body);
  if (field !== undefined) throw new InvalidRequestError(`body has an unknown field '${field}'`);
}
