import { callApi } from '../../../shared/api/http';
import type { Order, PlaceOrder } from '../../../shared/api/types';

/**
 * Places the admission's one order. The same `idempotencyKey` with the same body gives the
 * same order back, so a retry after a lost answer never buys twice.
 */
export function placeOrder(
  admissionToken: string,
  idempotencyKey: string,
  order: PlaceOrder,
): Promise<Order> {
  return callApi('post', '/api/orders', {
    token: admissionToken,
    headers: { 'idempotency-key': idempotencyKey },
    body: order,
  });
}
