import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lotteryOrder, seedCommitment } from '@waitroom/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type DrawRecord, runLotteryVerify, verifyDraw } from '../src/cli/lottery-verify.js';
import {
  type ApiResponse,
  cleanUp,
  crash,
  DAY_SECONDS,
  expectError,
  type JoinedTicket,
  joinMany,
  type PublicRoom,
  startServer,
  statusesOf,
  TEST_QUEUE_STORE,
  type TestServer,
} from './helper.js';

afterEach(cleanUp);

const HEX_256 = /^[0-9a-f]{64}$/;

interface LotteryState {
  commitment: string;
  drawn: boolean;
  drawnAt?: string;
  seed?: string;
}

type Room = PublicRoom & { lottery: LotteryState | null };

/** A lottery room opening in ten seconds; a rate of zero, so that nobody moves unless told. */
async function scheduleRaffle(server: TestServer, id = 'raffle'): Promise<number> {
  const opensAt = server.clock.now + 10_000;
  await server.createRoom({
    id,
    name: 'Raffle',
    opensAt: new Date(opensAt).toISOString(),
    queueMode: 'lottery',
    admitRatePerMinute: 0,
    heartbeatTimeoutSeconds: DAY_SECONDS,
  });
  return opensAt;
}

async function roomOf(server: TestServer, id = 'raffle'): Promise<Room> {
  const res = await server.request<Room>('GET', `/api/rooms/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

/** Opens the room: the clock passes `opensAt` and one tick draws the pre-queue. */
async function open(server: TestServer, opensAt: number): Promise<void> {
  server.clock.advance(opensAt - server.clock.now + 1_000);
  await server.app.waitroom.engine.tick();
}

/** What the CLI prints, and its exit code. */
async function verify(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runLotteryVerify(args, {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
  });
  return { code, out, err };
}

/** The order the shoppers' own positions show. */
async function orderByPosition(server: TestServer, tickets: readonly JoinedTicket[]): Promise<string[]> {
  const statuses = await statusesOf(server, 'raffle', tickets);
  return statuses
    .map((s) => ({ id: s.ticketId, position: s.position ?? Number.NaN }))
    .sort((a, b) => a.position - b.position)
    .map((s) => s.id);
}

describe('a lottery anyone can check', () => {
  it('publishes the commitment at scheduling, and after the opening a draw that recomputes to the shoppers’ positions', async () => {
    const server = await startServer();
    const opensAt = await scheduleRaffle(server);

    const before = await roomOf(server);
    expect(before.lottery).toEqual({ commitment: expect.stringMatching(HEX_256), drawn: false });
    const commitment = before.lottery?.commitment ?? '';
    const operator = await server.admin<{ lottery?: LotteryState }>('GET', '/api/admin/rooms/raffle');
    expect(operator.body.lottery).toEqual({ commitment, drawn: false });
    const early = await server.request('GET', '/api/rooms/raffle/lottery');
    expectError(early, 409, 'LOTTERY_NOT_DRAWN');

    const tickets = await joinMany(server, 'raffle', 12);
    await server.app.waitroom.engine.tick();
    expect((await roomOf(server)).lottery).toEqual({ commitment, drawn: false });
    await open(server, opensAt);

    const after = await roomOf(server);
    expect(after.lottery).toEqual({
      commitment,
      drawn: true,
      drawnAt: expect.any(String),
      seed: expect.stringMatching(HEX_256),
    });
    const seed = after.lottery?.seed ?? '';
    expect(seedCommitment(seed)).toBe(commitment);

    const published = await server.request<DrawRecord>('GET', '/api/rooms/raffle/lottery');
    expect(published.status).toBe(200);
    const draw = published.body;
    expect(draw).toEqual({
      roomId: 'raffle',
      commitment,
      drawnAt: after.lottery?.drawnAt,
      seed,
      ticketIds: tickets.map((t) => t.ticketId).sort(),
      order: expect.any(Array),
    });
    // The published order is the recomputed one, and the one the shoppers' positions show.
    expect(verifyDraw(draw, commitment)).toMatchObject({ ok: true });
    expect(draw.order).toEqual(lotteryOrder(seed, draw.ticketIds));
    expect(await orderByPosition(server, tickets)).toEqual(draw.order);

    const byUrl = await verify([`${server.url}/api/rooms/raffle/lottery`]);
    expect(byUrl).toMatchObject({ code: 0, err: '' });
    expect(byUrl.out).toContain('VERIFIED');
    const byRoom = await verify([server.url, '--room', 'raffle', '--commitment', commitment]);
    expect(byRoom.code).toBe(0);
    expect(byRoom.out).toContain('the one you noted');

    // Admissions follow the drawn order.
    const admitted: string[] = [];
    for (let k = 0; k < 3; k++) {
      await server.admit('raffle', 1);
      const statuses = await statusesOf(server, 'raffle', tickets);
      admitted.push(
        ...statuses
          .filter((s) => s.state === 'admitted' && !admitted.includes(s.ticketId))
          .map((s) => s.ticketId),
      );
    }
    expect(admitted).toEqual(draw.order.slice(0, 3));
  });

  it('a saved copy with a changed seed fails on the commitment, and one with a changed order fails on the order', async () => {
    const server = await startServer();
    const opensAt = await scheduleRaffle(server);
    await joinMany(server, 'raffle', 6);
    await open(server, opensAt);
    const draw = (await server.request<DrawRecord>('GET', '/api/rooms/raffle/lottery')).body;
    const file = (name: string) => join(server.dataDir, name);

    await writeFile(file('kept.json'), JSON.stringify(draw));
    const kept = await verify([file('kept.json'), '--room', 'raffle']);
    expect(kept.code).toBe(0);

    // Another seed, with the order it gives: the order checks out, the commitment does not.
    const otherSeed = 'f'.repeat(64);
    const reseeded = { ...draw, seed: otherSeed, order: lotteryOrder(otherSeed, draw.ticketIds) };
    await writeFile(file('reseeded.json'), JSON.stringify(reseeded));
    const badSeed = await verify([file('reseeded.json')]);
    expect(badSeed.code).toBe(1);
    expect(badSeed.out).toMatch(/FAIL\s+commitment/);
    expect(badSeed.out).not.toMatch(/FAIL\s+order/);
    expect(badSeed.out).toContain('NOT VERIFIED');

    // The same seed, two tickets swapped: the commitment checks out, the order does not.
    const swapped = [...draw.order];
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    await writeFile(file('swapped.json'), JSON.stringify({ ...draw, order: swapped }));
    const badOrder = await verify([file('swapped.json')]);
    expect(badOrder.code).toBe(1);
    expect(badOrder.out).toMatch(/ok\s+commitment/);
    expect(badOrder.out).toMatch(/FAIL\s+order .* from place 1/);

    // A commitment other than the one noted before the opening.
    const noted = await verify([file('kept.json'), '--commitment', 'a'.repeat(64)]);
    expect(noted.code).toBe(1);
    expect(noted.out).toMatch(/FAIL\s+noted/);

    expect((await verify([file('missing.json')])).code).toBe(2);
    expect((await verify([file('kept.json'), '--room', 'another'])).code).toBe(2);
    expect((await verify([server.url, '--room', 'nowhere'])).code).toBe(2);
  });

  it('shows the seed in no response and no log line before the draw, even at trace level', async () => {
    const lines: string[] = [];
    const stream = { write: (line: string) => void lines.push(line) };
    const server = await startServer({ logger: { level: 'trace', stream } });
    const seen: ApiResponse[] = [];
    const keep = <T>(res: ApiResponse<T>) => {
      seen.push(res as ApiResponse);
      return res;
    };
    keep(
      await server.admin('POST', '/api/admin/rooms', {
        id: 'raffle',
        name: 'Raffle',
        opensAt: new Date(server.clock.now + 10_000).toISOString(),
        queueMode: 'lottery',
        admitRatePerMinute: 0,
        heartbeatTimeoutSeconds: DAY_SECONDS,
      }),
    );
    keep(await server.admin('PATCH', '/api/admin/rooms/raffle', { admitRatePerMinute: 0 }));
    keep(await server.admin('GET', '/api/admin/rooms/raffle'));
    keep(await server.admin('GET', '/api/admin/rooms'));
    keep(await server.admin('GET', '/api/admin/rooms/raffle/stats'));
    keep(await server.request('GET', '/api/rooms/raffle'));
    keep(await server.request('GET', '/api/rooms/raffle/lottery'));
    const tickets = await joinMany(server, 'raffle', 3);
    for (const t of tickets)
      keep(await server.request('GET', '/api/rooms/raffle/tickets/me', { token: t.queueToken }));
    keep(await server.request('GET', '/metrics'));
    keep(await server.request('GET', '/openapi.json'));
    const logBefore = lines.join('');

    await open(server, server.clock.now + 10_000);
    const seed = (await roomOf(server)).lottery?.seed ?? '';
    expect(seed).toMatch(HEX_256);
    for (const res of seen) {
      expect(res.text).not.toContain(seed);
      for (const [, value] of res.headers) expect(value).not.toContain(seed);
    }
    for (const t of tickets) expect(JSON.stringify(t)).not.toContain(seed);
    expect(logBefore).toContain('incoming request');
    expect(logBefore).not.toContain(seed);
  });

  it('keeps the seed through a restart: the draw after it uses the seed committed to before it', async () => {
    const first = await startServer();
    const opensAt = await scheduleRaffle(first);
    const commitment = (await roomOf(first)).lottery?.commitment;
    const tickets = await joinMany(first, 'raffle', 5);
    await crash(first);

    const second = await startServer({
      dataDir: first.dataDir,
      adminToken: first.adminToken,
      clock: first.clock,
    });
    expect((await roomOf(second)).lottery).toEqual({ commitment, drawn: false });
    await second.close();

    const third = await startServer({
      dataDir: first.dataDir,
      adminToken: first.adminToken,
      clock: first.clock,
    });
    await open(third, opensAt);
    const draw = (await third.request<DrawRecord>('GET', '/api/rooms/raffle/lottery')).body;
    expect(draw.commitment).toBe(commitment);
    expect(verifyDraw(draw)).toMatchObject({ ok: true });
    expect(await orderByPosition(third, tickets)).toEqual(draw.order);
    await third.close();

    // The published draw outlives a restart too.
    const fourth = await startServer({
      dataDir: first.dataDir,
      adminToken: first.adminToken,
      clock: first.clock,
    });
    expect((await fourth.request<DrawRecord>('GET', '/api/rooms/raffle/lottery')).body).toEqual(draw);
  });

  it('keeps the seed through changes of settings, and takes a new one when a drawn room is rescheduled', async () => {
    const server = await startServer();
    const opensAt = await scheduleRaffle(server);
    const commitment = (await roomOf(server)).lottery?.commitment;
    await server.admin('PATCH', '/api/admin/rooms/raffle', {
      admitRatePerMinute: 30,
      opensAt: new Date(opensAt).toISOString(),
    });
    await server.admin('PATCH', '/api/admin/rooms/raffle', { queueMode: 'fifo' });
    expect((await roomOf(server)).lottery).toBeNull();
    await server.admin('PATCH', '/api/admin/rooms/raffle', { queueMode: 'lottery' });
    expect((await roomOf(server)).lottery).toEqual({ commitment, drawn: false });

    await joinMany(server, 'raffle', 3);
    await open(server, opensAt);
    const first = (await server.request<DrawRecord>('GET', '/api/rooms/raffle/lottery')).body;
    expect(first.commitment).toBe(commitment);

    const reopensAt = server.clock.now + 60_000;
    await server.admin('PATCH', '/api/admin/rooms/raffle', { opensAt: new Date(reopensAt).toISOString() });
    const rescheduled = (await roomOf(server)).lottery;
    expect(rescheduled).toEqual({ commitment: expect.stringMatching(HEX_256), drawn: false });
    expect(rescheduled?.commitment).not.toBe(commitment);
    expectError(await server.request('GET', '/api/rooms/raffle/lottery'), 409, 'LOTTERY_NOT_DRAWN');

    await joinMany(server, 'raffle', 4);
    await open(server, reopensAt);
    const second = (await server.request<DrawRecord>('GET', '/api/rooms/raffle/lottery')).body;
    expect(second.commitment).toBe(rescheduled?.commitment);
    expect(second.ticketIds).toHaveLength(4);
    expect(verifyDraw(second)).toMatchObject({ ok: true });
  });

  it('answers 404 for a FIFO room’s draw, and a FIFO room shows no lottery', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'plain', name: 'Plain' });
    expect((await roomOf(server, 'plain')).lottery).toBeNull();
    const operator = await server.admin<Record<string, unknown>>('GET', '/api/admin/rooms/plain');
    expect(operator.body).not.toHaveProperty('lottery');
    expectError(await server.request('GET', '/api/rooms/plain/lottery'), 404, 'NOT_FOUND');
    expectError(await server.request('GET', '/api/rooms/nowhere/lottery'), 404, 'ROOM_NOT_FOUND');
  });

  it.skipIf(TEST_QUEUE_STORE !== 'redis')(
    'holds one seed for every instance sharing the Redis store',
    async () => {
      const first = await startServer();
      const opensAt = await scheduleRaffle(first);
      const second = await startServer({
        dataDir: first.dataDir,
        adminToken: first.adminToken,
        clock: first.clock,
      });
      const commitment = (await roomOf(first)).lottery?.commitment;
      expect((await roomOf(second)).lottery).toEqual({ commitment, drawn: false });
      const tickets = [...(await joinMany(first, 'raffle', 3)), ...(await joinMany(second, 'raffle', 3))];
      await open(second, opensAt);
      await first.app.waitroom.engine.tick();
      const fromFirst = (await first.request<DrawRecord>('GET', '/api/rooms/raffle/lottery')).body;
      const fromSecond = (await second.request<DrawRecord>('GET', '/api/rooms/raffle/lottery')).body;
      expect(fromFirst).toEqual(fromSecond);
      expect(fromFirst.commitment).toBe(commitment);
      expect(fromFirst.ticketIds).toEqual(tickets.map((t) => t.ticketId).sort());
    },
  );
});
