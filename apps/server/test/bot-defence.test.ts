import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Challenge, solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ApiResponse,
  cleanUp,
  DAY_SECONDS,
  expectError,
  type JoinedTicket,
  joinMany,
  type PublicRoom,
  startServer,
  TEST_QUEUE_STORE,
  type TestServer,
} from './helper.js';

afterEach(cleanUp);

interface JoinOptions {
  /** A `name=value` cookie pair, as a browser would send it back. */
  cookie?: string;
  /** A solved challenge, sent as the X-Altcha header. */
  altcha?: string;
  body?: unknown;
}

function joinAs(server: TestServer, roomId: string, options: JoinOptions = {}) {
  const headers: Record<string, string> = {};
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  if (options.altcha !== undefined) headers['x-altcha'] = options.altcha;
  return server.request<JoinedTicket>('POST', `/api/rooms/${roomId}/tickets`, {
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
}

/** The `name=value` part of the cookie a join set, as the browser sends it back. */
function cookieOf(res: ApiResponse): string {
  const [cookie] = res.headers.getSetCookie();
  if (cookie === undefined) throw new Error(`no cookie was set (${res.status})`);
  return cookie.split(';')[0]!;
}

async function fetchChallenge(server: TestServer, roomId: string): Promise<Challenge> {
  const res = await server.request<Challenge>('GET', `/api/rooms/${roomId}/challenge`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return res.body;
}

/** What the shopper's page sends: base64 of `{challenge, solution}`, solved by altcha-lib's own solver. */
async function solve(challenge: Challenge): Promise<string> {
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 20_000 });
  if (!solution) throw new Error('the challenge was not solved in time');
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

async function solvedFor(server: TestServer, roomId: string): Promise<string> {
  return solve(await fetchChallenge(server, roomId));
}

async function room(server: TestServer, roomId: string): Promise<PublicRoom> {
  return (await server.request<PublicRoom>('GET', `/api/rooms/${roomId}`)).body;
}

describe('one place per browser', () => {
  it('a second join with the cookie of the first gets the same place back: same ticket, same position, nobody added', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Sale', heartbeatTimeoutSeconds: DAY_SECONDS });
    await joinMany(server, 'sale', 3);
    const first = await joinAs(server, 'sale');
    expect(first.status).toBe(201);
    expect(first.body.position).toBe(4);
    await joinMany(server, 'sale', 2);
    const before = await server.stats('sale');

    const again = await joinAs(server, 'sale', { cookie: cookieOf(first) });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      ticketId: first.body.ticketId,
      queueToken: first.body.queueToken,
      state: 'waiting',
      position: 4,
    });
    const after = await server.stats('sale');
    expect(after.waiting).toBe(before.waiting);
    expect(after.joinedTotal).toBe(before.joinedTotal);
    expect((await room(server, 'sale')).waiting).toBe(6);
  });

  it('an admitted place is given back too, with its admission', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Sale', heartbeatTimeoutSeconds: DAY_SECONDS });
    const first = await joinAs(server, 'sale');
    expect(await server.admit('sale', 1)).toBe(1);
    const again = await joinAs(server, 'sale', { cookie: cookieOf(first) });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ ticketId: first.body.ticketId, state: 'admitted' });
    expect(again.body.admissionToken).toEqual(expect.any(String));
  });

  it('the cookie of another room, a tampered one or a made-up one is ignored: a new place', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Sale', heartbeatTimeoutSeconds: DAY_SECONDS });
    await server.createRoom({ id: 'other', name: 'Other', heartbeatTimeoutSeconds: DAY_SECONDS });
    const mine = await joinAs(server, 'sale');
    const elsewhere = await joinAs(server, 'other');

    const withOtherRoom = await joinAs(server, 'sale', { cookie: cookieOf(elsewhere) });
    expect(withOtherRoom.status).toBe(201);
    expect(withOtherRoom.body.ticketId).not.toBe(mine.body.ticketId);

    const pair = cookieOf(mine);
    const last = pair.at(-1) === 'A' ? 'B' : 'A';
    const tampered = await joinAs(server, 'sale', { cookie: `${pair.slice(0, -1)}${last}` });
    expect(tampered.status).toBe(201);
    const renamed = pair.replace(mine.body.ticketId, 'someone-else');
    expect((await joinAs(server, 'sale', { cookie: renamed })).status).toBe(201);
    expect((await joinAs(server, 'sale', { cookie: 'wr_place=q1.sale.x.zz.AAAA' })).status).toBe(201);
    expect((await joinAs(server, 'sale', { cookie: 'wr_place=%00; other=1' })).status).toBe(201);
    expect((await server.stats('sale')).waiting).toBe(6);
  });

  it('a cookie whose queue token has expired is ignored', async () => {
    const server = await startServer({ env: { QUEUE_TOKEN_TTL_SECONDS: '60' } });
    await server.createRoom({ id: 'sale', name: 'Sale', heartbeatTimeoutSeconds: DAY_SECONDS });
    const first = await joinAs(server, 'sale');
    expect(first.headers.getSetCookie()[0]).toMatch(/Max-Age=60(;|$)/);
    server.clock.advance(120_000);
    const again = await joinAs(server, 'sale', { cookie: cookieOf(first) });
    expect(again.status).toBe(201);
    expect(again.body.ticketId).not.toBe(first.body.ticketId);
  });

  it('after leaving the line, or being dropped for silence, the same browser gets a new place', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Sale', heartbeatTimeoutSeconds: 30 });
    const first = await joinAs(server, 'sale');
    const left = await server.request('DELETE', '/api/rooms/sale/tickets/me', {
      token: first.body.queueToken,
    });
    expect(left.status).toBe(204);
    const afterLeaving = await joinAs(server, 'sale', { cookie: cookieOf(first) });
    expect(afterLeaving.status).toBe(201);
    expect(afterLeaving.body.ticketId).not.toBe(first.body.ticketId);

    server.clock.advance(60_000);
    await server.app.waitroom.engine.tick();
    const dropped = await server.request<{ state: string }>('GET', '/api/rooms/sale/tickets/me', {
      token: afterLeaving.body.queueToken,
    });
    expect(dropped.body.state).toBe('expired');
    const afterSilence = await joinAs(server, 'sale', { cookie: cookieOf(afterLeaving) });
    expect(afterSilence.status).toBe(201);
    expect(afterSilence.body).toMatchObject({ state: 'waiting', position: 1 });
  });
});

