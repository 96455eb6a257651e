import { createHash, randomBytes } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ConflictError,
  InvalidRequestError,
  InvalidTokenError,
  NotFoundError,
  TokenExpiredError,
  UnavailableError,
  WaitroomError,
} from '@waitroom/core';
import type { Order, PlacedOrder, PlaceOrderOutcome, Product } from '@waitroom/orders';
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { bearerToken } from '../plugins/bearer.js';
import { errors, RoomIdParams } from '../schemas/common.js';
import { OrderBody, OrderIdParams, PlaceOrderBody, ProductListBody } from '../schemas/orders.js';
import { identifyOperator } from '../security/operator-access.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** The shopper's side of a sale: the products on offer, placing an order, reading it back. */
export async function orderRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { engine, admissionTokens, admin, clock } = app.waitroom;
  const orders = guarded(app.waitroom.orders, app);
  const control = guarded(app.waitroom.control, app, 'The database is not answering; try again shortly');

  app.get(
    '/api/rooms/:roomId/products',
    {
      schema: {
        tags: ['orders'],
        summary: 'What is on sale in a room, with the units left',
        params: RoomIdParams,
        response: { 200: ProductListBody, ...errors(404) },
      },
    },
    async (request) => {
      const { roomId } = request.params;
      await engine.getRoom(roomId); // 404 for a room that does not exist
      return { products: (await orders.listProducts(roomId)).map(publicProduct) };
    },
  );

  app.post(
    '/api/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'Place the one order an admission allows',
        description:
          'Needs the admission token as a bearer token and an Idempotency-Key header. The same key with ' +
          'the same body returns the same order (200); prices come from the products, never from the request.',
        security: [{ admissionToken: [] }],
        headers: {
          type: 'object',
          properties: { 'idempotency-key': { type: 'string', description: '1 to 200 printable characters' } },
        },
        body: PlaceOrderBody,
        response: { 200: OrderBody, 201: OrderBody, ...errors(400, 401, 403, 409, 503) },
      },
    },
    async (request, reply) => {
      const claims = await admissionTokens.verify(bearerToken(request));
      const roomId = claims.rid;
      const ticketId = claims.sub;
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
        throw new InvalidRequestError('headers/idempotency-key is required: 1 to 200 printable characters');
      }
      const body = request.body;
      const seen = new Set<string>();
      body.items.forEach((item, i) => {
        if (seen.has(item.productId))
          throw new InvalidRequestError(`body/items/${i}/productId lists a product a second time`);
        seen.add(item.productId);
      });
      const requestHash = hashBody(body);

      // A replay needs no admission any more: the order it placed answers it.
      const placed = await orders.findPlaced(roomId, ticketId);
      if (placed) return reply.code(200).send(replay(placed, key, requestHash));

      try {
        await checkAdmitted(roomId, ticketId);
      } catch (error) {
        // The same order sent twice at once: the other request may have placed it and used
        // the admission since this one looked. Its order answers this one too.
        const placedMeanwhile = await orders.findPlaced(roomId, ticketId);
        if (placedMeanwhile) return reply.code(200).send(replay(placedMeanwhile, key, requestHash));
        throw error;
      }
      const outcome = await orders.placeOrder({
        orderId: `ord_${randomBytes(12).toString('base64url')}`,
        roomId,
        ticketId,
        idempotencyKey: key,
        requestHash,
        customer: body.customer,
        items: body.items,
        now: clock(),
      });
      if (!outcome.ok) throw refusal(outcome, body.items);
      if (outcome.replayed) return reply.code(200).send(outcome.order);
      // The admission is used up: its place among the active is free at once.
      try {
        await engine.complete(roomId, ticketId);
      } catch (error) {
        const code = error instanceof WaitroomError ? error.code : 'STORE_ERROR';
        request.log.warn(
          { orderId: outcome.order.id, code },
          'order confirmed but the admission could not be ended',
        );
      }
      request.log.info(
        { orderId: outcome.order.id, roomId, lines: outcome.order.items.length },
        'order confirmed',
      );
      return reply.code(201).send(outcome.order);
    },
  );

  app.get(
    '/api/orders/:orderId',
    {
      schema: {
        tags: ['orders'],
        summary: 'An order, for the admission token that placed it or the operator',
        security: [{ admissionToken: [] }, { operator: [] }],
        params: OrderIdParams,
        response: { 200: OrderBody, ...errors(401, 404) },
      },
    },
    async (request) => {
      const token = bearerToken(request);
      const order = await orders.getOrder(request.params.orderId);
      if (await identifyOperator({ admin, control, clock }, token)) {
        if (!order) throw new NotFoundError('No such order');
        return order;
      }
      const claims = await admissionTokens.verify(token);
      // Someone else's order reads as missing: an id alone reveals nothing.
      if (!order || order.roomId !== claims.rid || order.ticketId !== claims.sub) {
        throw new NotFoundError('No such order');
      }
      return order;
    },
  );

  /** The ticket must hold a live admission: not one used up, ended or run out. */
  async function checkAdmitted(roomId: string, ticketId: string): Promise<void> {
    const ticket = await engine.store.readTicket(roomId, ticketId, { now: clock(), touch: false });
    if (!ticket) throw new InvalidTokenError('The admission token names no ticket here');
    if (ticket.state === 'admitted') {
      if (ticket.admissionExpiresAt !== null && ticket.admissionExpiresAt <= clock())
        throw new TokenExpiredError('The admission has expired');
      return;
    }
    if (ticket.state === 'completed') throw new ConflictError('ADMISSION_USED', 'This admission was used');
    if (ticket.state === 'expired') throw new TokenExpiredError('The admission has expired');
    throw new WaitroomError('FORBIDDEN', 'This ticket is not admitted');
  }
}

