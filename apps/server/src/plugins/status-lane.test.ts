import type { TicketStatus, WaitingRoomEngine } from '@waitroom/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  closeLaneServers,
  LANE_BASICS,
  serveLane,
  laneTokens as tokens,
} from '../../test/support/lane-server.js';
import type { PresentedStatus } from '../context.js';
import { StatusLane } from './status-lane.js';

/**
 * The lane's promise to the handler behind it: whatever goes wrong after the lane took a read
 * (the store fails, presenting fails), the read reaches that handler, and the server lives on.
 * The handler here stands for Fastify's and answers `route`.
 */
afterEach(closeLaneServers);

const PRESENTED: PresentedStatus = {
  ticketId: 't1',
  roomId: 'sale',
  state: 'waiting',
  position: 3,
  etaSeconds: 30,
  etaRange: [20, 40],
  pollAfterMs: 2000,
  roomStatus: 'open',
  joinedAt: '2026-11-27T08:00:00.000Z',
};
/** The engine's status for it: the lane passes it to `present` as it comes. */
const WAITING = { ...PRESENTED, admission: null } as unknown as TicketStatus;

async function laneServer(
  status: () => Promise<TicketStatus>,
  present: (s: TicketStatus) => PresentedStatus | Promise<PresentedStatus>,
  statusNow: () => TicketStatus | undefined = () => undefined,
) {
  const lane = new StatusLane({
    engine: { status, statusNow } as unknown as WaitingRoomEngine,
    ...LANE_BASICS,
    present,
  });
  const { url, routed } = await serveLane(lane);
  const read = async (path = '/api/rooms/sale/tickets/me') => {
    const res = await fetch(`${url}${path}`, {
      headers: { authorization: `Bearer ${tokens.issue('sale', 't1')}` },
    });
    return { status: res.status, text: await res.text(), nosniff: res.headers.get('x-content-type-options') };
  };
  return { lane, routed, read };
}

const plain = (_status: TicketStatus): PresentedStatus => ({ ...PRESENTED });

describe('StatusLane', () => {
  it('answers a read itself when the engine and the presentation succeed', async () => {
    const { lane, routed, read } = await laneServer(async () => WAITING, plain);
    const res = await read();
    expect(res.status).toBe(200);
    expect(res.nosniff).toBe('nosniff');
    expect(JSON.parse(res.text)).toMatchObject({ ticketId: 't1', position: 3, etaRange: [20, 40] });
    expect(routed).toEqual([]);
    expect(lane.counts).toEqual({ lane: 1, fastify: 0 });
  });

  it('hands the read to the handler behind it when the engine fails', async () => {
    const { lane, routed, read } = await laneServer(async () => {
      throw new Error('store down');
    }, plain);
    expect((await read()).text).toBe('route');
    expect(routed).toEqual(['/api/rooms/sale/tickets/me']);
    expect(lane.counts).toEqual({ lane: 0, fastify: 1 });
  });

  it('hands it on when presenting throws or rejects, and keeps serving', async () => {
    let mode: 'throw' | 'reject' | 'ok' = 'throw';
    const { lane, read } = await laneServer(
      async () => WAITING,
      (s) => {
        if (mode === 'throw') throw new Error('cannot present');
        if (mode === 'reject') return Promise.reject(new Error('cannot sign'));
        return Promise.resolve(plain(s));
      },
    );
    expect((await read()).text).toBe('route');
    mode = 'reject';
    expect((await read()).text).toBe('route');
    mode = 'ok';
    expect(JSON.parse((await read()).text).ticketId).toBe('t1');
    expect(lane.counts).toEqual({ lane: 1, fastify: 2 });
  });

  it('answers at once when the engine can read without waiting, and hands the read on when that throws', async () => {
    const unused = async (): Promise<TicketStatus> => {
      throw new Error('the read in turn was not needed');
    };
    const atOnce = await laneServer(unused, plain, () => WAITING);
    expect(JSON.parse((await atOnce.read()).text)).toMatchObject({ ticketId: 't1', position: 3 });
    expect(atOnce.lane.counts).toEqual({ lane: 1, fastify: 0 });
    const unknown = await laneServer(unused, plain, () => {
      throw new Error('This ticket is no longer known');
    });
    expect((await unknown.read()).text).toBe('route');
    expect(unknown.lane.counts).toEqual({ lane: 0, fastify: 1 });
  });

  it('leaves other paths alone, uncounted, and every read to the handler once closed', async () => {
    const { lane, routed, read } = await laneServer(async () => WAITING, plain);
    expect((await read('/api/rooms/sale/tickets/me/events')).text).toBe('route');
    expect((await read('/api/rooms/Sale/tickets/me')).text).toBe('route');
    lane.close();
    expect((await read()).text).toBe('route');
    expect(routed).toHaveLength(3);
    expect(lane.counts).toEqual({ lane: 0, fastify: 0 });
  });
});
