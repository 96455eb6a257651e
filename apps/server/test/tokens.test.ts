import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, type ErrorBody, type JoinedTicket, startServer, type TestServer } from './helper.js';

afterEach(cleanUp);

const SECRET = 'a-queue-token-secret-for-the-tests-0123456789';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A queue token's five parts: `q1.<room>.<ticket>.<expiry, base 36>.<mac>`. */
function parts(token: string): [string, string, string, string, string] {
  const p = token.split('.');
  if (p.length !== 5) throw new Error('not a queue token');
  return p as [string, string, string, string, string];
}

/** Changes one character in the middle of the signature (never the last, whose low bits may not count). */
function flipSignature(token: string): string {
  const p = parts(token);
  const mac = p[4];
  const at = Math.floor(mac.length / 2);
  const swapped = mac[at] === 'A' ? 'B' : 'A';
  return [...p.slice(0, 4), `${mac.slice(0, at)}${swapped}${mac.slice(at + 1)}`].join('.');
}

/**
 * Signs a queue token as the documented format says (decisions/0001), computed here from
 * the format itself rather than with the server's code.
 */
function signQueueToken(room: string, ticket: string, expSeconds: number, secret = SECRET): string {
  const body = `q1.${room}.${ticket}.${expSeconds.toString(36)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

interface Setup {
  server: TestServer;
  mine: JoinedTicket;
  neighbour: JoinedTicket;
  elsewhere: JoinedTicket;
}

async function setUp(): Promise<Setup> {
  const server = await startServer({ env: { QUEUE_TOKEN_SECRET: SECRET } });
  await server.createRoom({ id: 'sale', name: 'Sale', admitRatePerMinute: 60 });
  await server.createRoom({ id: 'other-sale', name: 'Other sale', admitRatePerMinute: 60 });
  const mine = await server.join('sale');
  const neighbour = await server.join('sale');
  const elsewhere = await server.join('other-sale');
  return { server, mine, neighbour, elsewhere };
}

const endpoints: [string, string][] = [
  ['GET', '/api/rooms/sale/tickets/me'],
  ['GET', '/api/rooms/sale/tickets/me/events'],
  ['DELETE', '/api/rooms/sale/tickets/me'],
];

/** Presents `token` (or no header) on every queue endpoint; each must refuse it, and the line stays as it was. */
async function expectRefusedEverywhere(
  setup: Setup,
  token: string | undefined,
  code: 'INVALID_TOKEN' | 'TOKEN_EXPIRED' = 'INVALID_TOKEN',
  headers: Record<string, string> = {},
): Promise<void> {
  const { server, mine, neighbour } = setup;
  for (const [method, path] of endpoints) {
    const res = await server.request<ErrorBody>(method, path, {
      headers,
      ...(token === undefined ? {} : { token }),
    });
    expect(res.status, `${method} ${path}`).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.body).toEqual({ error: { code, message: expect.any(String) } });
  }
  expect(await server.status('sale', mine.queueToken)).toMatchObject({ state: 'waiting', position: 1 });
  expect(await server.status('sale', neighbour.queueToken)).toMatchObject({ state: 'waiting', position: 2 });
}

describe('queue tokens', () => {
  it('let the holder of a genuine token read its place', async () => {
    const { server, mine } = await setUp();
    expect(await server.status('sale', mine.queueToken)).toMatchObject({
      ticketId: mine.ticketId,
      position: 1,
    });
    const [prefix, room, ticket] = parts(mine.queueToken);
    expect([prefix, room, ticket]).toEqual(['q1', 'sale', mine.ticketId]);
  });

  it('are refused when their signature was altered', async () => {
    const setup = await setUp();
    await expectRefusedEverywhere(setup, flipSignature(setup.mine.queueToken));
  });

  it('are refused when changed to name another ticket', async () => {
    const setup = await setUp();
    const p = parts(setup.mine.queueToken);
    const forged = [p[0], p[1], setup.neighbour.ticketId, p[3], p[4]].join('.');
    await expectRefusedEverywhere(setup, forged);
  });

  it('are refused when their expiry was pushed back', async () => {
    const setup = await setUp();
    const p = parts(setup.mine.queueToken);
    const later = (Number.parseInt(p[3], 36) + 86_400).toString(36);
    await expectRefusedEverywhere(setup, [p[0], p[1], p[2], later, p[4]].join('.'));
  });

  it('are refused in another room than their own', async () => {
    const setup = await setUp();
    await expectRefusedEverywhere(setup, setup.elsewhere.queueToken);
    // The same token still works in its own room.
    const own = await setup.server.status('other-sale', setup.elsewhere.queueToken);
    expect(own.ticketId).toBe(setup.elsewhere.ticketId);
  });

  it('are refused as TOKEN_EXPIRED once past their expiry, though signed with the right secret', async () => {
    const setup = await setUp();
    const now = Math.floor(Date.now() / 1000);
    // The same signer with a future expiry is accepted: only the expiry differs.
    const fresh = signQueueToken('sale', setup.mine.ticketId, now + 3600);
    expect((await setup.server.status('sale', fresh)).ticketId).toBe(setup.mine.ticketId);

    const expired = signQueueToken('sale', setup.mine.ticketId, now - 3600);
    await expectRefusedEverywhere(setup, expired, 'TOKEN_EXPIRED');
  });

  it('are refused when signed with another secret', async () => {
    const setup = await setUp();
    const now = Math.floor(Date.now() / 1000);
    const token = signQueueToken(
      'sale',
      setup.mine.ticketId,
      now + 3600,
      'some-other-secret-that-is-long-enough-000',
    );
    await expectRefusedEverywhere(setup, token);
  });

  it('are refused unsigned, and as a JWT with alg none', async () => {
    const setup = await setUp();
    const p = parts(setup.mine.queueToken);
    await expectRefusedEverywhere(setup, `${p.slice(0, 4).join('.')}.`);
    await expectRefusedEverywhere(setup, p.slice(0, 4).join('.'));
    const claims = { sub: setup.mine.ticketId, rid: 'sale', exp: Math.floor(Date.now() / 1000) + 3600 };
    await expectRefusedEverywhere(setup, `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`);
  });

  it('cannot be replaced by an admission token of the same ticket', async () => {
    const setup = await setUp();
    expect(await setup.server.admit('other-sale', 1)).toBe(1);
    const admitted = await setup.server.status('other-sale', setup.elsewhere.queueToken);
    const admissionToken = admitted.admissionToken ?? '';
    expect(admissionToken).not.toBe('');
    const refused = await setup.server.request<ErrorBody>('GET', '/api/rooms/other-sale/tickets/me', {
      token: admissionToken,
    });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('INVALID_TOKEN');
    const leave = await setup.server.request('DELETE', '/api/rooms/other-sale/tickets/me', {
      token: admissionToken,
    });
    expect(leave.status).toBe(401);
    expect((await setup.server.status('other-sale', setup.elsewhere.queueToken)).state).toBe('admitted');
  });

  it('do not open the operator API', async () => {
    const { server, mine } = await setUp();
    const res = await server.request<ErrorBody>('GET', '/api/admin/rooms', { token: mine.queueToken });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_TOKEN');
  });

  it('are required: no Authorization header, or one that is not a bearer token, is 401', async () => {
    const setup = await setUp();
    await expectRefusedEverywhere(setup, undefined);
    await expectRefusedEverywhere(setup, undefined, 'INVALID_TOKEN', {
      authorization: `Basic ${Buffer.from('a:b').toString('base64')}`,
    });
    await expectRefusedEverywhere(setup, undefined, 'INVALID_TOKEN', { authorization: 'Bearer' });
    await expectRefusedEverywhere(setup, 'not.a.jwt');
    await expectRefusedEverywhere(setup, '');
  });
});
