import { InvalidRequestError } from '@waitroom/core';

/** Where a page of orders ended: the last order's creation time and id (ties broken by id). */
export interface OrderCursor {
  createdAt: number;
  id: string;
}

/** Opaque to the caller: base64url of `[createdAt, id]`. */
export function encodeOrderCursor(cursor: OrderCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

/** A cursor this store did not make is the caller's mistake: INVALID_REQUEST, never a 5xx. */
export function decodeOrderCursor(text: string): OrderCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    Number.isSafeInteger(value[0]) &&
    typeof value[1] === 'string' &&
    value[1].length > 0
  ) {
    return { createdAt: value[0] as number, id: value[1] };
  }
  throw new InvalidRequestError('cursor is not one a page of orders gave');
}
