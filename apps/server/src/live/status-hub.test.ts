import { MemoryQueueStore, type TicketStatus, WaitingRoomEngine } from '@waitroom/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pushIntervalMs, StatusHub, type StatusStream } from './status-hub.js';

const ROOM = 'sale';
const OPTIONS = { refreshMs: 200, quietRefreshMs: 10_000, keepAliveMs: 15_000, waitingPushMs: 1000 };

interface Watcher {
  ticketId: string;
  stream: StatusStream;
  /** The statuses pushed to it, parsed. */
  pushed: TicketStatus[];
}

/** An engine on the embedded store, a hub on it, and `n` shoppers watching by stream. */
async function crowd(n: number) {
  let id = 0;
  const engine = new WaitingRoomEngine({
    store: new MemoryQueueStore(),
    clock: () => Date.now(),
    newTicketId: () => `t${String(++id).padStart(4, '0')}`,
    newSeed: () => 'seed',
  });
  await engine.createRoom({ id: ROOM, name: 'Sale', admitRatePerMinute: 0, heartbeatTimeoutSeconds: 3600 });
  const reads: string[][] = [];
  const statuses = engine.statuses.bind(engine);
  engine.statuses = (roomId: string, ids: readonly string[]) => {
    reads.push([...ids]);
    return statuses(roomId, ids);
  };
  const hub = new StatusHub(engine, (status) => status, OPTIONS);
  const watchers: Watcher[] = [];
  for (let k = 0; k < n; k++) {
    const { ticketId } = await engine.join(ROOM);
    const marker = hub.marker(ROOM);
    const first = await engine.status(ROOM, ticketId);
    const watcher: Watcher = {
      ticketId,
      pushed: [],
      stream: {
        roomId: ROOM,
        ticketId,
        write: (text) => {
          watcher.pushed.push(JSON.parse(text.split('data: ')[1]!) as TicketStatus);
          return true;
        },
        end: () => {},
      },
    };
    hub.add(watcher.stream, JSON.stringify(first), first, marker);
    watchers.push(watcher);
  }
  return { engine, hub, watchers, reads };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-27T10:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the live status hub', () => {
  it('after an admission at the head, reads only the streams it may have admitted, and pushes the admission at once', async () => {
    const { engine, hub, watchers, reads } = await crowd(200);
    expect(await engine.admit(ROOM, 3)).toBe(3);
    await hub.flush();

    // The three at the head, not the 197 behind, whose news (a new position) is not due yet.
    expect(reads.flat().sort()).toEqual(watchers.slice(0, 3).map((w) => w.ticketId));
    for (const w of watchers.slice(0, 3)) expect(w.pushed.at(-1)).toMatchObject({ state: 'admitted' });
    for (const w of watchers.slice(3)) expect(w.pushed).toEqual([]);

    // Once their push is due, the others hear their new position, all in one read.
    vi.advanceTimersByTime(OPTIONS.waitingPushMs);
    await hub.flush();
    expect(reads).toHaveLength(2);
    expect(reads[1]).toHaveLength(197);
    watchers.slice(3).forEach((w, k) => {
      expect(w.pushed).toEqual([expect.objectContaining({ state: 'waiting', position: k + 1 })]);
    });
  });

  it('counts the departures ahead: a ticket admitted after others left is still pushed at once', async () => {
    const { engine, hub, watchers } = await crowd(10);
    await hub.flush();
    // Five ahead of the sixth leave, then one admission: the sixth, once at position 6, is in.
    for (const w of watchers.slice(0, 5)) await engine.leave(ROOM, w.ticketId);
    await hub.flush();
    expect(await engine.admit(ROOM, 1)).toBe(1);
    await hub.flush();
    expect(watchers[5]!.pushed.at(-1)).toMatchObject({ ticketId: watchers[5]!.ticketId, state: 'admitted' });
  });

  it('pushes a leave to the stream of the ticket that left at once, and reads no one else for it but the head', async () => {
    const { engine, hub, watchers, reads } = await crowd(50);
    const leaver = watchers[40]!;
    await engine.leave(ROOM, leaver.ticketId);
    await hub.flush();
    // The head is read too: for all the hub knows, the departure was ahead of it.
    expect(reads).toEqual([[watchers[0]!.ticketId, leaver.ticketId]]);
    expect(leaver.pushed).toEqual([expect.objectContaining({ state: 'left' })]);
  });

  it('reads every stream after new settings, whatever their push interval', async () => {
    const { engine, hub, watchers, reads } = await crowd(30);
    await engine.updateRoom(ROOM, { status: 'paused' });
    await hub.flush();
    expect(reads[0]).toHaveLength(30);
    for (const w of watchers) expect(w.pushed.at(-1)).toMatchObject({ roomStatus: 'paused' });
  });

  it('reads no stream when nothing has happened, until a full read is due', async () => {
    const { hub, reads } = await crowd(20);
    await hub.flush();
    vi.advanceTimersByTime(OPTIONS.waitingPushMs * 3);
    await hub.flush();
    expect(reads).toEqual([]);
    // Every stream is read at least every quietRefreshMs: an open stream is a sign of life.
    vi.advanceTimersByTime(OPTIONS.quietRefreshMs);
    await hub.flush();
    expect(reads).toHaveLength(1);
    expect(reads[0]).toHaveLength(20);
  });
});

describe('the push interval of a waiting ticket', () => {
  it('is the floor near the front or without an estimate, a twentieth of the wait further back, five seconds at most', () => {
    expect(pushIntervalMs(null, 1000)).toBe(1000);
    expect(pushIntervalMs(8, 1000)).toBe(1000);
    expect(pushIntervalMs(60, 1000)).toBe(3000);
    expect(pushIntervalMs(3600, 1000)).toBe(5000);
    expect(pushIntervalMs(3600, 8000)).toBe(8000);
  });
});
