import type { ApiResponse, JoinedTicket, TestServer } from '../helper.js';

/** An admitted shopper: the queue token that holds the place and the admission token that buys. */
export interface Buyer extends JoinedTicket {
  admissionToken: string;
  /** Which buyer this is (gives each one distinct customer details). */
  index: number;
}

export interface OrderResponse {
  id: string;
  roomId: string;
  ticketId: string;
  status: 'confirmed';
  customer: { firstName: string; lastName: string; email: string; phone: string } | null;
  items: { productId: string; quantity: number; unitPriceCents: number }[];
  totalCents: number;
  currency: string;
  createdAt: string;
  erasedAt: string | null;
}

/** Distinct, valid contact details for buyer `i`. */
export function customer(i: number) {
  return {
    firstName: `Ada${i}`,
    lastName: `Lovelace${i}`,
    email: `ada.${i}@example.org`,
    phone: `+4477009${String(i).padStart(5, '0')}`,
  };
}

export function orderBody(i: number, items: { productId: string; quantity: number }[]) {
  return { customer: customer(i), items };
}

/**
 * Joins `n` shoppers and admits them all through the operator API (whatever the rate), and
 * reads each one's admission token.
 */
export async function admittedBuyers(server: TestServer, roomId: string, n: number): Promise<Buyer[]> {
  const joined: JoinedTicket[] = [];
  for (let from = 0; from < n; from += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, n - from) }, () => server.join(roomId)),
    );
    joined.push(...batch);
  }
  let admitted = 0;
  while (admitted < n) admitted += await server.admit(roomId, n - admitted);
  const buyers: Buyer[] = [];
  for (let from = 0; from < n; from += 100) {
    const slice = joined.slice(from, from + 100);
    const statuses = await Promise.all(slice.map((t) => server.status(roomId, t.queueToken)));
    statuses.forEach((status, k) => {
      if (!status.admissionToken) throw new Error(`buyer ${from + k} was not admitted`);
      buyers.push({ ...slice[k]!, admissionToken: status.admissionToken, index: from + k });
    });
  }
  return buyers;
}

/** POST /api/orders as `buyer`, with an Idempotency-Key of its own unless one is given. */
export function placeOrder(
  server: TestServer,
  buyer: Buyer,
  items: { productId: string; quantity: number }[],
  options: { key?: string } = {},
): Promise<ApiResponse<OrderResponse | { error: { code: string; message: string } }>> {
  return server.request('POST', '/api/orders', {
    token: buyer.admissionToken,
    headers: {
      'idempotency-key': options.key ?? `order-${buyer.ticketId}-${Math.random().toString(36).slice(2)}`,
    },
    body: orderBody(buyer.index, items),
  });
}
