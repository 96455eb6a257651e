import { InvalidRequestError } from '@waitroom/core';
import type { ProductRow } from './order-rows.js';
import type { PlaceOrderInput, PlaceOrderOutcome, ProductInput } from './types.js';

/**
 * The checks of what callers pass in. The HTTP schemas catch malformed requests first; these
 * stop what a schema cannot see (a product listed twice) and protect the tables from a caller's
 * slip, as INVALID_REQUEST rather than a database error.
 */

const CURRENCY = /^[A-Z]{3}$/;

function nonNegativeInteger(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function requireText(value: unknown, field: string, maxLength: number): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw new InvalidRequestError(`${field} must be 1 to ${maxLength} characters`);
  }
}

export function checkProductInputs(products: readonly ProductInput[]): void {
  const seen = new Set<string>();
  products.forEach((p, i) => {
    const at = `products/${i}`;
    requireText(p.id, `${at}/id`, 64);
    if (seen.has(p.id)) throw new InvalidRequestError(`${at}/id lists product '${p.id}' a second time`);
    seen.add(p.id);
    requireText(p.name, `${at}/name`, 255);
    if (!CURRENCY.test(p.currency)) throw new InvalidRequestError(`${at}/currency must be three capitals`);
    if (!nonNegativeInteger(p.priceCents) || p.priceCents > 2_000_000_000) {
      throw new InvalidRequestError(`${at}/priceCents must be an integer from 0 to 2000000000`);
    }
    if (!nonNegativeInteger(p.stock) || p.stock > 2_000_000_000) {
      throw new InvalidRequestError(`${at}/stock must be an integer from 0 to 2000000000`);
    }
    const max = p.maxPerOrder ?? null;
    if (max !== null && !(Number.isSafeInteger(max) && max >= 1 && max <= 2_000_000_000)) {
      throw new InvalidRequestError(`${at}/maxPerOrder must be null or a positive integer`);
    }
  });
}

export function checkPlaceOrderInput(input: PlaceOrderInput): void {
  requireText(input.orderId, 'orderId', 128);
  requireText(input.roomId, 'roomId', 64);
  requireText(input.ticketId, 'ticketId', 128);
  requireText(input.idempotencyKey, 'idempotencyKey', 255);
  requireText(input.requestHash, 'requestHash', 128);
  requireText(input.customer.firstName, 'customer/firstName', 255);
  requireText(input.customer.lastName, 'customer/lastName', 255);
  requireText(input.customer.email, 'customer/email', 320);
  requireText(input.customer.phone, 'customer/phone', 32);
  if (input.items.length === 0) throw new InvalidRequestError('items must list at least one product');
  const seen = new Set<string>();
  input.items.forEach((item, i) => {
    requireText(item.productId, `items/${i}/productId`, 64);
    if (seen.has(item.productId)) {
      throw new InvalidRequestError(`items/${i}/productId lists a product a second time`);
    }
    seen.add(item.productId);
    if (!Number.isSafeInteger(item.quantity) || item.quantity < 1 || item.quantity > 1_000_000) {
      throw new InvalidRequestError(`items/${i}/quantity must be a positive integer`);
    }
  });
  if (!Number.isSafeInteger(input.now)) throw new InvalidRequestError('now must be epoch milliseconds');
}

export type Refusal = Extract<PlaceOrderOutcome, { ok: false }>;

/**
 * Checks the items against the room's products (those on sale): every product exists, each
 * quantity is within its maxPerOrder, one currency for all. Returns the currency, or the
 * refusal. Says nothing of stock: only the conditional update decides that.
 */
export function checkItemsAgainst(
  items: PlaceOrderInput['items'],
  rows: readonly ProductRow[],
): { ok: true; currency: string; byId: Map<string, ProductRow> } | Refusal {
  const byId = new Map(rows.filter((row) => Number(row.on_sale) === 1).map((row) => [row.id, row]));
  let currency: string | null = null;
  for (const item of items) {
    const product = byId.get(item.productId);
    if (!product) return { ok: false, reason: 'PRODUCT_NOT_FOUND', productId: item.productId };
    if (product.max_per_order !== null && item.quantity > Number(product.max_per_order)) {
      return { ok: false, reason: 'LIMIT_EXCEEDED', productId: item.productId };
    }
    currency ??= product.currency;
    if (product.currency !== currency) {
      return { ok: false, reason: 'MIXED_CURRENCY', productId: item.productId };
    }
  }
  // `items` is never empty (checked before), so a currency was found.
  return { ok: true, currency: currency ?? '', byId };
}
