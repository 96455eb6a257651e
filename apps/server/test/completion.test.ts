import type { AuditEntry } from '@waitroom/orders';
import { afterEach, describe, expect, it } from 'vitest';
import { CompletionReportError, reportCompleted } from '../../../packages/verifier/src/index.js';
import {
  cleanUp,
  DAY_SECONDS,
  expectError,
  type JoinedTicket,
  startServer,
  type TestServer,
  type TicketStatus,
} from './helper.js';
import { admittedBuyers, placeOrder } from './support/orders.js';

afterEach(cleanUp);

const completePath = (roomId: string, ticketId: string) =>
  `/api/admin/rooms/${roomId}/tickets/${ticketId}/complete`;

interface Completed {
  ticketId: string;
  roomId: string;
  state: 'completed';
}

/** A room admitting nobody by itself (rate 0) unless a test changes it; nobody is abandoned. */
async function roomServer(settings: Record<string, unknown> = {}): Promise<TestServer> {
  const server = await startServer();
  await server.createRoom({
    id: 'shop',
    name: 'Shop',
    admitRatePerMinute: 0,
    heartbeatTimeoutSeconds: DAY_SECONDS,
    ...settings,
  });
  return server;
}

async function admittedTicket(server: TestServer): Promise<JoinedTicket & { admissionToken: string }> {
  const ticket = await server.join('shop');
  expect(await server.admit('shop', 1)).toBe(1);
  const status = await server.status('shop', ticket.queueToken);
  expect(status.state).toBe('admitted');
  return { ...ticket, admissionToken: status.admissionToken ?? '' };
}

describe('POST /api/admin/rooms/{id}/tickets/{ticketId}/complete', () => {
  it('ends the admission at once: with maxActive 1 the next ticket is admitted on the next tick', async () => {
    const server = await roomServer({ admitRatePerMinute: 6000, maxActive: 1 });
    const { engine } = server.app.waitroom;
    const first = await server.join('shop');
    const second = await server.join('shop');

    await engine.tick(); // the rate's credit starts counting
    server.clock.advance(1000);
    await engine.tick();
    expect((await server.status('shop', first.queueToken)).state).toBe('admitted');
    server.clock.advance(1000);
    await engine.tick();
    expect((await server.status('shop', second.queueToken)).state).toBe('waiting');
    expect((await server.stats('shop')).active).toBe(1);

    const res = await server.admin<Completed>('POST', completePath('shop', first.ticketId));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ticketId: first.ticketId, roomId: 'shop', state: 'completed' });
    expect((await server.status('shop', first.queueToken)).state).toBe('completed');
    const stats = await server.stats('shop');
    expect(stats.active).toBe(0);
    expect(stats.completedTotal).toBe(1);

    server.clock.advance(1000);
    await engine.tick();
    expect((await server.status('shop', second.queueToken)).state).toBe('admitted');
  });

  it('is refused for an unknown ticket or room, a ticket not admitted, a used or expired admission', async () => {
    const server = await roomServer({ admissionTtlSeconds: 10 });
    const admitted = await admittedTicket(server);
    const late = await admittedTicket(server);
    const later = await admittedTicket(server);
    const waiting = await server.join('shop');

    expectError(await server.admin('POST', completePath('shop', 'no-such-ticket')), 404, 'NOT_FOUND');
    expectError(
      await server.admin('POST', completePath('nowhere', admitted.ticketId)),
      404,
      'ROOM_NOT_FOUND',
    );
    expectError(await server.admin('POST', completePath('shop', waiting.ticketId)), 403, 'FORBIDDEN');

    expect((await server.admin('POST', completePath('shop', admitted.ticketId))).status).toBe(200);
    expectError(await server.admin('POST', completePath('shop', admitted.ticketId)), 409, 'ADMISSION_USED');

    // Ran out: its place is free already; 409 ADMISSION_EXPIRED, before and after the sweep.
    server.clock.advance(11_000);
    expectError(await server.admin('POST', completePath('shop', late.ticketId)), 409, 'ADMISSION_EXPIRED');
    await server.app.waitroom.engine.tick();
    expectError(await server.admin('POST', completePath('shop', later.ticketId)), 409, 'ADMISSION_EXPIRED');

    const stats = await server.stats('shop');
    expect(stats.completedTotal).toBe(1);
    expect(stats.active).toBe(0);
  });

  it('is refused after an order used the admission', async () => {
    const server = await roomServer();
    expect(
      (
        await server.admin('PUT', '/api/admin/rooms/shop/products', {
          products: [{ id: 'cap', name: 'Cap', priceCents: 1800, currency: 'EUR', stock: 5 }],
        })
      ).status,
    ).toBe(200);
    const [buyer] = await admittedBuyers(server, 'shop', 1);
    expect((await placeOrder(server, buyer!, [{ productId: 'cap', quantity: 1 }])).status).toBe(201);
    expectError(await server.admin('POST', completePath('shop', buyer!.ticketId)), 409, 'ADMISSION_USED');
  });

  it('needs an operator with write scope, takes no fields, and changes nothing when refused', async () => {
    const server = await roomServer();
    const ticket = await admittedTicket(server);
    const path = completePath('shop', ticket.ticketId);
    expectError(await server.request('POST', path), 401, 'INVALID_TOKEN');
    expectError(await server.request('POST', path, { token: ticket.admissionToken }), 401, 'INVALID_TOKEN');
    const reader = await server.app.waitroom.control.createOperatorKey(
      { name: 'reader', scope: 'read' },
      { actor: 'command', now: Date.now() },
    );
    expectError(await server.request('POST', path, { token: reader.key }), 403, 'FORBIDDEN');
    expectError(await server.admin('POST', path, { ticketId: 'x' }), 400, 'INVALID_REQUEST');
    expect((await server.status('shop', ticket.queueToken)).state).toBe('admitted');

    const writer = await server.app.waitroom.control.createOperatorKey(
      { name: 'shop backend', scope: 'write' },
      { actor: 'command', now: Date.now() },
    );
    const res = await server.request('POST', path, { token: writer.key, body: {} });
    expect(res.status).toBe(200);
    expect((await server.status('shop', ticket.queueToken)).state).toBe('completed');
  });

  it('is written to the audit log: who, which room, which ticket', async () => {
    const server = await roomServer();
    const ticket = await admittedTicket(server);
    const refused = await server.join('shop');
    await server.request('POST', completePath('shop', ticket.ticketId), {
      token: server.adminToken ?? '',
      headers: { 'x-request-id': 'complete-1' },
    });
    await server.admin('POST', completePath('shop', refused.ticketId)); // 403: not recorded

    const page = await server.admin<{ entries: AuditEntry[] }>('GET', '/api/admin/audit?roomId=shop');
    expect(page.status).toBe(200);
    const completions = page.body.entries.filter((e) => e.action === 'ticket.complete');
    expect(completions).toEqual([
      expect.objectContaining({
        action: 'ticket.complete',
        actor: expect.any(String),
        roomId: 'shop',
        details: { ticketId: ticket.ticketId },
        requestId: 'complete-1',
      }),
    ]);
  });

  it('is described in the OpenAPI document', async () => {
    const server = await roomServer();
    const doc = (
      await server.request<{ paths: Record<string, Record<string, Record<string, unknown>>> }>(
        'GET',
        '/openapi.json',
      )
    ).body;
    const operation = doc.paths['/api/admin/rooms/{id}/tickets/{ticketId}/complete']?.post;
    expect(operation).toMatchObject({ security: [{ operator: [] }], tags: ['operator'] });
    expect(Object.keys(operation?.responses as object)).toEqual(
      expect.arrayContaining(['200', '401', '403', '404', '409']),
    );
    expect(doc.paths['/api/admissions/complete']?.post).toMatchObject({ security: [{ admissionToken: [] }] });
  });
});

