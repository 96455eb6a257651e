import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { InvalidRequestError, NotFoundError } from '@waitroom/core';
import type { Product, ProductInput } from '@waitroom/orders';
import type { FastifyInstance } from 'fastify';
import { noteAudit, protectOperatorRoutes } from '../plugins/operator-routes.js';
import { errors, IdParams } from '../schemas/common.js';
import {
  AdminProductListBody,
  EraseCustomerBody,
  ErasedBody,
  OrderIdParams,
  OrderListBody,
  OrderListQuery,
  PutProductsBody,
} from '../schemas/orders.js';
import { guarded, publicProduct } from './orders.js';

const security = [{ operator: [] }];

/** The operator's side of a sale: the catalogue and its stock, the orders, erasing a customer. */
export async function adminOrderRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { engine, clock } = app.waitroom;
  const orders = guarded(app.waitroom.orders, app);
  protectOperatorRoutes(app);

  app.put(
    '/api/admin/rooms/:id/products',
    {
      config: { audit: 'products.put' },
      schema: {
        tags: ['operator'],
        summary: "Set a room's products and their stock; products left out are withdrawn from sale",
        security,
        params: IdParams,
        body: PutProductsBody,
        response: { 200: AdminProductListBody, ...errors(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      const roomId = request.params.id;
      await engine.getRoom(roomId);
      const seen = new Set<string>();
      request.body.products.forEach((p, i) => {
        if (seen.has(p.id)) throw new InvalidRequestError(`body/products/${i}/id is listed twice`);
        seen.add(p.id);
      });
      const products = await orders.putProducts(roomId, request.body.products, clock());
      noteAudit(request, { details: catalogueSummary(request.body.products) });
      request.log.info({ roomId, products: products.length }, 'products set');
      return { products: products.map(adminProduct) };
    },
  );

  app.get(
    '/api/admin/rooms/:id/products',
    {
      schema: {
        tags: ['operator'],
        summary: "A room's products on sale, with units left and sold",
        security,
        params: IdParams,
        response: { 200: AdminProductListBody, ...errors(401, 404, 503) },
      },
    },
    async (request) => {
      await engine.getRoom(request.params.id);
      return { products: (await orders.listProducts(request.params.id)).map(adminProduct) };
    },
  );

  app.get(
    '/api/admin/orders',
    {
      schema: {
        tags: ['operator'],
        summary: 'Orders, newest first, a page at a time',
        security,
        querystring: OrderListQuery,
        response: { 200: OrderListBody, ...errors(400, 401, 503) },
      },
    },
    async (request) => {
      const { roomId, limit, cursor } = request.query;
      return orders.listOrders({ limit, ...(roomId ? { roomId } : {}), ...(cursor ? { cursor } : {}) });
    },
  );

  app.delete(
    '/api/admin/orders/:orderId/customer',
    {
      config: { audit: 'order.customer.erase' },
      schema: {
        tags: ['operator'],
        summary: "Erase an order's customer details (the order's figures stay)",
        security,
        params: OrderIdParams,
        response: { 200: ErasedBody, ...errors(401, 403, 404, 503) },
      },
    },
    async (request) => {
      const { orderId } = request.params;
      const order = await orders.getOrder(orderId);
      if (!order) throw new NotFoundError('No such order');
      const erased = await orders.eraseCustomer({ orderId }, clock());
      noteAudit(request, { roomId: order.roomId, details: { orderId, erased } });
      request.log.info({ orderId: request.params.orderId }, 'customer details erased');
      return { erased };
    },
  );

  app.post(
    '/api/admin/customers/erase',
    {
      config: { audit: 'customer.erase' },
      schema: {
        tags: ['operator'],
        summary: "Erase a customer's details from every order placed with this e-mail address",
        security,
        body: EraseCustomerBody,
        response: { 200: ErasedBody, ...errors(400, 401, 403, 503) },
      },
    },
    async (request) => {
      const erased = await orders.eraseCustomer({ email: request.body.email }, clock());
      // The address itself is personal data: the log and the audit record say only how many orders.
      noteAudit(request, { details: { orders: erased } });
      request.log.info({ orders: erased }, 'customer details erased');
      return { erased };
    },
  );
}

/** What the audit log keeps of a new catalogue: each product's id, price and stock (the first 50). */
function catalogueSummary(products: readonly ProductInput[]) {
  return {
    count: products.length,
    products: products.slice(0, 50).map((p) => ({
      id: p.id,
      priceCents: p.priceCents,
      currency: p.currency,
      stock: p.stock,
    })),
  };
}

function adminProduct(p: Product) {
  return { ...publicProduct(p), sold: p.sold };
}
