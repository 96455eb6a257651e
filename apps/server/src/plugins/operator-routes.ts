import { InvalidTokenError, WaitroomError } from '@waitroom/core';
import type { AuditInput, ControlStore } from '@waitroom/orders';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { guarded } from '../routes/orders.js';
import { changes, identifyOperator, mayUse, type Operator } from '../security/operator-access.js';
import { bearerToken } from './bearer.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The audit log's name for what this route changes, e.g. `room.update`. */
    audit?: string;
  }
}

/** What a route adds to its audit record: the room, and a summary free of personal data and secrets. */
export interface AuditNote {
  roomId?: string | null;
  details?: Record<string, unknown>;
}

const operators = new WeakMap<FastifyRequest, Operator>();
const notes = new WeakMap<FastifyRequest, AuditNote>();

/** The control store, its failures made into a 503 like the order store's. */
export function guardedControl(app: FastifyInstance): ControlStore {
  return guarded(
    app.waitroom.control,
    app,
    'The database that keeps operator keys is not answering; try again shortly',
  );
}

/**
 * One gate for every operator route of the plugin that calls it: the caller must be an
 * operator (401 INVALID_TOKEN otherwise), a `read` key may only read (403 FORBIDDEN, before
 * the body is even parsed, so nothing changes), and every change that succeeds is written to
 * the audit log before its response leaves, so a client that sees the answer finds the record.
 */
export function protectOperatorRoutes(app: FastifyInstance): void {
  const { admin, clock } = app.waitroom;
  const control = guardedControl(app);

  app.addHook('onRequest', async (request) => {
    const operator = await identifyOperator({ admin, control, clock }, bearerToken(request));
    if (!operator) throw new InvalidTokenError('The operator token is not valid');
    if (!mayUse(operator, request.method)) {
      request.log.warn(
        { actor: operator.actor, method: request.method, route: request.routeOptions.url },
        'a read-only operator key tried a change',
      );
      throw new WaitroomError('FORBIDDEN', 'This operator key may only read');
    }
    operators.set(request, operator);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const operator = operators.get(request);
    if (!operator || !changes(request.method) || reply.statusCode >= 400) return payload;
    const note = notes.get(request) ?? {};
    const params = request.params as { id?: unknown } | undefined;
    const record: AuditInput = {
      at: clock(),
      actor: operator.actor,
      // A change route without a name is still recorded, under its method and path.
      action: request.routeOptions.config.audit ?? `${request.method} ${request.routeOptions.url ?? ''}`,
      roomId: note.roomId !== undefined ? note.roomId : typeof params?.id === 'string' ? params.id : null,
      details: note.details ?? {},
      requestId: request.id,
    };
    try {
      await control.appendAudit(record);
    } catch {
      // The change is made and cannot be taken back: its record goes to the log instead.
      request.log.error({ audit: record }, 'the audit record could not be stored');
    }
    return payload;
  });
}

/** Adds the room and a safe summary to the audit record of this request's change. */
export function noteAudit(request: FastifyRequest, note: AuditNote): void {
  notes.set(request, { ...notes.get(request), ...note });
}
