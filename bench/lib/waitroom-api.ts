/** The few calls of the waiting room's HTTP API the benchmark makes outside the measured load. */
import type { LoadResult } from './load.js';
import { runLoad } from './load.js';

export interface BenchRoomOptions {
  baseUrl: string;
  adminToken: string;
  roomId: string;
}

/**
 * A room that admits nobody (rate 0), so every join stays waiting for the whole run, and that
 * tolerates silence for a day: with the default 60 s heartbeat, tickets joined early in a long
 * fill would be abandoned before they are read.
 */
export async function createBenchRoom(
  { baseUrl, adminToken, roomId }: BenchRoomOptions,
  settings: Record<string, unknown> = {},
): Promise<void> {
  const res = await fetch(`${baseUrl}/api/admin/rooms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      id: roomId,
      name: `Bench ${roomId}`,
      admitRatePerMinute: 0,
      heartbeatTimeoutSeconds: 86_400,
      ...settings,
    }),
  });
  if (res.status !== 201) {
    throw new Error(`creating room ${roomId}: HTTP ${res.status} ${await res.text()}`);
  }
}

export interface RoomStatsBody {
  waiting: number;
  active: number;
  admittedTotal: number;
  completedTotal: number;
}

export async function roomStats({ baseUrl, adminToken, roomId }: BenchRoomOptions): Promise<RoomStatsBody> {
  const res = await fetch(`${baseUrl}/api/admin/rooms/${roomId}/stats`, {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  if (!res.ok) throw new Error(`stats of room ${roomId}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as RoomStatsBody;
}

export async function waitingCount(room: BenchRoomOptions): Promise<number> {
  return (await roomStats(room)).waiting;
}

/** An operator call outside the measured load; anything but `expected` is an error. */
async function operator<T>(
  { baseUrl, adminToken }: BenchRoomOptions,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
  expected = 200,
): Promise<T> {
  const res = await fetch(baseUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${adminToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status !== expected) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Admits `count` waiting tickets (whatever the rate), asking again until all are in. */
export async function admitAll(room: BenchRoomOptions, count: number): Promise<void> {
  let admitted = 0;
  while (admitted < count) {
    const { admitted: now } = await operator<{ admitted: number }>(
      room,
      'POST',
      `/api/admin/rooms/${room.roomId}/admit`,
      { count: count - admitted },
    );
    if (now === 0)
      throw new Error(`room ${room.roomId}: only ${admitted} of ${count} tickets could be admitted`);
    admitted += now;
  }
}

export interface BenchProduct {
  id: string;
  name: string;
  priceCents: number;
  currency: string;
  stock: number;
  maxPerOrder?: number;
}

export interface AdminProductBody {
  id: string;
  available: number;
  sold: number;
}

export async function putProducts(room: BenchRoomOptions, products: BenchProduct[]): Promise<void> {
  await operator(room, 'PUT', `/api/admin/rooms/${room.roomId}/products`, { products });
}

/** A room's products with units left and sold, as the operator sees them. */
export async function roomProducts(room: BenchRoomOptions): Promise<AdminProductBody[]> {
  return (
    await operator<{ products: AdminProductBody[] }>(room, 'GET', `/api/admin/rooms/${room.roomId}/products`)
  ).products;
}

export interface OrderRow {
  id: string;
  ticketId: string;
  items: { productId: string; quantity: number }[];
}

/** Every order of a room, read page by page through the operator API. */
export async function roomOrders(room: BenchRoomOptions): Promise<OrderRow[]> {
  const rows: OrderRow[] = [];
  let cursor: string | null = null;
  do {
    const page: { orders: OrderRow[]; nextCursor: string | null } = await operator(
      room,
      'GET',
      `/api/admin/orders?roomId=${room.roomId}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    rows.push(...page.orders);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

export interface TicketStatusBody {
  state: string;
  position: number | null;
}

export async function readStatus(
  baseUrl: string,
  roomId: string,
  queueToken: string,
): Promise<TicketStatusBody> {
  const res = await fetch(`${baseUrl}/api/rooms/${roomId}/tickets/me`, {
    headers: { authorization: `Bearer ${queueToken}` },
  });
  if (res.status !== 200) throw new Error(`status in room ${roomId}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as TicketStatusBody;
}

export interface Fill {
  result: LoadResult;
  /** Queue tokens of the joins `keep` chose, in the order of their answers. */
  tokens: string[];
}

/**
 * Joins `count` tickets at full speed (itself a join measurement, with no warm-up), keeping the
 * queue tokens of the joins `keep` picks by their answer's number.
 */
export async function fillRoom(
  options: BenchRoomOptions & { count: number; connections: number; serverPid: number; title: string },
  keep: (index: number, count: number) => boolean,
): Promise<Fill> {
  const tokens: string[] = [];
  const result = await runLoad(
    {
      title: options.title,
      serverPid: options.serverPid,
      baseUrl: options.baseUrl,
      method: 'POST',
      path: `/api/rooms/${options.roomId}/tickets`,
      onBody: (index, status, body) => {
        if (status === 201 && keep(index, options.count)) {
          tokens.push((JSON.parse(body) as { queueToken: string }).queueToken);
        }
      },
    },
    { connections: options.connections, amount: options.count },
  );
  return { result, tokens };
}
