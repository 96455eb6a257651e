import { vi } from 'vitest';
import type { AdminProduct, Order, RoomSettings, RoomStats } from '../api/types';

export const ADMIN_TOKEN = 'operator-token-for-tests';

export interface FakeAdminServer {
  rooms: RoomSettings[];
  stats: RoomStats;
  products: AdminProduct[];
  /** The orders, newest first; pages of `limit` by a cursor that is the next index. */
  orders: Order[];
  requests: { method: string; path: string; query: URLSearchParams; body: unknown; token: string | null }[];
  calls(route: string): FakeAdminServer['requests'];
}

export function demoRoom(overrides: Partial<RoomSettings> = {}): RoomSettings {
  return {
    id: 'demo',
    name: 'Demo sale',
    opensAt: null,
    admitRatePerMinute: 30,
    maxActive: null,
    admissionTtlSeconds: 600,
    heartbeatTimeoutSeconds: 60,
    queueMode: 'fifo',
    status: 'open',
    requireChallenge: false,
    ...overrides,
  };
}

export function someStats(overrides: Partial<RoomStats> = {}): RoomStats {
  return {
    waiting: 120,
    active: 8,
    joinedTotal: 300,
    admittedTotal: 180,
    abandonedTotal: 5,
    completedTotal: 150,
    leftTotal: 3,
    admissionsExpiredTotal: 2,
    inflowPerMinute: 42.5,
    outflowPerMinute: 30,
    plannedOutflowPerMinute: 30,
    outflowMeasured: true,
    estimateAccuracy: { samples: 180, medianErrorRatio: 0.12, p90ErrorRatio: 0.35 },
    ...overrides,
  };
}

export function anOrder(n: number): Order {
  return {
    id: `ord_${n}`,
    roomId: 'demo',
    ticketId: `t${n}`,
    status: 'confirmed',
    customer: {
      firstName: 'Ada',
      lastName: `Number ${n}`,
      email: `ada${n}@example.org`,
      phone: '+447700900123',
    },
    items: [{ productId: 'tour-poster', quantity: 1, unitPriceCents: 2500 }],
    totalCents: 2500,
    currency: 'EUR',
    createdAt: new Date(Date.UTC(2030, 0, 1, 12, 0, n)).toISOString(),
    erasedAt: null,
  };
}

const reply = (status: number, body?: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

/** The operator's API, faked in `fetch`: one room, its stats, products and orders. */
export function installFakeAdminServer(): FakeAdminServer {
  const server: FakeAdminServer = {
    rooms: [demoRoom()],
    stats: someStats(),
    products: [
      {
        id: 'tour-poster',
        name: 'Tour poster',
        description: null,
        priceCents: 2500,
        currency: 'EUR',
        available: 80,
        maxPerOrder: 3,
        sold: 20,
      },
    ],
    orders: Array.from({ length: 25 }, (_, i) => anOrder(25 - i)),
    requests: [],
    calls: (route) => server.requests.filter((r) => `${r.method} ${r.path}` === route),
  };

  const handle = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input), 'http://waitroom.test');
    const method = (init.method ?? 'GET').toUpperCase();
    const auth = new Headers(init.headers).get('authorization');
    const token = auth?.replace(/^Bearer /, '') ?? null;
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    server.requests.push({ method, path: url.pathname, query: url.searchParams, body, token });
    if (token !== ADMIN_TOKEN) {
      return reply(401, { error: { code: 'INVALID_TOKEN', message: 'The operator token is not valid' } });
    }
    const route = `${method} ${url.pathname}`;
    const room = server.rooms.find((r) => url.pathname.startsWith(`/api/admin/rooms/${r.id}`));
    if (route === 'GET /api/admin/rooms') return reply(200, { rooms: server.rooms });
    if (route === 'POST /api/admin/rooms') {
      const created = demoRoom(body as Partial<RoomSettings>);
      server.rooms.push(created);
      return reply(201, created);
    }
    if (room && route === `GET /api/admin/rooms/${room.id}`) return reply(200, room);
    if (room && route === `PATCH /api/admin/rooms/${room.id}`) {
      Object.assign(room, body);
      return reply(200, room);
    }
    if (room && route === `GET /api/admin/rooms/${room.id}/stats`) return reply(200, server.stats);
    if (room && route === `POST /api/admin/rooms/${room.id}/admit`) {
      return reply(200, { admitted: Math.min((body as { count: number }).count, server.stats.waiting) });
    }
    if (room && route === `GET /api/admin/rooms/${room.id}/products`)
      return reply(200, { products: server.products });
    if (room && route === `PUT /api/admin/rooms/${room.id}/products`) {
      const input = (body as { products: (Omit<AdminProduct, 'available' | 'sold'> & { stock: number })[] })
        .products;
      server.products = input.map(({ stock, ...p }) => ({ ...p, available: stock, sold: 0 }));
      return reply(200, { products: server.products });
    }
    if (route === 'GET /api/admin/orders') {
      const limit = Number(url.searchParams.get('limit'));
      const from = Number(url.searchParams.get('cursor') ?? 0);
      const page = server.orders.slice(from, from + limit);
      const next = from + limit < server.orders.length ? String(from + limit) : null;
      return reply(200, { orders: page, nextCursor: next });
    }
    return reply(404, { error: { code: 'NOT_FOUND', message: `No route ${route}` } });
  };

  vi.stubGlobal('fetch', vi.fn(handle));
  return server;
}
