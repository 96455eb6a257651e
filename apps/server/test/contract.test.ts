import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanUp,
  expectError,
  joinMany,
  type PublicRoom,
  type RoomSettings,
  startServer,
  statusesOf,
} from './helper.js';

afterEach(cleanUp);

describe('the operator creates rooms', () => {
  it('refuses to create a room without the operator token, or with a wrong one, and creates nothing', async () => {
    const server = await startServer();
    const room = { id: 'spring-sale', name: 'Spring sale' };

    expectError(await server.request('POST', '/api/admin/rooms', { body: room }), 401, 'INVALID_TOKEN');
    expectError(
      await server.request('POST', '/api/admin/rooms', { body: room, token: `${server.adminToken}x` }),
      401,
      'INVALID_TOKEN',
    );
    expectError(
      await server.request('GET', '/api/admin/rooms', { token: 'not-the-operator' }),
      401,
      'INVALID_TOKEN',
    );

    expectError(await server.request('GET', '/api/rooms/spring-sale'), 404, 'ROOM_NOT_FOUND');
    expect((await server.admin('GET', '/api/admin/rooms')).body).toEqual({ rooms: [] });
  });

  it('creates a room with the documented defaults for every setting left out', async () => {
    const server = await startServer();
    const created = await server.admin('POST', '/api/admin/rooms', {
      id: 'spring-sale',
      name: 'Spring sale',
    });

    const expected: RoomSettings = {
      id: 'spring-sale',
      name: 'Spring sale',
      opensAt: null,
      admitRatePerMinute: 600,
      maxActive: null,
      admissionTtlSeconds: 600,
      heartbeatTimeoutSeconds: 60,
      queueMode: 'fifo',
      status: 'open',
      requireChallenge: false,
    };
    expect(created.status).toBe(201);
    expect(created.body).toEqual(expected);
    expect((await server.admin('GET', '/api/admin/rooms/spring-sale')).body).toEqual(expected);
    expect((await server.admin('GET', '/api/admin/rooms')).body).toEqual({ rooms: [expected] });
  });

  it('keeps every setting the operator gives at creation', async () => {
    const server = await startServer();
    const opensAt = new Date(server.clock.now + 3600_000).toISOString();
    const settings: RoomSettings = {
      id: 'midnight-drop',
      name: 'Midnight drop',
      opensAt,
      admitRatePerMinute: 42.5,
      maxActive: 7,
      admissionTtlSeconds: 120,
      heartbeatTimeoutSeconds: 30,
      queueMode: 'lottery',
      status: 'paused',
      requireChallenge: true,
    };
    const created = await server.admin('POST', '/api/admin/rooms', settings);
    expect(created.status).toBe(201);
    expect(created.body).toEqual(settings);
  });

  it('refuses a second room with the same id with 409 ROOM_EXISTS and keeps the first one', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'spring-sale', name: 'Spring sale', admitRatePerMinute: 30 });

    const again = await server.admin('POST', '/api/admin/rooms', {
      id: 'spring-sale',
      name: 'Another sale',
      admitRatePerMinute: 900,
    });
    expectError(again, 409, 'ROOM_EXISTS');

    const kept = (await server.admin('GET', '/api/admin/rooms/spring-sale')).body as RoomSettings;
    expect(kept.name).toBe('Spring sale');
    expect(kept.admitRatePerMinute).toBe(30);
  });

  const badRooms: [string, Record<string, unknown>, string][] = [
    ['an id with capital letters', { id: 'Spring-Sale', name: 'x' }, 'id'],
    ['an id starting with a dash', { id: '-sale', name: 'x' }, 'id'],
    ['an id of 64 characters', { id: 'a'.repeat(64), name: 'x' }, 'id'],
    ['a missing name', { id: 'no-name' }, 'name'],
    ['a missing id', { name: 'No id' }, 'id'],
    ['an unknown field', { id: 'extra', name: 'x', colour: 'red' }, 'colour'],
    ['a rate given as text', { id: 'text-rate', name: 'x', admitRatePerMinute: '600' }, 'admitRatePerMinute'],
    ['a negative rate', { id: 'neg-rate', name: 'x', admitRatePerMinute: -1 }, 'admitRatePerMinute'],
    ['a maxActive of zero', { id: 'zero-cap', name: 'x', maxActive: 0 }, 'maxActive'],
    ['a fractional maxActive', { id: 'half-cap', name: 'x', maxActive: 2.5 }, 'maxActive'],
    [
      'a heartbeat under the minimum',
      { id: 'hb', name: 'x', heartbeatTimeoutSeconds: 1 },
      'heartbeatTimeoutSeconds',
    ],
    ['an unknown queue mode', { id: 'mode', name: 'x', queueMode: 'random' }, 'queueMode'],
    ['an unknown status', { id: 'stat', name: 'x', status: 'scheduled' }, 'status'],
    ['an opensAt that is not a date', { id: 'when', name: 'x', opensAt: 'tomorrow' }, 'opensAt'],
    ['an empty name', { id: 'empty-name', name: '' }, 'name'],
  ];

  it.each(badRooms)(
    'refuses a room with %s as 400 INVALID_REQUEST naming the field, and creates nothing',
    async (_what, body, field) => {
      const server = await startServer();
      const message = expectError(
        await server.admin('POST', '/api/admin/rooms', body),
        400,
        'INVALID_REQUEST',
      );
      expect(message).toContain(field);
      expect((await server.admin('GET', '/api/admin/rooms')).body).toEqual({ rooms: [] });
    },
  );

  it('refuses a body that is not an object, and creates nothing', async () => {
    const server = await startServer();
    for (const body of ['[]', '"spring-sale"', '42', 'null']) {
      const res = await server.request('POST', '/api/admin/rooms', { token: server.adminToken, body });
      expectError(res, 400, 'INVALID_REQUEST');
    }
    expect((await server.admin('GET', '/api/admin/rooms')).body).toEqual({ rooms: [] });
  });

  it('changes only the settings a PATCH names, and refuses a bad PATCH without changing anything', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Sale', admitRatePerMinute: 60 });

    const patched = await server.admin('PATCH', '/api/admin/rooms/sale', {
      admitRatePerMinute: 120,
      maxActive: 50,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: 'sale', name: 'Sale', admitRatePerMinute: 120, maxActive: 50 });

    const refused = await server.admin('PATCH', '/api/admin/rooms/sale', { admitRatePerMinute: 1, speed: 3 });
    expect(expectError(refused, 400, 'INVALID_REQUEST')).toContain('speed');
    const wrongType = await server.admin('PATCH', '/api/admin/rooms/sale', { maxActive: 'lots' });
    expect(expectError(wrongType, 400, 'INVALID_REQUEST')).toContain('maxActive');

    expect((await server.admin('GET', '/api/admin/rooms/sale')).body).toMatchObject({
      admitRatePerMinute: 120,
      maxActive: 50,
    });
    expectError(
      await server.admin('PATCH', '/api/admin/rooms/nowhere', { name: 'x' }),
      404,
      'ROOM_NOT_FOUND',
    );
  });
});

