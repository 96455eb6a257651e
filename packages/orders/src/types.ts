import type { ControlStore } from './control-types.js';

/**
 * The order store's outside: what the server calls. Money is in integer cents with an ISO
 * 4217 currency; times are epoch milliseconds in, ISO 8601 strings out.
 */

/** A product as the operator sets it (`PUT /api/admin/rooms/{id}/products`). */
export interface ProductInput {
  id: string;
  name: string;
  description?: string | null;
  priceCents: number;
  currency: string;
  /** Units still for sale. */
  stock: number;
  maxPerOrder?: number | null;
}

export interface Product {
  roomId: string;
  id: string;
  name: string;
  description: string | null;
  priceCents: number;
  currency: string;
  /** Units still for sale (never below zero). */
  available: number;
  /** Units in confirmed orders. */
  sold: number;
  maxPerOrder: number | null;
}

export interface Customer {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
}

export interface OrderLine {
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

export interface Order {
  id: string;
  roomId: string;
  ticketId: string;
  status: 'confirmed';
  /** Null once the customer's details were erased; the order's figures stay. */
  customer: Customer | null;
  items: OrderLine[];
  totalCents: number;
  currency: string;
  createdAt: string;
  /** When the customer's details were erased, or null. */
  erasedAt: string | null;
}

export interface PlaceOrderInput {
  /** A fresh unguessable id for the order, made by the caller. */
  orderId: string;
  roomId: string;
  /** The admitted ticket placing the order: one order per (roomId, ticketId). */
  ticketId: string;
  idempotencyKey: string;
  /** A hash of the request body as sent, to tell a replay from another request under the same key. */
  requestHash: string;
  customer: Customer;
  /** One line per product (the caller merges repeated products or refuses them). */
  items: { productId: string; quantity: number }[];
  now: number;
}

export type PlaceOrderOutcome =
  /** `replayed`: the same key and body had already placed this order. */
  | { ok: true; order: Order; replayed: boolean }
  | {
      ok: false;
      reason:
        | 'SOLD_OUT'
        | 'LIMIT_EXCEEDED'
        | 'PRODUCT_NOT_FOUND'
        | 'MIXED_CURRENCY'
        | 'ADMISSION_USED'
        | 'IDEMPOTENCY_CONFLICT';
      /** The product at fault, when one is. */
      productId?: string;
    };

/** An order with the request that placed it, for telling a replay from another request. */
export interface PlacedOrder {
  order: Order;
  idempotencyKey: string;
  requestHash: string;
}

/** An order with what placed it: enough to tell a replay from another request. */
export interface PlacedOrder {
  order: Order;
  idempotencyKey: string;
  requestHash: string;
}

export interface OrderPage {
  orders: Order[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export type DatabaseDialect = 'sqlite' | 'postgres' | 'mysql';

/**
 * Products and orders of every room. Each method is one transaction; the rules of
 * CONTRACT.md ("What always holds" 4 and 5) are enforced by the database (conditional
 * updates, unique constraints), so that they hold across server instances and restarts.
 * Expected refusals are returned as data; a thrown error means the database failed.
 */
export interface OrderStore {
  readonly dialect: DatabaseDialect;
  /** Operator keys and the audit log, in the same database and on the same connections. */
  readonly control: ControlStore;
  /** Runs the migrations not yet applied (also at every start). */
  migrate(): Promise<void>;
  /**
   * Sets a room's catalogue: the products listed are created or updated (stock set to the
   * value given); products not listed are withdrawn from sale (kept for their orders).
   */
  putProducts(roomId: string, products: ProductInput[], now: number): Promise<Product[]>;
  /** The room's products on sale, in the order they were listed. */
  listProducts(roomId: string): Promise<Product[]>;
  /**
   * Places an order in one transaction: checks every product exists, is on sale, has one
   * currency and is within maxPerOrder; takes the stock of every line with a conditional
   * update (SOLD_OUT if any line lacks stock, selling nothing); records the order, unique per
   * (roomId, ticketId). A second call for the same ticket returns the first order when the
   * key and the body hash match (`replayed`), IDEMPOTENCY_CONFLICT when only the key
   * matches, ADMISSION_USED otherwise.
   */
  placeOrder(input: PlaceOrderInput): Promise<PlaceOrderOutcome>;
  getOrder(orderId: string): Promise<Order | null>;
  findOrderForTicket(roomId: string, ticketId: string): Promise<Order | null>;
  /** The ticket's order with the key and body hash that placed it, to answer a replay before anything else. */
  findPlaced(roomId: string, ticketId: string): Promise<PlacedOrder | null>;
  /** The ticket's order with its idempotency key and request hash, or null. */
  findPlaced(roomId: string, ticketId: string): Promise<PlacedOrder | null>;
  /**
   * Newest first; `cursor` from the previous page. A cursor this store did not make, or a
   * limit outside 1..500, throws `InvalidRequestError` (INVALID_REQUEST) from @waitroom/core.
   */
  listOrders(options: { roomId?: string; limit: number; cursor?: string | null }): Promise<OrderPage>;
  /** Erases the contact details of every order of this customer (by e-mail) or of one order; returns how many orders. */
  eraseCustomer(target: { email: string } | { orderId: string }, now: number): Promise<number>;
  /** Resolves when the database answers (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
