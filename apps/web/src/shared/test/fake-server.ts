import { type Challenge, createChallenge, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/web/pbkdf2';
import { vi } from 'vitest';
import type { Order, PlaceOrder, Product, PublicRoom, TicketStatus } from '../api/types';

/** A request the page made, as the fake server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

/**
 * The server's API, faked in the page's `fetch`, for component tests: a room, its products,
 * one ticket whose status the test sets and pushes over the live stream, and orders.
 */
export interface FakeServer {
  room: PublicRoom | null;
  products: Product[];
  status: TicketStatus;
  /** 'live': the stream answers; 'down': it cannot be reached (the page must poll); or a refusal. */
  events: 'live' | 'down' | Reply;
  /** GET …/tickets/me: the status, or a refusal, or 'down' (no answer). */
  poll: 'ok' | 'down' | Reply;
  /** The answer to POST /api/orders; by default the order confirmed. */
  orderReply: ((body: PlaceOrder) => Reply) | null;
  /** Joins must carry a solved challenge (X-Altcha), checked as the real server does; by default as the room says. */
  requireChallenge: boolean;
  requests: SeenRequest[];
  /** Sets the ticket's status and pushes it to every open stream. */
  push(status: Partial<TicketStatus>): void;
  /** The requests to a path (method and path, e.g. 'GET /api/rooms/demo/tickets/me'). */
  calls(route: string): SeenRequest[];
}

export const QUEUE_TOKEN = 'qt.test-token';

export function waitingStatus(overrides: Partial<TicketStatus> = {}): TicketStatus {
  return {
    ticketId: 't1',
    roomId: 'demo',
    state: 'waiting',
    position: 12,
    etaSeconds: 45,
    etaRange: [30, 70],
    pollAfterMs: 1000,
    roomStatus: 'open',
    joinedAt: new Date().toISOString(),
    ...overrides,
  };
}

export function admittedStatus(overrides: Partial<TicketStatus> = {}): TicketStatus {
  return waitingStatus({
    state: 'admitted',
    position: null,
    etaSeconds: null,
    etaRange: null,
    admissionToken: 'adm.jwt.token',
    admissionExpiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
    ...overrides,
  });
}

export const PRODUCTS: Product[] = [
  {
    id: 'tour-poster',
    name: 'Tour poster',
    description: 'Signed, numbered',
    priceCents: 2500,
    currency: 'EUR',
    available: 5,
    maxPerOrder: 2,
  },
  {
    id: 'vinyl',
    name: 'Vinyl record',
    description: null,
    priceCents: 3000,
    currency: 'EUR',
    available: 40,
    maxPerOrder: null,
  },
];

export function openRoom(overrides: Partial<PublicRoom> = {}): PublicRoom {
  return {
    id: 'demo',
    name: 'Spring drop',
    status: 'open',
    opensAt: null,
    waiting: 120,
    admitRatePerMinute: 60,
    estimatedWaitSeconds: 150,
    requireChallenge: false,
    lottery: null,
    ...overrides,
  };
}

const json = (reply: Reply) =>
  new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
    status: reply.status,
    headers: { 'content-type': 'application/json', ...reply.headers },
  });

const down = () => Promise.reject(new TypeError('Failed to fetch'));