describe('the join limit per address', () => {
  it('holds 1,000 joins from one address to JOIN_LIMIT_PER_MINUTE, the rest 429 with Retry-After', async () => {
    const limit = 40;
    const server = await startServer({ env: { JOIN_LIMIT_PER_MINUTE: String(limit) } });
    await server.createRoom({ id: 'sale', name: 'Sale', heartbeatTimeoutSeconds: DAY_SECONDS });
    const statuses: number[] = [];
    let refusal: ApiResponse | null = null;
    for (let batch = 0; batch < 20; batch++) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => joinAs(server, 'sale')));
      for (const res of answers) {
        statuses.push(res.status);
        if (res.status === 429) refusal ??= res;
      }
    }
    expect(statuses).toHaveLength(1000);
    expect(statuses.filter((s) => s === 201)).toHaveLength(limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1000 - limit);
    expect(refusal).not.toBeNull();
    expectError(refusal!, 429, 'RATE_LIMITED');
    expect(Number(refusal!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await server.stats('sale')).joinedTotal).toBe(limit);
  });

  it('still applies to a join that brings back its cookie', async () => {
    const server = await startServer({ env: { JOIN_LIMIT_PER_MINUTE: '2' } });
    await server.createRoom({ id: 'sale', name: 'Sale', heartbeatTimeoutSeconds: DAY_SECONDS });
    const first = await joinAs(server, 'sale');
    expect((await joinAs(server, 'sale', { cookie: cookieOf(first) })).status).toBe(200);
    expectError(await joinAs(server, 'sale', { cookie: cookieOf(first) }), 429, 'RATE_LIMITED');
  });
});

