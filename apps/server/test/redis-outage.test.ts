import {
  type RedisServerHandle,
  requireRedisServerBinary,
  startRedisServer,
} from '@waitroom/store-redis/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, DAY_SECONDS, expectError, startServer, type TestServer } from './helper.js';

const canStart = requireRedisServerBinary();
let redis: RedisServerHandle | null = null;

afterEach(async () => {
  await cleanUp();
  await redis?.stop();
  redis = null;
});

/** Polls `check` until it holds; fails after `timeoutMs`. */
async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function timed<T>(step: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await step();
  return { value, ms: Date.now() - started };
}

/** A server on a Redis of the test's own, which the test can pause, kill and start again. */
async function serverOnOwnRedis(): Promise<TestServer> {
  redis = await startRedisServer({ appendOnly: true });
  const server = await startServer({ env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'outage:' } });
  await server.createRoom({
    id: 'sale',
    name: 'Sale',
    admitRatePerMinute: 0,
    heartbeatTimeoutSeconds: DAY_SECONDS,
  });
  return server;
}

const ready = (server: TestServer) => async () => (await server.request('GET', '/readyz')).status === 200;
const notReady = (server: TestServer) => async () => (await server.request('GET', '/readyz')).status === 503;

describe.skipIf(!canStart)('when Redis is away', () => {
  it('a Redis that hangs: /readyz fails and every request gets a prompt 503, then all is well again', async () => {
    const server = await serverOnOwnRedis();
    const ticket = await server.join('sale');
    redis!.pause();

    await eventually(notReady(server), 5_000, '/readyz answering 503');
    const join = await timed(() => server.request('POST', '/api/rooms/sale/tickets'));
    expectError(join.value, 503, 'UNAVAILABLE');
    // The store's command timeout (2 s), not the client's patience, ends the request.
    expect(join.ms).toBeLessThan(5_000);
    const status = await timed(() =>
      server.request('GET', '/api/rooms/sale/tickets/me', { token: ticket.queueToken }),
    );
    expectError(status.value, 503, 'UNAVAILABLE');
    expect(status.ms).toBeLessThan(5_000);

    redis!.resume();
    await eventually(ready(server), 10_000, '/readyz answering 200 again');
    expect((await server.status('sale', ticket.queueToken)).position).toBe(1);
    // The join refused during the hang took no place in the line.
    expect((await server.join('sale')).position).toBe(2);
  });

  it('a Redis that crashes: 503 at once, then the server reconnects by itself and nothing is lost', async () => {
    const server = await serverOnOwnRedis();
    const tickets = [await server.join('sale'), await server.join('sale'), await server.join('sale')];
    await server.request('DELETE', '/api/rooms/sale/tickets/me', { token: tickets[0]!.queueToken });
    await redis!.kill();

    await eventually(notReady(server), 5_000, '/readyz answering 503');
    const join = await timed(() => server.request('POST', '/api/rooms/sale/tickets'));
    expectError(join.value, 503, 'UNAVAILABLE');
    expect(join.ms).toBeLessThan(2_000);
    const admin = await server.admin('POST', '/api/admin/rooms/sale/admit', { count: 1 });
    expectError(admin, 503, 'UNAVAILABLE');

    // Redis comes back on the same port with its append-only file: the server finds it
    // again without a restart, and the line is as it was.
    await redis!.restart();
    await eventually(ready(server), 15_000, '/readyz answering 200 again');
    const positions = [];
    for (const t of tickets.slice(1)) positions.push((await server.status('sale', t.queueToken)).position);
    expect(positions).toEqual([1, 2]);
    expect(await server.admit('sale', 1)).toBe(1);
    expect((await server.status('sale', tickets[1]!.queueToken)).state).toBe('admitted');
  });
});
