import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, DAY_SECONDS, joinMany, type PublicRoom, startServer, statusesOf } from './helper.js';

afterEach(cleanUp);

describe('admission by rate', () => {
  it('admits about two a second at 120 a minute, in join order, and never more than the rate plus one tick in any minute', async () => {
    const server = await startServer({ env: { ADMIT_TICK_MS: '1000' } });
    const rate = 120;
    const perTick = rate / 60; // one tick is one second
    await server.createRoom({
      id: 'sale',
      name: 'Sale',
      admitRatePerMinute: rate,
      heartbeatTimeoutSeconds: DAY_SECONDS,
    });
    const joined = await joinMany(server, 'sale', 200);
    const { engine } = server.app.waitroom;

    await engine.tick();
    let before = (await server.stats('sale')).admittedTotal;
    const perSecond: number[] = [];
    for (let second = 0; second < 75; second++) {
      server.clock.advance(1000);
      await engine.tick();
      const after = (await server.stats('sale')).admittedTotal;
      perSecond.push(after - before);
      before = after;

      if (second === 9) {
        // After ten seconds about twenty are in: exactly the first ones to join.
        expect(before).toBeGreaterThanOrEqual(10 * perTick - 2);
        expect(before).toBeLessThanOrEqual(10 * perTick + perTick);
        const statuses = await statusesOf(server, 'sale', joined.slice(0, before + 5));
        for (const [i, s] of statuses.entries()) {
          if (i < before) expect(s.state).toBe('admitted');
          else expect(s).toMatchObject({ state: 'waiting', position: i - before + 1 });
        }
      }
      if (second % 15 === 14) {
        // Whether from the setting or from the measured outflow, a waiting ticket has an estimate in its range.
        const [head, tail] = await statusesOf(server, 'sale', [joined[before]!, joined[199]!]);
        for (const s of [head!, tail!]) {
          expect(s.state).toBe('waiting');
          expect(s.etaSeconds).toEqual(expect.any(Number));
          expect(s.etaRange?.[0]).toBeLessThanOrEqual(s.etaSeconds ?? Number.NaN);
          expect(s.etaSeconds).toBeLessThanOrEqual(s.etaRange?.[1] ?? Number.NaN);
        }
        expect(tail!.etaSeconds).toBeGreaterThan(head!.etaSeconds ?? Number.NaN);
      }
    }

    for (let start = 0; start + 60 <= perSecond.length; start++) {
      const inMinute = perSecond.slice(start, start + 60).reduce((a, b) => a + b, 0);
      expect(inMinute).toBeLessThanOrEqual(rate + perTick);
      expect(inMinute).toBeGreaterThanOrEqual(rate - perTick);
    }
    const total = perSecond.reduce((a, b) => a + b, 0);
    expect(total).toBe(before);
    const [lastIn, firstOut] = await statusesOf(server, 'sale', [joined[total - 1]!, joined[total]!]);
    expect(lastIn?.state).toBe('admitted');
    expect(firstOut).toMatchObject({ state: 'waiting', position: 1 });
  });

  it('never lets the active count pass maxActive, by rate or by hand, and fills a freed place in join order', async () => {
    const server = await startServer();
    await server.createRoom({
      id: 'sale',
      name: 'Sale',
      admitRatePerMinute: 600,
      maxActive: 3,
      heartbeatTimeoutSeconds: DAY_SECONDS,
    });
    const joined = await joinMany(server, 'sale', 10);
    const { engine } = server.app.waitroom;

    for (let i = 0; i < 5; i++) {
      server.clock.advance(1000);
      await engine.tick();
      expect((await server.stats('sale')).active).toBeLessThanOrEqual(3);
    }
    expect(await server.stats('sale')).toMatchObject({ active: 3, admittedTotal: 3, waiting: 7 });
    expect(await server.admit('sale', 5)).toBe(0);
    expect((await server.stats('sale')).active).toBe(3);

    // The second admitted shopper gives up the admission: one place frees, the next in line takes it.
    await server.request('DELETE', '/api/rooms/sale/tickets/me', { token: joined[1]!.queueToken });
    expect((await server.stats('sale')).active).toBe(2);
    server.clock.advance(1000);
    await engine.tick();
    expect(await server.stats('sale')).toMatchObject({ active: 3, admittedTotal: 4 });
    expect((await server.status('sale', joined[3]!.queueToken)).state).toBe('admitted');
    expect(await server.status('sale', joined[4]!.queueToken)).toMatchObject({
      state: 'waiting',
      position: 1,
    });
  });

  it('ends an admission that runs out unused, which frees its place among the active for the next in line', async () => {
    const server = await startServer();
    const ttl = 10;
    await server.createRoom({
      id: 'sale',
      name: 'Sale',
      admitRatePerMinute: 600,
      maxActive: 1,
      admissionTtlSeconds: ttl,
      heartbeatTimeoutSeconds: DAY_SECONDS,
    });
    const joined = await joinMany(server, 'sale', 3);
    expect(await server.admit('sale', 1)).toBe(1);
    const { engine } = server.app.waitroom;

    server.clock.advance((ttl - 1) * 1000);
    await engine.tick();
    expect((await server.status('sale', joined[0]!.queueToken)).state).toBe('admitted');
    expect(await server.stats('sale')).toMatchObject({ active: 1, admittedTotal: 1 });

    server.clock.advance(2000);
    await engine.tick();
    const first = await server.status('sale', joined[0]!.queueToken);
    expect(first).toMatchObject({ state: 'expired', position: null });
    expect(first.admissionToken).toBeUndefined();
    expect((await server.status('sale', joined[1]!.queueToken)).state).toBe('admitted');
    expect(await server.status('sale', joined[2]!.queueToken)).toMatchObject({
      state: 'waiting',
      position: 1,
    });
    expect(await server.stats('sale')).toMatchObject({ active: 1, admittedTotal: 2 });
  });

  it("keeps the stats' totals in step with what happened to the line", async () => {
    const server = await startServer();
    await server.createRoom({ id: 'sale', name: 'Sale', admitRatePerMinute: 60 });
    const joined = await joinMany(server, 'sale', 7);

    expect(await server.admit('sale', 3)).toBe(3);
    await server.request('DELETE', '/api/rooms/sale/tickets/me', { token: joined[4]!.queueToken }); // waiting
    await server.request('DELETE', '/api/rooms/sale/tickets/me', { token: joined[0]!.queueToken }); // admitted

    const stats = await server.stats('sale');
    expect(stats).toMatchObject({
      joinedTotal: 7,
      admittedTotal: 3,
      leftTotal: 2,
      waiting: 7 - 3 - 1,
      active: 3 - 1,
      abandonedTotal: 0,
      completedTotal: 0,
    });
    expect(stats.inflowPerMinute).toEqual(expect.any(Number));
    expect(stats.outflowPerMinute).toEqual(expect.any(Number));
    expect((await server.request<PublicRoom>('GET', '/api/rooms/sale')).body.waiting).toBe(stats.waiting);
  });
});

