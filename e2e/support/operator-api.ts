import { type APIRequestContext, expect } from '@playwright/test';
import { ADMIN_TOKEN, BASE_URL } from './server-env.js';

/** The operator's API, for what a test sets up or checks behind the pages' back. */
const operator = { authorization: `Bearer ${ADMIN_TOKEN}` };

export interface SaleRoom {
  id: string;
  name: string;
  admitRatePerMinute: number;
  heartbeatTimeoutSeconds?: number;
  requireChallenge?: boolean;
}

export interface SaleProduct {
  id: string;
  name: string;
  description?: string;
  priceCents: number;
  currency: string;
  stock: number;
  maxPerOrder?: number;
}

/** A room and what it sells, made as an operator's script would. */
export async function createSale(request: APIRequestContext, room: SaleRoom, products: SaleProduct[]) {
  const created = await request.post('/api/admin/rooms', { headers: operator, data: room });
  expect(created.status(), await created.text()).toBe(201);
  const stocked = await request.put(`/api/admin/rooms/${room.id}/products`, {
    headers: operator,
    data: { products },
  });
  expect(stocked.status(), await stocked.text()).toBe(200);
}

export async function admitNow(request: APIRequestContext, roomId: string, count: number): Promise<number> {
  const answer = await request.post(`/api/admin/rooms/${roomId}/admit`, {
    headers: operator,
    data: { count },
  });
  expect(answer.status(), await answer.text()).toBe(200);
  return ((await answer.json()) as { admitted: number }).admitted;
}

export interface OrderSeen {
  id: string;
  roomId: string;
  status: string;
  customer: { firstName: string; lastName: string; email: string; phone: string };
  items: { productId: string; quantity: number; unitPriceCents: number }[];
  totalCents: number;
}

export async function getOrder(request: APIRequestContext, orderId: string): Promise<OrderSeen> {
  const answer = await request.get(`/api/orders/${orderId}`, { headers: operator });
  expect(answer.status(), await answer.text()).toBe(200);
  return (await answer.json()) as OrderSeen;
}

export async function listOrders(request: APIRequestContext, roomId: string): Promise<OrderSeen[]> {
  const answer = await request.get(`/api/admin/orders?roomId=${roomId}&limit=100`, { headers: operator });
  expect(answer.status(), await answer.text()).toBe(200);
  return ((await answer.json()) as { orders: OrderSeen[] }).orders;
}

/** The ticket a queue token names, as the server knows it. */
export async function ticketOf(request: APIRequestContext, roomId: string, queueToken: string) {
  const answer = await request.get(`/api/rooms/${roomId}/tickets/me`, {
    headers: { authorization: `Bearer ${queueToken}` },
  });
  expect(answer.status(), await answer.text()).toBe(200);
  return (await answer.json()) as { ticketId: string; state: string; position: number | null };
}

/**
 * Other shoppers joining behind the ones the test drives, one every `everyMs`, by the API
 * (the room's heartbeat timeout must outlast the test, since these never call again).
 * They only ever stand behind, so the positions the test checks do not move.
 */
export function crowdJoining(roomId: string, { everyMs = 400, most = 60 } = {}) {
  let joined = 0;
  let failure: string | null = null;
  const timer = setInterval(async () => {
    if (joined >= most) return;
    joined++;
    try {
      const answer = await fetch(`${BASE_URL}/api/rooms/${roomId}/tickets`, { method: 'POST' });
      if (answer.status !== 201) failure = `join answered ${answer.status}: ${await answer.text()}`;
    } catch (error) {
      failure = String(error);
    }
  }, everyMs);
  return {
    get joined() {
      return joined;
    },
    stop() {
      clearInterval(timer);
      if (failure) throw new Error(`A shopper of the crowd could not join: ${failure}`);
    },
  };
}
