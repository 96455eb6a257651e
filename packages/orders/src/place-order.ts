import type { Transaction } from 'kysely';
import type { OrdersDatabase } from './database-schema.js';
import { checkItemsAgainst, type Refusal } from './input-checks.js';
import { isoTime } from './order-rows.js';
import type { Order, PlaceOrderInput } from './types.js';

/** Thrown inside the transaction to roll it back, carrying the refusal to return. */
export class Refused extends Error {
  constructor(readonly outcome: Refusal) {
    super(outcome.reason);
    this.name = 'Refused';
  }
}

/** Code-unit order, the same in every instance: every transaction locks products in it. */
function byProductId(a: { productId: string }, b: { productId: string }): number {
  return a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0;
}

/**
 * The order's one transaction. The order row goes in first: its UNIQUE (room_id, ticket_id)
 * makes a concurrent order for the same ticket wait here and then fail, before it touches any
 * stock. Then each line takes its units with a conditional update, in product id order so that
 * two orders never wait for each other; a line that finds too few units refuses the whole
 * order, and the rollback returns what the earlier lines took. Prices are read after the
 * updates, from rows this transaction now holds: the order is charged what the products cost
 * at the moment it took them, never what the request says.
 */
export async function placeOrderIn(
  trx: Transaction<OrdersDatabase>,
  input: PlaceOrderInput,
  currency: string,
): Promise<Order> {
  const { orderId, roomId, customer, items, now } = input;
  await trx
    .insertInto('orders')
    .values({
      id: orderId,
      room_id: roomId,
      ticket_id: input.ticketId,
      idempotency_key: input.idempotencyKey,
      request_hash: input.requestHash,
      customer_first_name: customer.firstName,
      customer_last_name: customer.lastName,
      customer_email: customer.email,
      customer_phone: customer.phone,
      erased_at: null,
      total_cents: 0,
      currency,
      status: 'confirmed',
      created_at: now,
    })
    .execute();

  for (const item of [...items].sort(byProductId)) {
    const taken = await trx
      .updateTable('products')
      .set((eb) => ({
        stock: eb('stock', '-', item.quantity),
        sold: eb('sold', '+', item.quantity).$castTo<number>(),
      }))
      .where('room_id', '=', roomId)
      .where('id', '=', item.productId)
      .where('on_sale', '=', 1)
      .where('stock', '>=', item.quantity)
      .executeTakeFirst();
    if (taken.numUpdatedRows === 0n) {
      // Only to name the refusal: the transaction is rolled back whatever this reads.
      const product = await trx
        .selectFrom('products')
        .select('on_sale')
        .where('room_id', '=', roomId)
        .where('id', '=', item.productId)
        .executeTakeFirst();
      const onSale = product !== undefined && Number(product.on_sale) === 1;
      throw new Refused({
        ok: false,
        reason: onSale ? 'SOLD_OUT' : 'PRODUCT_NOT_FOUND',
        productId: item.productId,
      });
    }
  }

  // The operator may have changed a product since the checks before the transaction: check
  // again on the rows as they are now, locked by this transaction.
  const rows = await trx
    .selectFrom('products')
    .selectAll()
    .where('room_id', '=', roomId)
    .where(
      'id',
      'in',
      items.map((item) => item.productId),
    )
    .execute();
  const checked = checkItemsAgainst(items, rows);
  if (!checked.ok) throw new Refused(checked);

  const lines = items.map((item, position) => ({
    order_id: orderId,
    product_id: item.productId,
    quantity: item.quantity,
    unit_price_cents: Number(checked.byId.get(item.productId)?.price_cents ?? 0),
    position,
  }));
  const totalCents = lines.reduce((sum, line) => sum + line.quantity * line.unit_price_cents, 0);
  await trx.insertInto('order_lines').values(lines).execute();
  await trx
    .updateTable('orders')
    .set({ total_cents: totalCents, currency: checked.currency })
    .where('id', '=', orderId)
    .execute();

  return {
    id: orderId,
    roomId,
    ticketId: input.ticketId,
    status: 'confirmed',
    customer: {
      firstName: customer.firstName,
      lastName: customer.lastName,
      email: customer.email,
      phone: customer.phone,
    },
    items: lines.map((line) => ({
      productId: line.product_id,
      quantity: line.quantity,
      unitPriceCents: line.unit_price_cents,
    })),
    totalCents,
    currency: checked.currency,
    createdAt: isoTime(now),
    erasedAt: null,
  };
}
