/**
 * The measured sequence. Both servers run side by side for the whole of it (one idles while
 * the other is loaded), so that every figure compared to another is measured next to it, in
 * the order A B B A: the ceiling and the joins, the ceiling and the status reads, the room of
 * 1,000 and the room of a million.
 */
import { rssBytes, type ServerChild } from './child-process.js';
import {
  describeFailures,
  failures,
  type LoadResult,
  type LoadTarget,
  type MeasureShape,
  measurePair,
} from './load.js';
import type { RunLog } from './report.js';
import type { WaitroomServer } from './servers-under-test.js';
import {
  type BenchRoomOptions,
  createBenchRoom,
  fillRoom,
  readStatus,
  waitingCount,
} from './waitroom-api.js';

export const SMALL_ROOM_TICKETS = 1_000;
/**
 * Distinct tokens the status run rotates over: more than any cache of verified tokens a
 * server might keep, so that the figure is that of a room of many shoppers, not a cache's
 * best case.
 */
export const STATUS_TOKENS = 50_000;
/** Tokens read in each of the two rooms compared by size: the same number in both. */
export const READ_TOKENS = 1_000;

export interface ScenarioFigures {
  ceiling: LoadResult;
  join: LoadResult;
  ceilingBearer: LoadResult;
  status: LoadResult;
  fillLarge: LoadResult;
  statusSmallRoom: LoadResult;
  statusLargeRoom: LoadResult;
  rooms: { id: string; waiting: number }[];
  /** Position read back from the last ticket of the large room, to show reads reach deep. */
  largeRoomLastPosition: number | null;
  rssBytesAfterFill: number | null;
}

const count = (n: number) => n.toLocaleString('en-US');

/** Runs the sequence, filling `figures` as it goes, so that a failure keeps what was measured. */
export async function runScenario(
  ceiling: ServerChild,
  waitroom: WaitroomServer,
  options: { shape: MeasureShape; largeRoomTickets: number; log: RunLog },
  figures: Partial<ScenarioFigures>,
): Promise<void> {
  const { shape, log } = options;
  const server = waitroom.child;
  const baseUrl = server.baseUrl;
  const alive = () => {
    for (const child of [ceiling, server]) {
      if (child.exited) {
        throw new Error(
          `${child.name} exited (code ${child.exited.code}, signal ${child.exited.signal}); see ${child.logFile}`,
        );
      }
    }
  };
  const api = (roomId: string): BenchRoomOptions => ({ baseUrl, adminToken: waitroom.adminToken, roomId });
  const rooms = { small: 'bench-small', thousand: 'bench-1k', large: 'bench-large' };
  for (const id of Object.values(rooms)) await createBenchRoom(api(id));
  const ceilingGet = (title: string): LoadTarget => ({
    title,
    serverPid: ceiling.pid,
    baseUrl: ceiling.baseUrl,
    method: 'GET',
    path: '/',
  });
  const pair = async (a: LoadTarget, b: LoadTarget) => {
    const results = await measurePair(a, b, shape);
    alive();
    return results.map((r) => log.record(r)) as [LoadResult, LoadResult];
  };
  const fill = async (
    roomId: string,
    n: number,
    title: string,
    keep: (i: number, total: number) => boolean,
  ) => {
    const filled = await fillRoom(
      { ...api(roomId), count: n, connections: shape.connections, serverPid: server.pid, title },
      keep,
    );
    alive();
    return filled;
  };

  console.log('joins, beside the ceiling');
  [figures.ceiling, figures.join] = await pair(ceilingGet('ceiling: bare Fastify, GET /'), {
    title: `join: POST /api/rooms/${rooms.small}/tickets`,
    serverPid: server.pid,
    baseUrl,
    method: 'POST',
    path: `/api/rooms/${rooms.small}/tickets`,
  });

  console.log(`status reads over ${count(STATUS_TOKENS)} tokens, beside the ceiling sent the same tokens`);
  const capture = await fill(rooms.small, STATUS_TOKENS, 'joins for status tokens', () => true);
  requireClean(capture.result, `joining ${count(STATUS_TOKENS)} tickets for their tokens`);
  const tokens = capture.tokens;
  [figures.ceilingBearer, figures.status] = await pair(
    {
      ...ceilingGet(`ceiling: bare Fastify, GET / with ${count(tokens.length)} rotating bearer tokens`),
      bearers: tokens,
    },
    {
      title: `status: GET /api/rooms/${rooms.small}/tickets/me, ${count(tokens.length)} rotating tokens`,
      serverPid: server.pid,
      baseUrl,
      method: 'GET',
      path: `/api/rooms/${rooms.small}/tickets/me`,
      bearers: tokens,
    },
  );

  const n = options.largeRoomTickets;
  console.log(`filling a room with ${count(SMALL_ROOM_TICKETS)} tickets and one with ${count(n)}`);
  const thousand = await fill(rooms.thousand, SMALL_ROOM_TICKETS, 'small fill', () => true);
  requireClean(thousand.result, `filling ${rooms.thousand}`);
  // READ_TOKENS tickets spread evenly over the line, the last one among them.
  const step = Math.max(1, Math.floor(n / READ_TOKENS));
  const large = await fill(
    rooms.large,
    n,
    `join at scale: ${count(n)} joins into an empty room, no warm-up`,
    (index, total) => (total - 1 - index) % step === 0,
  );
  figures.fillLarge = log.record(large.result);
  figures.rssBytesAfterFill = rssBytes(server.pid);
  const last = large.tokens.at(-1);
  figures.largeRoomLastPosition = last ? (await readStatus(baseUrl, rooms.large, last)).position : null;

  console.log('status reads in the two rooms');
  const statusIn = (roomId: string, size: number, roomTokens: string[]): LoadTarget => ({
    title: `status in a room of ${count(size)}, ${count(roomTokens.length)} rotating tokens`,
    serverPid: server.pid,
    baseUrl,
    method: 'GET',
    path: `/api/rooms/${roomId}/tickets/me`,
    bearers: roomTokens,
  });
  [figures.statusSmallRoom, figures.statusLargeRoom] = await pair(
    statusIn(rooms.thousand, SMALL_ROOM_TICKETS, thousand.tokens),
    statusIn(rooms.large, n, large.tokens.slice(-READ_TOKENS)),
  );

  figures.rooms = [];
  for (const id of Object.values(rooms)) figures.rooms.push({ id, waiting: await waitingCount(api(id)) });
  const largeWaiting = figures.rooms.at(-1)?.waiting ?? 0;
  if (largeWaiting !== n)
    log.notes.push(`The large room held ${count(largeWaiting)} waiting tickets, not ${count(n)}.`);
}

function requireClean(result: LoadResult, what: string): void {
  if (failures(result) > 0) throw new Error(`${what}: ${describeFailures(result)}`);
}
