import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, type ErrorBody, startServer, type TestServer } from './helper.js';
import { EventReader } from './support/event-reader.js';

const readers: EventReader[] = [];

afterEach(async () => {
  for (const r of readers.splice(0)) r.close();
  await cleanUp();
});

async function openEvents(server: TestServer, roomId: string, token: string): Promise<EventReader> {
  const abort = new AbortController();
  const response = await fetch(`${server.url}/api/rooms/${roomId}/tickets/me/events`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  const reader = new EventReader(response, abort);
  readers.push(reader);
  return reader;
}

/** A live server whose room admits only when the operator says so, so every change is the test's doing. */
async function liveServer(): Promise<TestServer> {
  const server = await startServer({
    background: true,
    live: { refreshMs: 20, quietRefreshMs: 1000, keepAliveMs: 200 },
  });
  await server.createRoom({ id: 'sale', name: 'Sale', admitRatePerMinute: 0, heartbeatTimeoutSeconds: 3600 });
  return server;
}

describe('the live status stream', () => {
  it('sends the ticket status at once, as text/event-stream', async () => {
    const server = await liveServer();
    await server.join('sale');
    await server.join('sale');
    const third = await server.join('sale');

    const events = await openEvents(server, 'sale', third.queueToken);
    expect(events.response.status).toBe(200);
    expect(events.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const first = await events.nextStatus();
    expect(first).toMatchObject({ ticketId: third.ticketId, roomId: 'sale', state: 'waiting', position: 3 });
  });

  it('sends a new status when someone ahead leaves, and again on each admission', async () => {
    const server = await liveServer();
    const ahead = await server.join('sale');
    await server.join('sale');
    const mine = await server.join('sale');
    const events = await openEvents(server, 'sale', mine.queueToken);
    expect((await events.nextStatus()).position).toBe(3);

    await server.request('DELETE', '/api/rooms/sale/tickets/me', { token: ahead.queueToken });
    const afterLeave = await events.nextStatus();
    expect(afterLeave).toMatchObject({ state: 'waiting', position: 2 });

    expect(await server.admit('sale', 1)).toBe(1);
    const afterAdmit = await events.nextStatus();
    expect(afterAdmit).toMatchObject({ state: 'waiting', position: 1 });

    expect(await server.admit('sale', 1)).toBe(1);
    const admitted = await events.nextStatus();
    expect(admitted).toMatchObject({ ticketId: mine.ticketId, state: 'admitted', position: null });
    expect(admitted.admissionToken).toEqual(expect.any(String));
    expect(admitted.admissionExpiresAt).toEqual(expect.any(String));
  });

  it('sends a waiting ticket at most one status a second however fast the line moves, an admission at once', async () => {
    const server = await liveServer();
    const ahead = [];
    for (let k = 0; k < 6; k++) ahead.push(await server.join('sale'));
    const mine = await server.join('sale');
    const events = await openEvents(server, 'sale', mine.queueToken);
    const opened = Date.now();
    expect((await events.nextStatus()).position).toBe(7);

    // Six moves in well under a second: the stream hears of them together, a second after its
    // first status, with the latest position.
    for (let k = 0; k < 6; k++) expect(await server.admit('sale', 1)).toBe(1);
    const moved = await events.nextStatus();
    const after = Date.now() - opened;
    expect(after).toBeGreaterThanOrEqual(900);
    expect(moved).toMatchObject({ state: 'waiting', position: 1 });

    // A change of state is not held back: the admission comes at the next refresh.
    const admittedAt = Date.now();
    expect(await server.admit('sale', 1)).toBe(1);
    const admitted = await events.nextStatus();
    expect(admitted).toMatchObject({ ticketId: mine.ticketId, state: 'admitted' });
    expect(Date.now() - admittedAt).toBeLessThan(900);
  });

  it('sends the final status and ends the stream when the ticket leaves the line', async () => {
    const server = await liveServer();
    const mine = await server.join('sale');
    const events = await openEvents(server, 'sale', mine.queueToken);
    expect((await events.nextStatus()).state).toBe('waiting');

    await server.request('DELETE', '/api/rooms/sale/tickets/me', { token: mine.queueToken });
    expect(await events.nextStatus()).toMatchObject({
      ticketId: mine.ticketId,
      state: 'left',
      position: null,
    });
    await events.untilEnd();
    expect(events.ended).toBe(true);
  });

  it('keeps an idle connection open with comment lines', async () => {
    const server = await liveServer();
    const mine = await server.join('sale');
    const events = await openEvents(server, 'sale', mine.queueToken);
    await events.nextStatus();

    const comment = await events.next((b) => b.kind === 'comment');
    expect(comment.kind === 'comment' && comment.text.startsWith(':')).toBe(true);
    // Still open and still answering after the comment.
    await server.request('DELETE', '/api/rooms/sale/tickets/me', { token: mine.queueToken });
    expect((await events.nextStatus()).state).toBe('left');
  });

  it('counts an open stream as a sign of life, so a watcher is not abandoned', async () => {
    const server = await startServer({ live: { refreshMs: 20, quietRefreshMs: 50, keepAliveMs: 200 } });
    await server.createRoom({ id: 'sale', name: 'Sale', admitRatePerMinute: 0, heartbeatTimeoutSeconds: 5 });
    const watcher = await server.join('sale');
    const silent = await server.join('sale');
    const events = await openEvents(server, 'sale', watcher.queueToken);
    await events.nextStatus();

    // Step by step past the heartbeat timeout, the hub reading the open stream's ticket in between.
    const { engine, hub } = server.app.waitroom;
    for (let s = 0; s < 8; s++) {
      server.clock.advance(1000);
      await new Promise((resolve) => setTimeout(resolve, 60));
      await hub.flush();
      await engine.tick();
    }
    expect((await server.status('sale', watcher.queueToken)).state).toBe('waiting');
    expect((await server.status('sale', silent.queueToken)).state).toBe('expired');
  });

  it('refuses a stream without a valid queue token, in the JSON error shape', async () => {
    const server = await liveServer();
    const res = await server.request<ErrorBody>('GET', '/api/rooms/sale/tickets/me/events');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_TOKEN');
  });
});