describe("the verifier's reportCompleted against the real route", () => {
  it('frees the place; a second report, or one for an unknown ticket, rejects with the code', async () => {
    const server = await roomServer({ maxActive: 1 });
    const ticket = await admittedTicket(server);
    const next = await server.join('shop');
    expect(await server.admit('shop', 1)).toBe(0); // the one place is taken

    const options = { baseUrl: server.url, operatorKey: server.adminToken ?? '', roomId: 'shop' };
    await reportCompleted({ ...options, ticketId: ticket.ticketId });
    expect((await server.status('shop', ticket.queueToken)).state).toBe('completed');
    expect(await server.admit('shop', 1)).toBe(1);
    expect((await server.status('shop', next.queueToken)).state).toBe('admitted');

    const again = await reportCompleted({ ...options, ticketId: ticket.ticketId }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(CompletionReportError);
    expect(again).toMatchObject({ status: 409, code: 'ADMISSION_USED' });
    await expect(reportCompleted({ ...options, ticketId: 'nobody' })).rejects.toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
    await expect(
      reportCompleted({ ...options, operatorKey: 'not-the-operator-token', ticketId: next.ticketId }),
    ).rejects.toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
  });
});

describe('POST /api/admissions/complete with the admission token', () => {
  it('ends the admission its token names; once', async () => {
    const server = await roomServer({ maxActive: 1 });
    const ticket = await admittedTicket(server);
    const res = await server.request<Completed>('POST', '/api/admissions/complete', {
      token: ticket.admissionToken,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ticketId: ticket.ticketId, roomId: 'shop', state: 'completed' });
    const status = await server.status('shop', ticket.queueToken);
    expect(status.state).toBe('completed');
    expect((await server.stats('shop')).active).toBe(0);
    expectError(
      await server.request('POST', '/api/admissions/complete', { token: ticket.admissionToken }),
      409,
      'ADMISSION_USED',
    );
    // Not audited: no operator made it.
    const audit = await server.admin<{ entries: AuditEntry[] }>('GET', '/api/admin/audit?roomId=shop');
    expect(audit.body.entries.map((e) => e.action)).not.toContain('ticket.complete');
  });

  it('refuses a queue token, no token, or an admission that ran out', async () => {
    const server = await roomServer({ admissionTtlSeconds: 10 });
    const ticket = await admittedTicket(server);
    expectError(await server.request('POST', '/api/admissions/complete'), 401, 'INVALID_TOKEN');
    expectError(
      await server.request('POST', '/api/admissions/complete', { token: ticket.queueToken }),
      401,
      'INVALID_TOKEN',
    );
    expectError(
      await server.request('POST', '/api/admissions/complete', {
        token: ticket.admissionToken,
        body: { ticketId: ticket.ticketId },
      }),
      400,
      'INVALID_REQUEST',
    );
    server.clock.advance(11_000);
    const expired = await server.request('POST', '/api/admissions/complete', {
      token: ticket.admissionToken,
    });
    expectError(expired, 401, 'TOKEN_EXPIRED');
    const status: TicketStatus = await server.status('shop', ticket.queueToken);
    expect(status.state).not.toBe('completed');
  });
});