describe('a scheduled opening', () => {
  it('answers scheduled and admits nobody until opensAt, then opens and admits in join order', async () => {
    const server = await startServer();
    const opensIn = 30_000;
    const opensAt = new Date(server.clock.now + opensIn).toISOString();
    await server.createRoom({
      id: 'drop',
      name: 'Drop',
      opensAt,
      admitRatePerMinute: 600,
      heartbeatTimeoutSeconds: DAY_SECONDS,
    });
    expect((await server.request<PublicRoom>('GET', '/api/rooms/drop')).body).toMatchObject({
      status: 'scheduled',
      opensAt,
    });

    const joined = await joinMany(server, 'drop', 3);
    for (const [i, t] of joined.entries()) {
      expect(t).toMatchObject({ state: 'waiting', position: i + 1, roomStatus: 'scheduled' });
      // The estimate counts the wait for the opening itself.
      expect(t.etaSeconds).toBeGreaterThanOrEqual(opensIn / 1000 - 1);
    }

    const { engine } = server.app.waitroom;
    while (server.clock.now + 1000 < Date.parse(opensAt)) {
      server.clock.advance(1000);
      await engine.tick();
    }
    expect((await server.stats('drop')).admittedTotal).toBe(0);
    expect((await server.request<PublicRoom>('GET', '/api/rooms/drop')).body.status).toBe('scheduled');

    server.clock.advance(2000);
    await engine.tick();
    expect((await server.request<PublicRoom>('GET', '/api/rooms/drop')).body.status).toBe('open');
    const admitted = (await server.stats('drop')).admittedTotal;
    expect(admitted).toBeGreaterThan(0);
    const statuses = await statusesOf(server, 'drop', joined);
    expect(statuses.map((s) => s.state)).toEqual(
      joined.map((_, i) => (i < admitted ? 'admitted' : 'waiting')),
    );
  });

  it('draws a lottery room’s pre-queue in a random order at opening, and queues later arrivals behind it in order', async () => {
    const server = await startServer();
    const opensAt = new Date(server.clock.now + 10_000).toISOString();
    // A rate of zero: only the operator admits, one at a time, so the order can be watched.
    await server.createRoom({
      id: 'raffle',
      name: 'Raffle',
      opensAt,
      queueMode: 'lottery',
      admitRatePerMinute: 0,
      heartbeatTimeoutSeconds: DAY_SECONDS,
    });
    const { engine } = server.app.waitroom;

    const early = await joinMany(server, 'raffle', 12);
    await engine.tick();
    for (const s of await statusesOf(server, 'raffle', early)) {
      expect(s).toMatchObject({ state: 'waiting', position: null, roomStatus: 'scheduled' });
    }

    server.clock.advance(11_000);
    const late = [await server.join('raffle')];
    await engine.tick();
    late.push(...(await joinMany(server, 'raffle', 2)));

    const earlyPositions = (await statusesOf(server, 'raffle', early)).map((s) => s.position);
    expect([...earlyPositions].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(early.map((_, i) => i + 1));
    const latePositions = (await statusesOf(server, 'raffle', late)).map((s) => s.position);
    expect(latePositions).toEqual([13, 14, 15]);

    const everyone = [...early, ...late];
    const order: string[] = [];
    for (let k = 0; k < everyone.length; k++) {
      expect(await server.admit('raffle', 1)).toBe(1);
      const newly = [];
      for (const t of everyone) {
        if (order.includes(t.ticketId)) continue;
        if ((await server.status('raffle', t.queueToken)).state === 'admitted') newly.push(t.ticketId);
      }
      expect(newly).toHaveLength(1);
      order.push(newly[0]!);
    }
    expect(await server.admit('raffle', 1)).toBe(0);

    const earlyIds = early.map((t) => t.ticketId);
    const drawn = order.slice(0, early.length);
    expect([...drawn].sort()).toEqual([...earlyIds].sort());
    // The drawn order is the one the positions announced, and (12! to 1 against) not the join order.
    const announced = early
      .map((t, i) => ({ id: t.ticketId, position: earlyPositions[i] ?? 0 }))
      .sort((a, b) => a.position - b.position)
      .map((e) => e.id);
    expect(drawn).toEqual(announced);
    expect(drawn).not.toEqual(earlyIds);
    expect(order.slice(early.length)).toEqual(late.map((t) => t.ticketId));
  });
});