describe('proof of work', () => {
  it('is off by default: the room says so and a join needs no solution', async () => {
    const server = await startServer();
    const created = await server.createRoom({ id: 'sale', name: 'Sale' });
    expect(created.requireChallenge).toBe(false);
    expect((await room(server, 'sale')).requireChallenge).toBe(false);
    expect((await joinAs(server, 'sale')).status).toBe(201);
  });

  it('with requireChallenge on, a join without a solution or with a wrong one is refused, a solved one accepted once', async () => {
    const server = await startServer();
    await server.createRoom({
      id: 'sale',
      name: 'Sale',
      requireChallenge: true,
      heartbeatTimeoutSeconds: DAY_SECONDS,
    });
    expect((await room(server, 'sale')).requireChallenge).toBe(true);

    expectError(await joinAs(server, 'sale'), 403, 'CHALLENGE_REQUIRED');
    expectError(await joinAs(server, 'sale', { altcha: 'not-base64-json' }), 403, 'CHALLENGE_FAILED');

    const challenge = await fetchChallenge(server, 'sale');
    expect(challenge.parameters.algorithm).toBe('PBKDF2/SHA-256');
    const solved = await solve(challenge);
    const { solution } = JSON.parse(Buffer.from(solved, 'base64').toString()) as {
      solution: { counter: number; derivedKey: string };
    };
    // The derived key is the proof: one that is not the key the secret counter gives is refused.
    const otherKey = solution.derivedKey.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    const wrong = Buffer.from(
      JSON.stringify({ challenge, solution: { counter: solution.counter, derivedKey: otherKey } }),
    ).toString('base64');
    expectError(await joinAs(server, 'sale', { altcha: wrong }), 403, 'CHALLENGE_FAILED');
    // Parameters changed after signing (a later expiry here) are not the server's any more.
    const expiresAt = (challenge.parameters.expiresAt ?? 0) + 3600;
    const stretched = Buffer.from(
      JSON.stringify({
        challenge: { ...challenge, parameters: { ...challenge.parameters, expiresAt } },
        solution,
      }),
    ).toString('base64');
    expectError(await joinAs(server, 'sale', { altcha: stretched }), 403, 'CHALLENGE_FAILED');
    expect((await server.stats('sale')).joinedTotal).toBe(0);

    const accepted = await joinAs(server, 'sale', { altcha: solved });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ state: 'waiting', position: 1 });

    const replayed = await joinAs(server, 'sale', { altcha: solved });
    expect(expectError(replayed, 403, 'CHALLENGE_FAILED')).toMatch(/already used/);
    expect((await server.stats('sale')).joinedTotal).toBe(1);
  });

  it('takes the solution in the body too, which stays within the join body limit', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Sale', requireChallenge: true });
    const altcha = await solvedFor(server, 'sale');
    expect(JSON.stringify({ altcha }).length).toBeLessThan(1024);
    const res = await joinAs(server, 'sale', { body: { altcha } });
    expect(res.status).toBe(201);
    expectError(await joinAs(server, 'sale', { body: { altcha: 42 } }), 400, 'INVALID_REQUEST');
    expectError(await joinAs(server, 'sale', { body: { altcha, more: 1 } }), 400, 'INVALID_REQUEST');
  });

  it('refuses a solution for another room, or one whose challenge has expired', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Sale', requireChallenge: true });
    await server.createRoom({ id: 'other', name: 'Other', requireChallenge: true });
    const forOther = await solvedFor(server, 'other');
    expect(expectError(await joinAs(server, 'sale', { altcha: forOther }), 403, 'CHALLENGE_FAILED')).toMatch(
      /another room/,
    );

    const stale = await solvedFor(server, 'sale');
    server.clock.advance(6 * 60_000);
    expect(expectError(await joinAs(server, 'sale', { altcha: stale }), 403, 'CHALLENGE_FAILED')).toMatch(
      /expired/,
    );
  });

  it('can be switched on and off by the operator; a closed room still answers ROOM_CLOSED', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Sale' });
    const on = await server.admin('PATCH', '/api/admin/rooms/sale', { requireChallenge: true });
    expect(on.body).toMatchObject({ requireChallenge: true });
    expectError(await joinAs(server, 'sale'), 403, 'CHALLENGE_REQUIRED');
    await server.admin('PATCH', '/api/admin/rooms/sale', { status: 'closed' });
    expectError(await joinAs(server, 'sale'), 409, 'ROOM_CLOSED');
    await server.admin('PATCH', '/api/admin/rooms/sale', { status: 'open', requireChallenge: false });
    expect((await joinAs(server, 'sale')).status).toBe(201);
    expectError(
      await server.admin('PATCH', '/api/admin/rooms/sale', { requireChallenge: 'yes' }),
      400,
      'INVALID_REQUEST',
    );
  });

  it('a browser bringing back the cookie of its live place needs no new solution', async () => {
    const server = await startServer();
    await server.createRoom({
      id: 'sale',
      name: 'Sale',
      requireChallenge: true,
      heartbeatTimeoutSeconds: DAY_SECONDS,
    });
    const first = await joinAs(server, 'sale', { altcha: await solvedFor(server, 'sale') });
    expect(first.status).toBe(201);
    const again = await joinAs(server, 'sale', { cookie: cookieOf(first) });
    expect(again.status).toBe(200);
    expect(again.body.ticketId).toBe(first.body.ticketId);
  });

  it('answers 404 for the challenge of a room that does not exist', async () => {
    const server = await startServer();
    expectError(await server.request('GET', '/api/rooms/nowhere/challenge'), 404, 'ROOM_NOT_FOUND');
  });

  it('signs with a key generated into a private file of the data folder, or with CHALLENGE_HMAC_KEY', async () => {
    const first = await startServer();
    await first.createRoom({ id: 'sale', name: 'Sale', requireChallenge: true });
    const keyFile = join(first.dataDir, 'challenge-hmac.key');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const solvedBefore = await solvedFor(first, 'sale');
    await first.close();
    // A restart keeps the key: a challenge fetched before it is still good after.
    const second = await startServer({ dataDir: first.dataDir });
    expect((await joinAs(second, 'sale', { altcha: solvedBefore })).status).toBe(201);

    const key = 'k'.repeat(40);
    const a = await startServer({ env: { CHALLENGE_HMAC_KEY: key } });
    const b = await startServer({ env: { CHALLENGE_HMAC_KEY: key } });
    const c = await startServer();
    for (const server of [a, b, c])
      await server.createRoom({ id: 'sale', name: 'Sale', requireChallenge: true });
    await expect(stat(join(a.dataDir, 'challenge-hmac.key'))).rejects.toThrow();
    expect((await joinAs(b, 'sale', { altcha: await solvedFor(a, 'sale') })).status).toBe(201);
    expectError(await joinAs(c, 'sale', { altcha: await solvedFor(a, 'sale') }), 403, 'CHALLENGE_FAILED');
  });

  it.runIf(TEST_QUEUE_STORE === 'redis')(
    'on Redis, a solution used on one instance is refused on another',
    async () => {
      const a = await startServer();
      await a.createRoom({ id: 'sale', name: 'Sale', requireChallenge: true });
      // Same data folder: the same key prefix in Redis and the same challenge key.
      const b = await startServer({ dataDir: a.dataDir });
      const solved = await solvedFor(b, 'sale');
      expect((await joinAs(a, 'sale', { altcha: solved })).status).toBe(201);
      expectError(await joinAs(b, 'sale', { altcha: solved }), 403, 'CHALLENGE_FAILED');
    },
  );
});
