import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanUp,
  crash,
  type JoinedTicket,
  startServer,
  type TestServer,
  type TicketStatus,
} from './helper.js';

afterEach(cleanUp);

const LEAVERS = [2, 9, 17, 30, 44];
const ADMITTED = 6;

interface Before {
  tickets: JoinedTicket[];
  statuses: TicketStatus[];
}

/** Fifty joins, five departures, six admissions: the state a restart must keep. */
/** A new server on the same data folder, operator token and clock as `first`. */
function restartOf(first: TestServer): Promise<TestServer> {
  return startServer({ dataDir: first.dataDir, adminToken: first.adminToken, clock: first.clock });
}

async function fillTheLine(server: TestServer): Promise<Before> {
  await server.createRoom({
    id: 'sale',
    name: 'Sale',
    admitRatePerMinute: 120,
    admissionTtlSeconds: 900,
    heartbeatTimeoutSeconds: 3600,
  });
  const tickets: JoinedTicket[] = [];
  for (let i = 0; i < 50; i++) tickets.push(await server.join('sale'));
  for (const i of LEAVERS) {
    expect(
      (await server.request('DELETE', '/api/rooms/sale/tickets/me', { token: tickets[i]!.queueToken }))
        .status,
    ).toBe(204);
  }
  server.clock.advance(2000);
  expect(await server.admit('sale', ADMITTED)).toBe(ADMITTED);
  const statuses: TicketStatus[] = [];
  for (const t of tickets) statuses.push(await server.status('sale', t.queueToken));
  return { tickets, statuses };
}

/** Every ticket reads the same through its old queue token; the waiting keep their order as 1..k. */
async function expectSameLine(server: TestServer, before: Before): Promise<void> {
  const keys = createLocalJWKSet((await server.request<JSONWebKeySet>('GET', '/.well-known/jwks.json')).body);
  const waitingIds: string[] = [];
  for (const [i, t] of before.tickets.entries()) {
    const old = before.statuses[i]!;
    const now = await server.status('sale', t.queueToken);
    expect(now.ticketId).toBe(t.ticketId);
    expect(now.state, `ticket ${i}`).toBe(old.state);
    expect(now.joinedAt).toBe(old.joinedAt);
    if (old.state === 'admitted') {
      expect(now.admissionExpiresAt).toBe(old.admissionExpiresAt);
      // The admission token given before the restart still verifies against the keys served after it.
      const { payload } = await jwtVerify(old.admissionToken ?? '', keys, { audience: 'sale' });
      expect(payload.sub).toBe(t.ticketId);
      expect(now.admissionToken).toEqual(expect.any(String));
    }
    if (old.state === 'waiting') {
      expect(now.position).toBe(old.position);
      waitingIds.push(t.ticketId);
    }
  }
  // What the test did: 50 joined, 5 left, the first 6 still waiting were admitted.
  const expectedWaiting = before.tickets
    .filter((_, i) => !LEAVERS.includes(i))
    .slice(ADMITTED)
    .map((t) => t.ticketId);
  expect(waitingIds).toEqual(expectedWaiting);
  for (const [k, id] of waitingIds.entries()) {
    const i = before.tickets.findIndex((t) => t.ticketId === id);
    expect(before.statuses[i]!.position).toBe(k + 1);
  }
  for (const i of LEAVERS) expect(before.statuses[i]!.state).toBe('left');
  expect(before.statuses.filter((s) => s.state === 'admitted')).toHaveLength(ADMITTED);
}

/** After a restart, admission goes on with the next in line, by hand and by rate. */
async function expectAdmissionGoesOn(server: TestServer, before: Before): Promise<void> {
  const next = before.tickets.filter((_, i) => before.statuses[i]!.state === 'waiting');
  expect(await server.admit('sale', 2)).toBe(2);
  expect((await server.status('sale', next[0]!.queueToken)).state).toBe('admitted');
  expect((await server.status('sale', next[1]!.queueToken)).state).toBe('admitted');
  expect(await server.status('sale', next[2]!.queueToken)).toMatchObject({ state: 'waiting', position: 1 });

  const { engine } = server.app.waitroom;
  await engine.tick();
  for (let s = 0; s < 3; s++) {
    server.clock.advance(1000);
    await engine.tick();
  }
  const stats = await server.stats('sale');
  expect(stats.admittedTotal).toBeGreaterThan(ADMITTED + 2);
  const byRate = stats.admittedTotal - ADMITTED - 2;
  const states = [];
  for (const t of next.slice(2, 2 + byRate + 1))
    states.push((await server.status('sale', t.queueToken)).state);
  expect(states).toEqual([...Array(byRate).fill('admitted'), 'waiting']);
}

describe('a restart', () => {
  it('keeps every ticket in its place, every admission with its expiry, and admission goes on', async () => {
    const first = await startServer();
    const before = await fillTheLine(first);
    const statsBefore = await first.stats('sale');
    await first.close();

    const second = await restartOf(first);
    await expectSameLine(second, before);
    expect(await second.stats('sale')).toMatchObject({
      joinedTotal: statsBefore.joinedTotal,
      admittedTotal: statsBefore.admittedTotal,
      leftTotal: statsBefore.leftTotal,
      waiting: statsBefore.waiting,
      active: statsBefore.active,
    });
    await expectAdmissionGoesOn(second, before);
  });

  it('after a crash, without a graceful close, still finds every ticket', async () => {
    const first = await startServer();
    const before = await fillTheLine(first);
    await crash(first);

    const second = await restartOf(first);
    await expectSameLine(second, before);
    expect(await second.stats('sale')).toMatchObject({
      joinedTotal: 50,
      leftTotal: LEAVERS.length,
      waiting: 50 - LEAVERS.length - ADMITTED,
    });
    await expectAdmissionGoesOn(second, before);
  });

  it('keeps a change made after a first restart through a second one', async () => {
    const first = await startServer();
    const before = await fillTheLine(first);
    await first.close();
    const second = await restartOf(first);
    const next = before.tickets.filter((_, i) => before.statuses[i]!.state === 'waiting');
    await second.request('DELETE', '/api/rooms/sale/tickets/me', { token: next[0]!.queueToken });
    await crash(second);

    const third = await restartOf(first);
    expect((await third.status('sale', next[0]!.queueToken)).state).toBe('left');
    expect(await third.status('sale', next[1]!.queueToken)).toMatchObject({ state: 'waiting', position: 1 });
  });

  it.each(['a graceful close', 'a crash'])('keeps a drawn lottery order through %s', async (how) => {
    const first = await startServer();
    const opensAt = new Date(first.clock.now + 5000).toISOString();
    await first.createRoom({
      id: 'raffle',
      name: 'Raffle',
      opensAt,
      queueMode: 'lottery',
      admitRatePerMinute: 0,
      heartbeatTimeoutSeconds: 3600,
    });
    const early: JoinedTicket[] = [];
    for (let i = 0; i < 8; i++) early.push(await first.join('raffle'));
    first.clock.advance(6000);
    await first.app.waitroom.engine.tick();
    const late = await first.join('raffle');
    const positions = [];
    for (const t of [...early, late]) positions.push((await first.status('raffle', t.queueToken)).position);
    expect(positions.every((p) => typeof p === 'number')).toBe(true);
    if (how === 'a crash') await crash(first);
    else await first.close();

    const second = await restartOf(first);
    const after = [];
    for (const t of [...early, late]) after.push((await second.status('raffle', t.queueToken)).position);
    expect(after).toEqual(positions);
    expect(after.at(-1)).toBe(9);
  });
});
