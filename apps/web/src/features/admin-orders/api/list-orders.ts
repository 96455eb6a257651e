import { callApi } from '../../../shared/api/http';
import type { OrderPage } from '../../../shared/api/types';

/** One page of a room's orders, newest first; `nextCursor` names the next page. */
export function listOrders(
  token: string,
  roomId: string,
  limit: number,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<OrderPage> {
  return callApi('get', '/api/admin/orders', {
    token,
    query: { roomId, limit, cursor: cursor ?? undefined },
    signal,
  });
}
