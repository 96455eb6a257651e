import type { Selectable } from 'kysely';
import type { OrderLinesTable, OrdersTable, ProductsTable } from './database-schema.js';
import type { Customer, Order, OrderLine, PlacedOrder, Product } from './types.js';

/** Rows to the store's types: numbers from whatever the driver returned, times as ISO 8601. */

export type ProductRow = Selectable<ProductsTable>;
export type OrderRow = Selectable<OrdersTable>;
export type OrderLineRow = Selectable<OrderLinesTable>;

export function toProduct(row: ProductRow): Product {
  return {
    roomId: row.room_id,
    id: row.id,
    name: row.name,
    description: row.description,
    priceCents: Number(row.price_cents),
    currency: row.currency,
    available: Number(row.stock),
    sold: Number(row.sold),
    maxPerOrder: row.max_per_order === null ? null : Number(row.max_per_order),
  };
}

export function isoTime(epochMs: number | string): string {
  return new Date(Number(epochMs)).toISOString();
}

function customerOf(row: OrderRow): Customer | null {
  const { customer_first_name, customer_last_name, customer_email, customer_phone } = row;
  if (customer_first_name === null || customer_last_name === null || customer_email === null) return null;
  if (customer_phone === null) return null;
  return {
    firstName: customer_first_name,
    lastName: customer_last_name,
    email: customer_email,
    phone: customer_phone,
  };
}

export function toOrderLine(row: OrderLineRow): OrderLine {
  return {
    productId: row.product_id,
    quantity: Number(row.quantity),
    unitPriceCents: Number(row.unit_price_cents),
  };
}

export function toOrder(row: OrderRow, lines: readonly OrderLineRow[]): Order {
  return {
    id: row.id,
    roomId: row.room_id,
    ticketId: row.ticket_id,
    status: 'confirmed',
    customer: customerOf(row),
    items: [...lines].sort((a, b) => a.position - b.position).map(toOrderLine),
    totalCents: Number(row.total_cents),
    currency: row.currency,
    createdAt: isoTime(row.created_at),
    erasedAt: row.erased_at === null ? null : isoTime(row.erased_at),
  };
}

export function toPlacedOrder(row: OrderRow, lines: readonly OrderLineRow[]): PlacedOrder {
  return { order: toOrder(row, lines), idempotencyKey: row.idempotency_key, requestHash: row.request_hash };
}