export function installFakeServer(
  init: Partial<Pick<FakeServer, 'room' | 'products' | 'status'>> = {},
): FakeServer {
  const streams = new Set<ReadableStreamDefaultController<Uint8Array>>();
  const spent = new Set<string>();
  const encoder = new TextEncoder();
  const event = (status: TicketStatus) =>
    encoder.encode(`event: status\ndata: ${JSON.stringify(status)}\n\n`);

  const server: FakeServer = {
    room: init.room === undefined ? openRoom() : init.room,
    products: init.products ?? PRODUCTS.map((p) => ({ ...p })),
    status: init.status ?? waitingStatus(),
    events: 'live',
    poll: 'ok',
    orderReply: null,
    requireChallenge: init.room?.requireChallenge === true,
    requests: [],
    push(next) {
      server.status = { ...server.status, ...next };
      for (const stream of streams) stream.enqueue(event(server.status));
    },
    calls(route) {
      return server.requests.filter((r) => `${r.method} ${r.path}` === route);
    },
  };

  const handle = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input), 'http://waitroom.test');
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    server.requests.push({ method, path: url.pathname, headers, body });
    const route = `${method} ${url.pathname}`;
    const roomId = server.room?.id ?? 'demo';
    const base = `/api/rooms/${roomId}`;

    if (route === `GET ${base}`) {
      return server.room ? json({ status: 200, body: server.room }) : json(notFound('ROOM_NOT_FOUND'));
    }
    if (route === `GET ${base}/products`) return json({ status: 200, body: { products: server.products } });
    if (route === `GET ${base}/challenge`) return json({ status: 200, body: await newChallenge(roomId) });
    if (route === `POST ${base}/tickets`) {
      if (server.requireChallenge) {
        const refusal = await checkSolution(headers['x-altcha'], spent);
        if (refusal) return json(refusal);
      }
      return json({ status: 201, body: { ...server.status, queueToken: QUEUE_TOKEN } });
    }
    if (route === `GET ${base}/tickets/me`) {
      if (server.poll === 'down') return down();
      if (server.poll !== 'ok') return json(server.poll);
      return json({ status: 200, body: server.status });
    }
    if (route === `DELETE ${base}/tickets/me`) return new Response(null, { status: 204 });
    if (route === `GET ${base}/tickets/me/events`) {
      if (server.events === 'down') return down();
      if (server.events !== 'live') return json(server.events);
      let mine: ReadableStreamDefaultController<Uint8Array> | null = null;
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          mine = controller;
          streams.add(controller);
          controller.enqueue(encoder.encode('retry: 3000\n'));
          controller.enqueue(event(server.status));
        },
        cancel() {
          if (mine) streams.delete(mine);
        },
      });
      init.signal?.addEventListener('abort', () => {
        if (!mine) return;
        streams.delete(mine);
        try {
          mine.close();
        } catch {
          // Already closed.
        }
      });
      return new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    }
    if (route === 'POST /api/orders') {
      const order = body as PlaceOrder;
      return json(
        server.orderReply
          ? server.orderReply(order)
          : { status: 201, body: confirmed(order, server.products) },
      );
    }
    return json(notFound('NOT_FOUND'));
  };

  vi.stubGlobal('fetch', vi.fn(handle));
  return server;
}

const CHALLENGE_SECRET = 'fake-server-challenge-secret-0000';
const KEY_SECRET = 'fake-server-derived-key-secret-00';

/** A real ALTCHA challenge, made easy (a short count) so that a test solves it at once. */
function newChallenge(roomId: string): Promise<Challenge> {
  return createChallenge({
    algorithm: 'PBKDF2/SHA-256',
    cost: 100,
    counter: 20,
    deriveKey,
    data: { room: roomId },
    expiresAt: Math.floor(Date.now() / 1000) + 300,
    hmacSignatureSecret: CHALLENGE_SECRET,
    hmacKeySignatureSecret: KEY_SECRET,
  });
}

/** What the server says of a join's X-Altcha header: nothing when it is good, else its refusal. */
async function checkSolution(header: string | undefined, spent: Set<string>): Promise<Reply | null> {
  const refuse = (code: string): Reply => ({ status: 403, body: { error: { code, message: 'Refused' } } });
  if (!header) return refuse('CHALLENGE_REQUIRED');
  try {
    const { challenge, solution } = JSON.parse(atob(header));
    const result = await verifySolution({
      challenge,
      solution,
      deriveKey,
      hmacSignatureSecret: CHALLENGE_SECRET,
      hmacKeySignatureSecret: KEY_SECRET,
    });
    if (!result.verified || spent.has(challenge.signature)) return refuse('CHALLENGE_FAILED');
    spent.add(challenge.signature);
    return null;
  } catch {
    return refuse('CHALLENGE_FAILED');
  }
}

function notFound(code: string): Reply {
  return { status: 404, body: { error: { code, message: 'Not found' } } };
}

export function confirmed(order: PlaceOrder, products: readonly Product[]): Order {
  const price = (id: string) => products.find((p) => p.id === id)?.priceCents ?? 0;
  return {
    id: 'ord_abc123',
    roomId: 'demo',
    ticketId: 't1',
    status: 'confirmed',
    customer: order.customer,
    items: order.items.map((i) => ({ ...i, unitPriceCents: price(i.productId) })),
    totalCents: order.items.reduce((sum, i) => sum + i.quantity * price(i.productId), 0),
    currency: 'EUR',
    createdAt: new Date().toISOString(),
    erasedAt: null,
  };
}