/** The same key and body get the order back; anything else under this admission is refused. */
function replay(placed: PlacedOrder, key: string, requestHash: string): Order {
  if (placed.idempotencyKey !== key)
    throw new ConflictError('ADMISSION_USED', 'This admission has placed its order');
  if (placed.requestHash !== requestHash) {
    throw new ConflictError('IDEMPOTENCY_CONFLICT', 'This Idempotency-Key was used with another request');
  }
  return placed.order;
}

function refusal(
  outcome: Extract<PlaceOrderOutcome, { ok: false }>,
  items: readonly { productId: string }[],
): WaitroomError {
  const at = items.findIndex((item) => item.productId === outcome.productId);
  const field = at >= 0 ? `body/items/${at}/productId` : 'body/items';
  switch (outcome.reason) {
    case 'SOLD_OUT':
      return new ConflictError(
        'SOLD_OUT',
        `Not enough left of '${outcome.productId ?? 'a product'}'; nothing was sold`,
      );
    case 'LIMIT_EXCEEDED':
      return new ConflictError(
        'LIMIT_EXCEEDED',
        `${field}: the quantity is above this product's maxPerOrder`,
      );
    case 'PRODUCT_NOT_FOUND':
      return new InvalidRequestError(`${field} names no product on sale in this room`);
    case 'MIXED_CURRENCY':
      return new InvalidRequestError('body/items: the products are priced in different currencies');
    case 'ADMISSION_USED':
      return new ConflictError('ADMISSION_USED', 'This admission has placed its order');
    case 'IDEMPOTENCY_CONFLICT':
      return new ConflictError('IDEMPOTENCY_CONFLICT', 'This Idempotency-Key was used with another request');
  }
}

/** The same body hashes the same, whatever the order of its object keys. */
function hashBody(body: Static<typeof PlaceOrderBody>): string {
  const c = body.customer;
  const canonical = JSON.stringify([
    [c.firstName, c.lastName, c.email, c.phone],
    body.items.map((item) => [item.productId, item.quantity]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export function publicProduct(p: Product) {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    priceCents: p.priceCents,
    currency: p.currency,
    available: p.available,
    maxPerOrder: p.maxPerOrder,
  };
}

/**
 * The order store (or the control store beside it) with its failures made into a clear 503: a
 * database that is down sells nothing and says so. The cause goes to the log (without the
 * customer's details, which no query error carries).
 */
export function guarded<T extends object>(
  store: T,
  app: FastifyInstance,
  message = 'The order database is not answering; nothing was sold, try again shortly',
): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        try {
          return await value.apply(target, args);
        } catch (error) {
          if (error instanceof WaitroomError) throw error;
          const e = error as { code?: unknown; message?: unknown };
          app.log.error(
            { dbCode: e.code, dbError: String(e.message ?? error).slice(0, 300) },
            'order store failed',
          );
          throw new UnavailableError(message);
        }
      };
    },
  });
}
