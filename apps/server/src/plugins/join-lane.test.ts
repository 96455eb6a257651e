import type { RoomSettings, TicketStatus, WaitingRoomEngine } from '@waitroom/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  closeLaneServers,
  LANE_BASICS,
  serveLane,
  laneTokens as tokens,
} from '../../test/support/lane-server.js';
import type { PresentedStatus } from '../context.js';
import { JoinLane } from './join-lane.js';
import type { JoinLimit } from './join-limit.js';

/**
 * The join lane's promises to the handler behind it (Fastify's, standing here as one that
 * answers `route`): a join that made no place reaches that handler; a join that made one is
 * answered by the lane whatever follows, so that no place is ever made twice.
 */
afterEach(closeLaneServers);

const WAITING = {
  ticketId: 't1',
  roomId: 'sale',
  state: 'waiting',
  position: 7,
  etaSeconds: 30,
  etaRange: [20, 40],
  pollAfterMs: 2000,
  roomStatus: 'open',
  joinedAt: '2026-11-27T08:00:00.000Z',
  admission: null,
} as unknown as TicketStatus;
const OPEN = { id: 'sale', status: 'open', requireChallenge: false } as RoomSettings;

interface StandIns {
  /** The room's settings when the engine has them at hand (by default it has not). */
  settingsNow?: () => RoomSettings | undefined;
  settings?: () => Promise<RoomSettings>;
  join?: () => Promise<TicketStatus>;
  present?: (s: TicketStatus) => PresentedStatus | Promise<PresentedStatus>;
  limit?: JoinLimit | null;
}

async function laneServer(standIns: StandIns = {}) {
  const joins: string[] = [];
  const errors: unknown[] = [];
  const engine = {
    settingsNow: standIns.settingsNow ?? (() => undefined),
    currentSettings: standIns.settings ?? (async () => OPEN),
    join: async (roomId: string) => {
      joins.push(roomId);
      return (standIns.join ?? (async () => WAITING))();
    },
  } as unknown as WaitingRoomEngine;
  const lane = new JoinLane({
    engine,
    ...LANE_BASICS,
    present: standIns.present ?? ((s) => ({ ...(s as unknown as PresentedStatus) })),
    limit: standIns.limit ?? null,
    queueTokenTtlSeconds: 3600,
    onError: (error) => errors.push(error),
  });
  const { url, routed } = await serveLane(lane);
  const join = async (path = '/api/rooms/sale/tickets') => {
    const res = await fetch(`${url}${path}`, { method: 'POST' });
    return { status: res.status, text: await res.text(), cookie: res.headers.get('set-cookie') };
  };
  return { lane, routed, joins, errors, join };
}

const limitOf = (count: JoinLimit['count']): JoinLimit => ({ max: 5, addressOf: () => '127.0.0.1', count });

describe('JoinLane', () => {
  it('makes the join itself: the place, a queue token for it, and the cookie holding the token', async () => {
    const { lane, routed, joins, join } = await laneServer({ settingsNow: () => OPEN });
    const res = await join();
    expect(res.status).toBe(201);
    const body = JSON.parse(res.text) as { ticketId: string; position: number; queueToken: string };
    expect(body).toMatchObject({ ticketId: 't1', position: 7 });
    expect(tokens.verify(body.queueToken, 'sale').sub).toBe('t1');
    expect(res.cookie).toBe(
      `wr_place=${body.queueToken}; Max-Age=3600; Path=/api/rooms/sale/tickets; HttpOnly; SameSite=Strict`,
    );
    expect(joins).toEqual(['sale']);
    expect(routed).toEqual([]);
    expect(lane.counts).toEqual({ lane: 1, fastify: 0 });
  });

  it('hands a join that made no place to the handler: room unknown, store down, limit unreachable', async () => {
    const down = async () => {
      throw new Error('store down');
    };
    for (const standIns of [{ settings: down }, { join: down }, { limit: limitOf(down) }] as StandIns[]) {
      const { lane, routed, join } = await laneServer(standIns);
      expect((await join()).text).toBe('route');
      expect(routed).toEqual(['/api/rooms/sale/tickets']);
      expect(lane.counts).toEqual({ lane: 0, fastify: 1 });
    }
  });

  it('hands a join past the limit, or to a room it must not join, to the handler before making a place', async () => {
    let counted = 0;
    const exceeded = limitOf(async () => ({ exceeded: ++counted > 1, retryAfterSeconds: 30 }));
    const limited = await laneServer({ limit: exceeded });
    expect((await limited.join()).status).toBe(201);
    expect((await limited.join()).text).toBe('route');
    expect(limited.joins).toHaveLength(1);
    for (const settings of [
      { ...OPEN, requireChallenge: true },
      { ...OPEN, status: 'closed' },
    ] as RoomSettings[]) {
      const { joins, join } = await laneServer({ settings: async () => settings });
      expect((await join()).text).toBe('route');
      expect(joins).toEqual([]);
    }
  });

  it('answers a join whose place exists itself, even when what follows fails: never a second place', async () => {
    const { lane, routed, joins, errors, join } = await laneServer({
      present: () => {
        throw new Error('cannot present');
      },
    });
    const res = await join();
    expect(res.status).toBe(500);
    expect(JSON.parse(res.text)).toEqual({ error: { code: 'INTERNAL', message: expect.any(String) } });
    expect(res.text).not.toContain('cannot present');
    expect(errors).toEqual([expect.objectContaining({ message: 'cannot present' })]);
    expect(joins).toEqual(['sale']);
    expect(routed).toEqual([]);
    expect(lane.counts).toEqual({ lane: 1, fastify: 0 });
  });

  it('leaves other paths alone, uncounted, and every join to the handler once closed', async () => {
    const { lane, routed, join } = await laneServer();
    expect((await join('/api/rooms/sale/tickets/me')).text).toBe('route');
    expect((await join('/api/rooms/Sale/tickets')).text).toBe('route');
    expect((await join('/api/rooms/sale/tickets?x=1')).text).toBe('route');
    lane.close();
    expect((await join()).text).toBe('route');
    expect(routed).toHaveLength(4);
    expect(lane.counts).toEqual({ lane: 0, fastify: 0 });
  });
});