describe('a shopper sees a room', () => {
  it("shows the room's status, opening, line length, rate and the wait a shopper joining now would have", async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Spring sale', admitRatePerMinute: 60 });

    const empty = await server.request<PublicRoom>('GET', '/api/rooms/sale');
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({
      id: 'sale',
      name: 'Spring sale',
      status: 'open',
      opensAt: null,
      waiting: 0,
      admitRatePerMinute: 60,
    });
    expect(empty.body.estimatedWaitSeconds).toEqual(expect.any(Number));

    await joinMany(server, 'sale', 5);
    const busy = (await server.request<PublicRoom>('GET', '/api/rooms/sale')).body;
    expect(busy.waiting).toBe(5);
    // At one admission a second, a sixth shopper waits longer than the first one would have.
    expect(busy.estimatedWaitSeconds).toBeGreaterThan(empty.body.estimatedWaitSeconds ?? Number.NaN);
  });

  it('answers 404 ROOM_NOT_FOUND for a room that does not exist, and for joining it', async () => {
    const server = await startServer();
    expectError(await server.request('GET', '/api/rooms/nowhere'), 404, 'ROOM_NOT_FOUND');
    expectError(await server.request('POST', '/api/rooms/nowhere/tickets'), 404, 'ROOM_NOT_FOUND');
  });
});

