import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type AuditEntry, type OperatorScope, openOrderStore } from '@waitroom/orders';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ApiResponse,
  cleanUp,
  DAY_SECONDS,
  expectError,
  type RoomSettings,
  startServer,
  type TestServer,
} from './helper.js';
import { admittedBuyers, customer, type OrderResponse, placeOrder } from './support/orders.js';

afterEach(cleanUp);

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PRODUCTS = [
  { id: 'tee', name: 'Tour tee', priceCents: 2500, currency: 'EUR', stock: 10, maxPerOrder: 3 },
  { id: 'cap', name: 'Cap', priceCents: 1800, currency: 'EUR', stock: 5 },
];

interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}

/** A server with a room 'sale' selling PRODUCTS, nobody admitted by rate. */
async function saleServer(): Promise<TestServer> {
  const server = await startServer();
  await server.createRoom({
    id: 'sale',
    name: 'Sale',
    admitRatePerMinute: 0,
    heartbeatTimeoutSeconds: DAY_SECONDS,
  });
  expect((await server.admin('PUT', '/api/admin/rooms/sale/products', { products: PRODUCTS })).status).toBe(
    200,
  );
  return server;
}

/** A key made straight in the server's database, as the command would. */
async function newKey(server: TestServer, scope: OperatorScope, name = `${scope} key`) {
  return server.app.waitroom.control.createOperatorKey(
    { name, scope },
    { actor: 'command', now: Date.now() },
  );
}

function as<T = unknown>(server: TestServer, token: string, method: string, path: string, body?: unknown) {
  return server.request<T>(method, path, { token, body });
}

/** The whole audit log through the API, newest first, page by page. */
async function wholeAudit(
  server: TestServer,
  token = server.adminToken ?? '',
  query = '',
): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let cursor: string | null = null;
  do {
    const after: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const res: ApiResponse<AuditPage> = await as<AuditPage>(
      server,
      token,
      'GET',
      `/api/admin/audit?limit=3${query}${after}`,
    );
    expect(res.status).toBe(200);
    entries.push(...res.body.entries);
    cursor = res.body.nextCursor;
  } while (cursor !== null);
  return entries;
}

