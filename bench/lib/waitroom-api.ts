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
export async function createBenchRoom({ baseUrl, adminToken, roomId }: BenchRoomOptions): Promise<void> {
  const res = await fetch(`${baseUrl}/api/admin/rooms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      id: roomId,
      name: `Bench ${roomId}`,
      admitRatePerMinute: 0,
      heartbeatTimeoutSeconds: 86_400,
    }),
  });
  if (res.status !== 201) {
    throw new Error(`creating room ${roomId}: HTTP ${res.status} ${await res.text()}`);
  }
}

export async function waitingCount({ baseUrl, adminToken, roomId }: BenchRoomOptions): Promise<number> {
  const res = await fetch(`${baseUrl}/api/admin/rooms/${roomId}/stats`, {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  if (!res.ok) throw new Error(`stats of room ${roomId}: HTTP ${res.status} ${await res.text()}`);
  const stats = (await res.json()) as { waiting: number };
  return stats.waiting;
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