describe('the line', () => {
  it('gives twenty shoppers positions 1 to 20 in the order they joined, each with an estimate inside its range', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Sale', admitRatePerMinute: 60 });

    const joined = await joinMany(server, 'sale', 20);
    expect(new Set(joined.map((t) => t.ticketId)).size).toBe(20);
    expect(new Set(joined.map((t) => t.queueToken)).size).toBe(20);

    const statuses = await statusesOf(server, 'sale', joined);
    for (const [i, view] of [...joined, ...statuses].entries()) {
      const position = (i % 20) + 1;
      expect(view).toMatchObject({ roomId: 'sale', state: 'waiting', position });
      expect(view.admissionToken).toBeUndefined();
      expect(view.etaSeconds).toEqual(expect.any(Number));
      const [low, high] = view.etaRange ?? [Number.NaN, Number.NaN];
      expect(low).toBeLessThanOrEqual(view.etaSeconds ?? Number.NaN);
      expect(view.etaSeconds).toBeLessThanOrEqual(high);
      expect(view.pollAfterMs).toBeGreaterThan(0);
    }
    for (let i = 1; i < 20; i++) {
      expect(statuses[i]!.etaSeconds).toBeGreaterThanOrEqual(statuses[i - 1]!.etaSeconds ?? Number.NaN);
    }
    expect(statuses.map((s) => s.ticketId)).toEqual(joined.map((t) => t.ticketId));
  });

  it('moves everyone behind a shopper who leaves up by one, and nobody ahead of them', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Sale', admitRatePerMinute: 60 });
    const joined = await joinMany(server, 'sale', 20);
    const leaver = 7; // the eighth to join

    const left = await server.request('DELETE', '/api/rooms/sale/tickets/me', {
      token: joined[leaver]!.queueToken,
    });
    expect(left.status).toBe(204);
    expect(left.body).toBe('');

    const statuses = await statusesOf(server, 'sale', joined);
    expect(statuses[leaver]).toMatchObject({
      state: 'left',
      position: null,
      etaSeconds: null,
      etaRange: null,
    });
    for (const [i, s] of statuses.entries()) {
      if (i === leaver) continue;
      expect(s.position).toBe(i < leaver ? i + 1 : i);
    }
    // The public figures are read from the view the admission tick refreshes (every ADMIT_TICK_MS).
    await server.app.waitroom.engine.tick();
    expect((await server.request<PublicRoom>('GET', '/api/rooms/sale')).body.waiting).toBe(19);
  });

  it('admits the next three on a manual admission, each with an admission token a shop verifies offline', async () => {
    const server = await startServer();
    const ttl = 300;
    await server.createRoom({ id: 'sale', name: 'Sale', admitRatePerMinute: 60, admissionTtlSeconds: ttl });
    const joined = await joinMany(server, 'sale', 10);
    server.clock.advance(5_000);
    const admittedAt = server.clock.now;

    const admit = await server.admin('POST', '/api/admin/rooms/sale/admit', { count: 3 });
    expect(admit.status).toBe(200);
    expect(admit.body).toEqual({ admitted: 3 });

    const jwksRes = await server.request<JSONWebKeySet>('GET', '/.well-known/jwks.json');
    expect(jwksRes.status).toBe(200);
    const jwks = jwksRes.body;
    const kids = jwks.keys.map((k) => k.kid);
    for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
    const keySet = createLocalJWKSet(jwks);

    const statuses = await statusesOf(server, 'sale', joined);
    const expiresAt = new Date(admittedAt + ttl * 1000).toISOString();
    for (const [i, s] of statuses.slice(0, 3).entries()) {
      expect(s).toMatchObject({
        ticketId: joined[i]!.ticketId,
        state: 'admitted',
        position: null,
        etaSeconds: null,
        etaRange: null,
        admissionExpiresAt: expiresAt,
      });
      const token = s.admissionToken ?? '';
      const header = decodeProtectedHeader(token);
      expect(['EdDSA', 'ES256']).toContain(header.alg);
      expect(kids).toContain(header.kid);

      const { payload } = await jwtVerify(token, keySet, { audience: 'sale' });
      expect(payload.sub).toBe(joined[i]!.ticketId);
      expect(payload.exp).toBe(Math.floor((admittedAt + ttl * 1000) / 1000));
      await expect(jwtVerify(token, keySet, { audience: 'another-sale' })).rejects.toThrow();
    }
    for (const [i, s] of statuses.slice(3).entries()) {
      expect(s).toMatchObject({ state: 'waiting', position: i + 1 });
      expect(s.admissionToken).toBeUndefined();
      expect(s.admissionExpiresAt).toBeUndefined();
    }
  });

  it('admits on demand while the room is paused, but not once it is closed, and a closed room takes no one', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Sale', admitRatePerMinute: 60 });
    const joined = await joinMany(server, 'sale', 4);

    const paused = await server.admin('PATCH', '/api/admin/rooms/sale', { status: 'paused' });
    expect(paused.body).toMatchObject({ status: 'paused' });
    expect((await server.request<PublicRoom>('GET', '/api/rooms/sale')).body.status).toBe('paused');
    expect(await server.admit('sale', 1)).toBe(1);
    expect((await server.status('sale', joined[0]!.queueToken)).state).toBe('admitted');
    // A paused room still takes shoppers into its line.
    const whilePaused = await server.join('sale');
    expect(whilePaused).toMatchObject({ state: 'waiting', position: 4, roomStatus: 'paused' });

    await server.admin('PATCH', '/api/admin/rooms/sale', { status: 'closed' });
    expect((await server.request<PublicRoom>('GET', '/api/rooms/sale')).body.status).toBe('closed');
    expectError(await server.admin('POST', '/api/admin/rooms/sale/admit', { count: 1 }), 409, 'ROOM_CLOSED');
    expect(await server.status('sale', joined[1]!.queueToken)).toMatchObject({
      state: 'waiting',
      position: 1,
    });

    expectError(await server.request('POST', '/api/rooms/sale/tickets'), 409, 'ROOM_CLOSED');
    expect((await server.stats('sale')).joinedTotal).toBe(5);
  });

  it('admits no more than are waiting, and answers with the number it admitted', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Sale', admitRatePerMinute: 60 });
    const joined = await joinMany(server, 'sale', 3);
    await server.request('DELETE', '/api/rooms/sale/tickets/me', { token: joined[1]!.queueToken });

    expect(await server.admit('sale', 100)).toBe(2);
    expect(await server.admit('sale', 100)).toBe(0);
    expect(await server.stats('sale')).toMatchObject({ admittedTotal: 2, active: 2, waiting: 0 });
    expect((await server.status('sale', joined[1]!.queueToken)).state).toBe('left');
  });

  it('refuses a malformed admission request naming the field, and admits nobody', async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Sale' });
    await joinMany(server, 'sale', 3);

    const cases: [unknown, string][] = [
      [{ count: 0 }, 'count'],
      [{ count: -2 }, 'count'],
      [{ count: 1.5 }, 'count'],
      [{ count: '2' }, 'count'],
      [{}, 'count'],
      [{ count: 1, now: true }, 'now'],
    ];
    for (const [body, field] of cases) {
      const res = await server.admin('POST', '/api/admin/rooms/sale/admit', body);
      expect(expectError(res, 400, 'INVALID_REQUEST')).toContain(field);
    }
    expect((await server.stats('sale')).admittedTotal).toBe(0);
    expectError(
      await server.admin('POST', '/api/admin/rooms/nowhere/admit', { count: 1 }),
      404,
      'ROOM_NOT_FOUND',
    );
  });
});