/** `npm run operator-key -- …` against the test server's data folder. */
async function operatorKeyCommand(
  server: TestServer,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'apps/server/src/cli/operator-key.ts', ...args],
      { cwd: ROOT, env: { ...process.env, DATA_DIR: server.dataDir }, timeout: 30_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('the operator token', () => {
  it('opens every operator route; a wrong, missing or look-alike token is 401 INVALID_TOKEN', async () => {
    const server = await saleServer();
    expect((await server.admin('GET', '/api/admin/rooms')).status).toBe(200);
    expect((await server.admin('GET', '/api/admin/audit')).status).toBe(200);
    for (const token of [
      `${server.adminToken}x`,
      (server.adminToken ?? '').slice(0, -1),
      'wrong-token-of-some-length',
      `wrk_${'A'.repeat(43)}`,
    ]) {
      expectError(await as(server, token, 'GET', '/api/admin/rooms'), 401, 'INVALID_TOKEN');
      expectError(await as(server, token, 'GET', '/api/admin/audit'), 401, 'INVALID_TOKEN');
      expectError(
        await as(server, token, 'PATCH', '/api/admin/rooms/sale', { admitRatePerMinute: 5 }),
        401,
        'INVALID_TOKEN',
      );
    }
    expectError(await server.request('GET', '/api/admin/orders'), 401, 'INVALID_TOKEN');
    expect((await server.admin<RoomSettings>('GET', '/api/admin/rooms/sale')).body.admitRatePerMinute).toBe(
      0,
    );
  });
});

describe('operator keys', () => {
  it('a read key reads rooms, stats, products, orders and the audit log', async () => {
    const server = await saleServer();
    const [buyer] = await admittedBuyers(server, 'sale', 1);
    const order = (await placeOrder(server, buyer!, [{ productId: 'tee', quantity: 1 }]))
      .body as OrderResponse;
    const { key } = await newKey(server, 'read');

    for (const path of [
      '/api/admin/rooms',
      '/api/admin/rooms/sale',
      '/api/admin/rooms/sale/stats',
      '/api/admin/rooms/sale/products',
      '/api/admin/orders?roomId=sale',
      '/api/admin/audit',
      `/api/orders/${order.id}`,
    ]) {
      expect((await as(server, key, 'GET', path)).status, path).toBe(200);
    }
    const orders = await as<{ orders: OrderResponse[] }>(server, key, 'GET', '/api/admin/orders');
    expect(orders.body.orders.map((o) => o.id)).toEqual([order.id]);
  });

  it('a read key gets 403 FORBIDDEN on every change, even a malformed one, and nothing changes', async () => {
    const server = await saleServer();
    const [buyer, waiting] = await admittedBuyers(server, 'sale', 2);
    await server.join('sale');
    const order = (await placeOrder(server, buyer!, [{ productId: 'tee', quantity: 1 }]))
      .body as OrderResponse;
    const { key } = await newKey(server, 'read');
    const before = {
      rooms: (await server.admin('GET', '/api/admin/rooms')).body,
      stats: await server.stats('sale'),
      products: (await server.admin('GET', '/api/admin/rooms/sale/products')).body,
      audit: await wholeAudit(server),
    };

    const changes: [string, string, unknown][] = [
      ['POST', '/api/admin/rooms', { id: 'other', name: 'Other' }],
      ['PATCH', '/api/admin/rooms/sale', { status: 'closed', admitRatePerMinute: 600 }],
      ['PATCH', '/api/admin/rooms/sale', { notASetting: true }],
      ['POST', '/api/admin/rooms/sale/admit', { count: 1 }],
      ['PUT', '/api/admin/rooms/sale/products', { products: [] }],
      ['DELETE', `/api/admin/orders/${order.id}/customer`, undefined],
      ['POST', '/api/admin/customers/erase', { email: customer(0).email }],
    ];
    for (const [method, path, body] of changes) {
      expectError(await as(server, key, method, path, body), 403, 'FORBIDDEN');
    }

    expect((await server.admin('GET', '/api/admin/rooms')).body).toEqual(before.rooms);
    expect(await server.stats('sale')).toEqual(before.stats);
    expect((await server.admin('GET', '/api/admin/rooms/sale/products')).body).toEqual(before.products);
    expect((await server.admin<OrderResponse>('GET', `/api/orders/${order.id}`)).body.customer).toEqual(
      customer(0),
    );
    expect(await wholeAudit(server)).toEqual(before.audit);
    // The other admitted buyer still holds an admission, untouched.
    expect((await server.status('sale', waiting!.queueToken)).state).toBe('admitted');
  });

  it('a write key changes rooms, products and orders, and the audit log names it', async () => {
    const server = await saleServer();
    const [buyer] = await admittedBuyers(server, 'sale', 1);
    const order = (await placeOrder(server, buyer!, [{ productId: 'tee', quantity: 1 }]))
      .body as OrderResponse;
    await server.join('sale');
    const made = await newKey(server, 'write', 'ops laptop');

    expect(
      (await as(server, made.key, 'POST', '/api/admin/rooms', { id: 'other', name: 'Other' })).status,
    ).toBe(201);
    const patched = await as<RoomSettings>(server, made.key, 'PATCH', '/api/admin/rooms/sale', {
      admitRatePerMinute: 120,
    });
    expect(patched.body.admitRatePerMinute).toBe(120);
    expect(
      (await as<{ admitted: number }>(server, made.key, 'POST', '/api/admin/rooms/sale/admit', { count: 5 }))
        .body,
    ).toEqual({ admitted: 1 });
    expect(
      (
        await as(server, made.key, 'PUT', '/api/admin/rooms/sale/products', {
          products: PRODUCTS.slice(0, 1),
        })
      ).status,
    ).toBe(200);
    expect((await as(server, made.key, 'DELETE', `/api/admin/orders/${order.id}/customer`)).body).toEqual({
      erased: 1,
    });

    const actor = `key:${made.id}:ops laptop`;
    const audit = await wholeAudit(server, made.key);
    expect(audit.filter((e) => e.actor === actor).map((e) => [e.action, e.roomId])).toEqual([
      ['order.customer.erase', 'sale'],
      ['products.put', 'sale'],
      ['room.admit', 'sale'],
      ['room.update', 'sale'],
      ['room.create', 'other'],
    ]);
  });

  it('a key revoked in the database while the server runs gets 401 on its very next call', async () => {
    const server = await saleServer();
    const reader = await newKey(server, 'read');
    const writer = await newKey(server, 'write');
    expect((await as(server, reader.key, 'GET', '/api/admin/rooms')).status).toBe(200);
    expect((await as(server, writer.key, 'GET', '/api/admin/rooms')).status).toBe(200);

    // Another connection to the database, as another instance or a script would have.
    const elsewhere = await openOrderStore({ dataDir: server.dataDir });
    try {
      const outcome = await elsewhere.control.revokeOperatorKey(writer.id, {
        actor: 'admin',
        now: Date.now(),
      });
      expect(outcome).toMatchObject({ found: true, revokedNow: true });
    } finally {
      await elsewhere.close();
    }

    expectError(await as(server, writer.key, 'GET', '/api/admin/rooms'), 401, 'INVALID_TOKEN');
    expectError(
      await as(server, writer.key, 'PATCH', '/api/admin/rooms/sale', { admitRatePerMinute: 5 }),
      401,
      'INVALID_TOKEN',
    );
    expectError(await as(server, writer.key, 'GET', '/api/admin/audit'), 401, 'INVALID_TOKEN');
    expect((await as(server, reader.key, 'GET', '/api/admin/rooms')).status).toBe(200);
    expect((await server.admin<RoomSettings>('GET', '/api/admin/rooms/sale')).body.admitRatePerMinute).toBe(
      0,
    );
  });
});

describe('the audit log', () => {
  it('shows who did what, when, where and under which request, newest first, a page at a time', async () => {
    const server = await startServer();
    const made = await newKey(server, 'write', 'ci');
    const t0 = server.clock.now;
    const send = (token: string, method: string, path: string, body: unknown, requestId: string) =>
      server.request(method, path, { token, body, headers: { 'x-request-id': requestId } });

    await send(server.adminToken ?? '', 'POST', '/api/admin/rooms', { id: 'a', name: 'A' }, 'req-1');
    server.clock.advance(1_000);
    await send(
      made.key,
      'PATCH',
      '/api/admin/rooms/a',
      { admitRatePerMinute: 120, status: 'paused' },
      'req-2',
    );
    server.clock.advance(1_000);
    await send(made.key, 'POST', '/api/admin/rooms', { id: 'b', name: 'B' }, 'req-3');
    server.clock.advance(1_000);
    await send(server.adminToken ?? '', 'POST', '/api/admin/rooms/a/admit', { count: 3 }, 'req-4');
    // Refusals and reads are not changes: no record.
    await send(server.adminToken ?? '', 'POST', '/api/admin/rooms', { id: 'a', name: 'Again' }, 'req-5');
    await send(server.adminToken ?? '', 'PATCH', '/api/admin/rooms/nowhere', { status: 'open' }, 'req-6');
    await send(server.adminToken ?? '', 'GET', '/api/admin/rooms', undefined, 'req-7');

    const first = await server.admin<AuditPage>('GET', '/api/admin/audit?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.entries.map((e) => e.requestId)).toEqual(['req-4', 'req-3']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await server.admin<AuditPage>(
      'GET',
      `/api/admin/audit?limit=2&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`,
    );
    expect(second.body.entries.map((e) => e.requestId)).toEqual(['req-2', 'req-1']);
    const third = await server.admin<AuditPage>(
      'GET',
      `/api/admin/audit?limit=2&cursor=${encodeURIComponent(second.body.nextCursor ?? '')}`,
    );
    // The oldest record: the key's creation by the command.
    expect(third.body).toEqual({
      entries: [
        expect.objectContaining({ actor: 'command', action: 'operator-key.create', requestId: null }),
      ],
      nextCursor: null,
    });

    const iso = (ms: number) => new Date(ms).toISOString();
    const actor = `key:${made.id}:ci`;
    expect([...first.body.entries, ...second.body.entries]).toEqual([
      {
        id: expect.any(Number),
        at: iso(t0 + 3_000),
        actor: 'admin',
        action: 'room.admit',
        roomId: 'a',
        details: { requested: 3, admitted: 0 },
        requestId: 'req-4',
      },
      {
        id: expect.any(Number),
        at: iso(t0 + 2_000),
        actor,
        action: 'room.create',
        roomId: 'b',
        details: { settings: { id: 'b', name: 'B' } },
        requestId: 'req-3',
      },
      {
        id: expect.any(Number),
        at: iso(t0 + 1_000),
        actor,
        action: 'room.update',
        roomId: 'a',
        details: { changed: { admitRatePerMinute: 120, status: 'paused' } },
        requestId: 'req-2',
      },
      {
        id: expect.any(Number),
        at: iso(t0),
        actor: 'admin',
        action: 'room.create',
        roomId: 'a',
        details: { settings: { id: 'a', name: 'A' } },
        requestId: 'req-1',
      },
    ]);

    const roomA = await server.admin<AuditPage>('GET', '/api/admin/audit?roomId=a');
    expect(roomA.body.entries.map((e) => e.requestId)).toEqual(['req-4', 'req-2', 'req-1']);
    expectError(await server.admin('GET', '/api/admin/audit?cursor=garbage'), 400, 'INVALID_REQUEST');
    expectError(await server.admin('GET', '/api/admin/audit?limit=0'), 400, 'INVALID_REQUEST');
    expectError(await server.admin('GET', '/api/admin/audit?limit=501'), 400, 'INVALID_REQUEST');
    expectError(await server.admin('GET', '/api/admin/audit?roomId=NOT%20A%20ROOM'), 400, 'INVALID_REQUEST');
  });

  it('is described in the OpenAPI document, with its query and its entries', async () => {
    const server = await startServer();
    const doc = (
      await server.request<{ paths: Record<string, Record<string, Record<string, unknown>>> }>(
        'GET',
        '/openapi.json',
      )
    ).body;
    const operation = doc.paths['/api/admin/audit']?.get;
    expect(operation).toMatchObject({ security: [{ operator: [] }], tags: ['operator'] });
    expect(JSON.stringify(operation?.parameters)).toContain('cursor');
    expect(JSON.stringify(operation?.responses)).toContain('requestId');
  });

  it("never holds a customer's details or a token, only a summary of each change", async () => {
    const server = await saleServer();
    const buyers = await admittedBuyers(server, 'sale', 2);
    const placed: OrderResponse[] = [];
    for (const buyer of buyers) {
      placed.push(
        (await placeOrder(server, buyer, [{ productId: 'cap', quantity: 1 }])).body as OrderResponse,
      );
    }
    const writer = await newKey(server, 'write');
    const reader = await newKey(server, 'read');
    expect(
      (await as(server, writer.key, 'DELETE', `/api/admin/orders/${placed[0]!.id}/customer`)).status,
    ).toBe(200);
    expect(
      (await as(server, writer.key, 'POST', '/api/admin/customers/erase', { email: customer(1).email })).body,
    ).toEqual({ erased: 1 });
    await as(server, reader.key, 'POST', '/api/admin/customers/erase', { email: customer(0).email }); // 403

    const entries = await wholeAudit(server, reader.key);
    expect(entries.slice(0, 2).map((e) => [e.action, e.roomId, e.details])).toEqual([
      ['customer.erase', null, { orders: 1 }],
      ['order.customer.erase', 'sale', { orderId: placed[0]!.id, erased: 1 }],
    ]);
    expect(entries.find((e) => e.action === 'products.put')?.details).toEqual({
      count: 2,
      products: [
        { id: 'tee', priceCents: 2500, currency: 'EUR', stock: 10 },
        { id: 'cap', priceCents: 1800, currency: 'EUR', stock: 5 },
      ],
    });

    // Read straight from the database, too: what the API shows is all there is.
    const store = await openOrderStore({ dataDir: server.dataDir });
    const stored = JSON.stringify(await store.control.listAudit({ limit: 500 }));
    await store.close();
    const secrets = [
      server.adminToken ?? '',
      writer.key,
      writer.key.slice(4),
      reader.key.slice(4),
      ...buyers.flatMap((b) => [b.queueToken, b.admissionToken]),
    ];
    const personal = [0, 1].flatMap((i) => Object.values(customer(i)));
    for (const text of [JSON.stringify(entries), stored]) {
      for (const value of [...secrets, ...personal]) expect(text).not.toContain(value);
      expect(text).not.toMatch(/@example\.org/i);
    }
  });
});

// Each run of the command starts a Node process with tsx: seconds each on a busy machine.
describe('the operator-key command', { timeout: 90_000 }, () => {
  it('creates, lists and revokes keys while the server runs, each step in the audit log', async () => {
    const server = await saleServer();

    const created = await operatorKeyCommand(server, 'create', '--name', 'night shift', '--scope', 'write');
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const id = /operator key (ok_[a-z0-9]{10}) "night shift" \(write\)/.exec(created.stdout)?.[1] ?? '';
    const key = /^(wrk_[A-Za-z0-9_-]{43})$/m.exec(created.stdout)?.[1] ?? '';
    expect(id).not.toBe('');
    expect(key).not.toBe('');

    expect((await as(server, key, 'PATCH', '/api/admin/rooms/sale', { admitRatePerMinute: 30 })).status).toBe(
      200,
    );

    const listed = await operatorKeyCommand(server, 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^id\s+name\s+scope\s+created\s+revoked\s+last used\n/);
    const row = listed.stdout.split('\n').find((line) => line.startsWith(id)) ?? '';
    // Not revoked ('-'), used just now (a time).
    expect(row).toMatch(
      new RegExp(
        `^${id}\\s+night shift\\s+write\\s+\\d{4}-\\d\\d-\\d\\dT\\S+\\s+-\\s+\\d{4}-\\d\\d-\\d\\dT\\S+$`,
      ),
    );
    expect(listed.stdout).not.toContain(key);
    expect(listed.stdout).not.toContain(key.slice(4));

    const revoked = await operatorKeyCommand(server, 'revoke', id);
    expect(revoked).toMatchObject({ code: 0, stderr: '' });
    expect(revoked.stdout).toContain(`Revoked operator key ${id}`);
    expectError(await as(server, key, 'GET', '/api/admin/rooms'), 401, 'INVALID_TOKEN');
    expect((await operatorKeyCommand(server, 'revoke', id)).stdout).toContain('was already revoked');

    const afterRevoke = await operatorKeyCommand(server, 'list');
    expect(afterRevoke.stdout.split('\n').find((line) => line.startsWith(id))).toMatch(
      /\s+write\s+\S+\s+\d{4}-\d\d-\d\dT\S+\s+\S+$/,
    );

    const audit = await wholeAudit(server);
    expect(audit.slice(0, 3).map((e) => [e.actor, e.action, e.details])).toEqual([
      ['command', 'operator-key.revoke', { keyId: id, name: 'night shift', scope: 'write' }],
      [`key:${id}:night shift`, 'room.update', { changed: { admitRatePerMinute: 30 } }],
      ['command', 'operator-key.create', { keyId: id, name: 'night shift', scope: 'write' }],
    ]);
    expect(JSON.stringify(audit)).not.toContain(key.slice(4));
  });

  it('refuses a command it does not understand, a bad scope and an unknown key, with a clear line', async () => {
    const server = await startServer();
    const cases: [string[], number, RegExp][] = [
      [[], 2, /a command is required/],
      [['create', '--name', 'x', '--scope', 'admin'], 2, /--scope must be read or write/],
      [['revoke', 'ok_nosuchkey0'], 1, /no operator key ok_nosuchkey0/],
      [['create', '--name', ' ', '--scope', 'read'], 1, /name must be 1 to 100 printable characters/],
    ];
    const results = await Promise.all(cases.map(([args]) => operatorKeyCommand(server, ...args)));
    for (const [n, [args, code, message]] of cases.entries()) {
      expect(results[n], args.join(' ')).toMatchObject({ code, stdout: '' });
      expect(results[n]?.stderr, args.join(' ')).toMatch(message);
    }
    expect(await server.app.waitroom.control.listOperatorKeys()).toEqual([]);
  });
});
