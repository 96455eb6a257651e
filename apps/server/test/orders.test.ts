import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, DAY_SECONDS, expectError, joinMany, startServer, type TestServer } from './helper.js';
import {
  admittedBuyers,
  type Buyer,
  customer,
  type OrderResponse,
  orderBody,
  placeOrder,
} from './support/orders.js';

afterEach(cleanUp);

const PRODUCTS = [
  { id: 'tee', name: 'Tour tee', priceCents: 2500, currency: 'EUR', stock: 10, maxPerOrder: 3 },
  { id: 'poster', name: 'Poster', description: 'Signed', priceCents: 1200, currency: 'EUR', stock: 1 },
  { id: 'cap', name: 'Cap', priceCents: 1800, currency: 'USD', stock: 5 },
];

/** A room with the products above and `n` admitted buyers. */
async function saleWith(
  n: number,
  room: Record<string, unknown> = {},
): Promise<{ server: TestServer; buyers: Buyer[] }> {
  const server = await startServer();
  await server.createRoom({
    id: 'sale',
    name: 'Sale',
    admitRatePerMinute: 0,
    heartbeatTimeoutSeconds: DAY_SECONDS,
    ...room,
  });
  const put = await server.admin('PUT', '/api/admin/rooms/sale/products', { products: PRODUCTS });
  expect(put.status).toBe(200);
  return { server, buyers: await admittedBuyers(server, 'sale', n) };
}

async function product(server: TestServer, id: string) {
  const res = await server.admin<{ products: { id: string; available: number; sold: number }[] }>(
    'GET',
    '/api/admin/rooms/sale/products',
  );
  return res.body.products.find((p) => p.id === id);
}

describe('products', () => {
  it('lists what is on sale with the units left, and hides withdrawn products', async () => {
    const { server } = await saleWith(0);
    const res = await server.request<{ products: Record<string, unknown>[] }>(
      'GET',
      '/api/rooms/sale/products',
    );
    expect(res.status).toBe(200);
    expect(res.body.products).toEqual([
      {
        id: 'tee',
        name: 'Tour tee',
        description: null,
        priceCents: 2500,
        currency: 'EUR',
        available: 10,
        maxPerOrder: 3,
      },
      {
        id: 'poster',
        name: 'Poster',
        description: 'Signed',
        priceCents: 1200,
        currency: 'EUR',
        available: 1,
        maxPerOrder: null,
      },
      {
        id: 'cap',
        name: 'Cap',
        description: null,
        priceCents: 1800,
        currency: 'USD',
        available: 5,
        maxPerOrder: null,
      },
    ]);
    await server.admin('PUT', '/api/admin/rooms/sale/products', { products: [{ ...PRODUCTS[0], stock: 4 }] });
    const after = await server.request<{ products: { id: string; available: number }[] }>(
      'GET',
      '/api/rooms/sale/products',
    );
    expect(after.body.products.map((p) => [p.id, p.available])).toEqual([['tee', 4]]);
  });

  it('refuses bad catalogues with 400 naming the field, unknown rooms with 404, strangers with 401', async () => {
    const { server } = await saleWith(0);
    const bad = [
      [{ ...PRODUCTS[0], currency: 'euro' }, 'currency'],
      [{ ...PRODUCTS[0], stock: -1 }, 'stock'],
      [{ ...PRODUCTS[0], priceCents: 12.5 }, 'priceCents'],
      [{ ...PRODUCTS[0], id: 'a b' }, 'id'],
    ] as const;
    for (const [p, field] of bad) {
      const res = await server.admin('PUT', '/api/admin/rooms/sale/products', { products: [p] });
      expect(expectError(res, 400, 'INVALID_REQUEST')).toContain(field);
    }
    const twice = await server.admin('PUT', '/api/admin/rooms/sale/products', {
      products: [PRODUCTS[0], PRODUCTS[0]],
    });
    expect(expectError(twice, 400, 'INVALID_REQUEST')).toContain('twice');
    expect((await product(server, 'tee'))?.available).toBe(10);
    expectError(await server.request('GET', '/api/rooms/nowhere/products'), 404, 'ROOM_NOT_FOUND');
    expectError(
      await server.admin('PUT', '/api/admin/rooms/nowhere/products', { products: [] }),
      404,
      'ROOM_NOT_FOUND',
    );
    expectError(
      await server.request('PUT', '/api/admin/rooms/sale/products', { body: { products: [] } }),
      401,
      'INVALID_TOKEN',
    );
  });
});

describe('placing an order', () => {
  it('confirms it with prices from the products, takes the stock and ends the admission', async () => {
    const { server, buyers } = await saleWith(1);
    const buyer = buyers[0]!;
    const res = await placeOrder(server, buyer, [
      { productId: 'tee', quantity: 2 },
      { productId: 'poster', quantity: 1 },
    ]);
    expect(res.status).toBe(201);
    const order = res.body as OrderResponse;
    expect(order).toMatchObject({
      roomId: 'sale',
      status: 'confirmed',
      customer: customer(0),
      items: [
        { productId: 'tee', quantity: 2, unitPriceCents: 2500 },
        { productId: 'poster', quantity: 1, unitPriceCents: 1200 },
      ],
      totalCents: 2 * 2500 + 1200,
      currency: 'EUR',
    });
    expect(order.id).toMatch(/^ord_/);
    expect(Date.parse(order.createdAt)).not.toBeNaN();
    expect(await product(server, 'tee')).toMatchObject({ available: 8, sold: 2 });
    expect(await product(server, 'poster')).toMatchObject({ available: 0, sold: 1 });
    expect((await server.status('sale', buyer.queueToken)).state).toBe('completed');
    expect(await server.stats('sale')).toMatchObject({ active: 0, completedTotal: 1 });
  });

  it('frees the place among the active at once, so the next shopper gets in on the next tick', async () => {
    const server = await startServer();
    await server.createRoom({
      id: 'sale',
      name: 'Sale',
      admitRatePerMinute: 6000,
      maxActive: 1,
      heartbeatTimeoutSeconds: DAY_SECONDS,
    });
    await server.admin('PUT', '/api/admin/rooms/sale/products', { products: PRODUCTS });
    const joined = await joinMany(server, 'sale', 2);
    const { engine } = server.app.waitroom;
    await engine.tick(); // the rate's credit starts counting
    server.clock.advance(1000);
    await engine.tick();
    const first = await server.status('sale', joined[0]!.queueToken);
    expect(first.state).toBe('admitted');
    server.clock.advance(1000);
    await engine.tick();
    expect((await server.status('sale', joined[1]!.queueToken)).state).toBe('waiting');
    const buyer = { ...joined[0]!, admissionToken: first.admissionToken!, index: 0 };
    expect((await placeOrder(server, buyer, [{ productId: 'tee', quantity: 1 }])).status).toBe(201);
    server.clock.advance(250);
    await engine.tick();
    expect((await server.status('sale', joined[1]!.queueToken)).state).toBe('admitted');
  });

  it('a replay of the same key and body returns the same order; another body or key is refused', async () => {
    const { server, buyers } = await saleWith(1);
    const buyer = buyers[0]!;
    const items = [{ productId: 'tee', quantity: 1 }];
    const first = await placeOrder(server, buyer, items, { key: 'key-1' });
    expect(first.status).toBe(201);
    const again = await placeOrder(server, buyer, items, { key: 'key-1' });
    expect(again.status).toBe(200);
    expect((again.body as OrderResponse).id).toBe((first.body as OrderResponse).id);
    expectError(
      await placeOrder(server, buyer, [{ productId: 'tee', quantity: 2 }], { key: 'key-1' }),
      409,
      'IDEMPOTENCY_CONFLICT',
    );
    expectError(await placeOrder(server, buyer, items, { key: 'key-2' }), 409, 'ADMISSION_USED');
    expect(await product(server, 'tee')).toMatchObject({ available: 9, sold: 1 });
  });

  it('the same key sent 50 times at once places one order, and every answer is that order', async () => {
    const { server, buyers } = await saleWith(1);
    const buyer = buyers[0]!;
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        placeOrder(server, buyer, [{ productId: 'tee', quantity: 1 }], { key: 'same' }),
      ),
    );
    const ids = new Set(answers.map((a) => (a.body as OrderResponse).id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.every((a) => a.status === 201 || a.status === 200)).toBe(true);
    expect(await product(server, 'tee')).toMatchObject({ available: 9, sold: 1 });
    const list = await server.admin<{ orders: OrderResponse[] }>('GET', '/api/admin/orders?roomId=sale');
    expect(list.body.orders).toHaveLength(1);
  });

  it('sells nothing when any line lacks stock (409 SOLD_OUT), and keeps the admission for another try', async () => {
    const { server, buyers } = await saleWith(2);
    const res = await placeOrder(server, buyers[0]!, [
      { productId: 'tee', quantity: 1 },
      { productId: 'poster', quantity: 2 },
    ]);
    expect(expectError(res, 409, 'SOLD_OUT')).toContain('poster');
    expect(await product(server, 'tee')).toMatchObject({ available: 10, sold: 0 });
    expect(await product(server, 'poster')).toMatchObject({ available: 1, sold: 0 });
    // Still admitted: the shopper can buy what is left.
    const retry = await placeOrder(server, buyers[0]!, [{ productId: 'poster', quantity: 1 }], {
      key: 'retry',
    });
    expect(retry.status).toBe(201);
    expectError(
      await placeOrder(server, buyers[1]!, [{ productId: 'poster', quantity: 1 }]),
      409,
      'SOLD_OUT',
    );
  });

  it('refuses a quantity above maxPerOrder (409 LIMIT_EXCEEDED) and mixed currencies or unknown products (400)', async () => {
    const { server, buyers } = await saleWith(1);
    const buyer = buyers[0]!;
    expectError(await placeOrder(server, buyer, [{ productId: 'tee', quantity: 4 }]), 409, 'LIMIT_EXCEEDED');
    expect(
      expectError(
        await placeOrder(server, buyer, [
          { productId: 'tee', quantity: 1 },
          { productId: 'cap', quantity: 1 },
        ]),
        400,
        'INVALID_REQUEST',
      ),
    ).toContain('currenc');
    expect(
      expectError(
        await placeOrder(server, buyer, [{ productId: 'ghost', quantity: 1 }]),
        400,
        'INVALID_REQUEST',
      ),
    ).toContain('items/0/productId');
    expect(
      expectError(
        await placeOrder(server, buyer, [
          { productId: 'tee', quantity: 1 },
          { productId: 'tee', quantity: 1 },
        ]),
        400,
        'INVALID_REQUEST',
      ),
    ).toContain('items/1/productId');
    expect(await product(server, 'tee')).toMatchObject({ available: 10, sold: 0 });
    expect((await placeOrder(server, buyer, [{ productId: 'tee', quantity: 3 }])).status).toBe(201);
  });

  it("checks the customer's details and the request on the server, naming the field, and sells nothing", async () => {
    const { server, buyers } = await saleWith(1);
    const buyer = buyers[0]!;
    const items = [{ productId: 'tee', quantity: 1 }];
    const cases: [Record<string, unknown>, string][] = [
      [{ ...customer(0), email: 'not-an-address' }, 'email'],
      [{ ...customer(0), phone: '06 12 34 56 78' }, 'phone'],
      [{ ...customer(0), phone: '+12' }, 'phone'],
      [{ ...customer(0), firstName: '' }, 'firstName'],
      [{ ...customer(0), lastName: '   ' }, 'lastName'],
    ];
    for (const [c, field] of cases) {
      const res = await server.request('POST', '/api/orders', {
        token: buyer.admissionToken,
        headers: { 'idempotency-key': `k-${field}` },
        body: { customer: c, items },
      });
      expect(expectError(res, 400, 'INVALID_REQUEST')).toContain(field);
    }
    const priced = await server.request('POST', '/api/orders', {
      token: buyer.admissionToken,
      headers: { 'idempotency-key': 'price' },
      body: { customer: customer(0), items: [{ productId: 'tee', quantity: 1, unitPriceCents: 1 }] },
    });
    expect(expectError(priced, 400, 'INVALID_REQUEST')).toContain('unitPriceCents');
    const noKey = await server.request('POST', '/api/orders', {
      token: buyer.admissionToken,
      body: orderBody(0, items),
    });
    expect(expectError(noKey, 400, 'INVALID_REQUEST')).toContain('idempotency-key');
    expect(await product(server, 'tee')).toMatchObject({ available: 10, sold: 0 });
    expect((await server.status('sale', buyer.queueToken)).state).toBe('admitted');
  });

  it('takes only a live admission token: not a queue token, a forged one, a waiting ticket or a spent admission', async () => {
    const { server, buyers } = await saleWith(1, { admissionTtlSeconds: 60 });
    const buyer = buyers[0]!;
    const items = [{ productId: 'tee', quantity: 1 }];
    expectError(
      await placeOrder(server, { ...buyer, admissionToken: buyer.queueToken }, items),
      401,
      'INVALID_TOKEN',
    );
    const [head, body] = buyer.admissionToken.split('.');
    expectError(
      await placeOrder(server, { ...buyer, admissionToken: `${head}.${body}.AAAA` }, items),
      401,
      'INVALID_TOKEN',
    );
    expectError(
      await server.request('POST', '/api/orders', {
        headers: { 'idempotency-key': 'k' },
        body: orderBody(0, items),
      }),
      401,
      'INVALID_TOKEN',
    );
    server.clock.advance(61_000);
    await server.app.waitroom.engine.tick();
    expectError(await placeOrder(server, buyer, items), 401, 'TOKEN_EXPIRED');
    expect(await product(server, 'tee')).toMatchObject({ available: 10, sold: 0 });
  });
});

describe('reading orders', () => {
  it('an order reads back with the admission token that placed it or the operator token, not another buyer', async () => {
    const { server, buyers } = await saleWith(2);
    const placed = (await placeOrder(server, buyers[0]!, [{ productId: 'tee', quantity: 1 }]))
      .body as OrderResponse;
    const mine = await server.request<OrderResponse>('GET', `/api/orders/${placed.id}`, {
      token: buyers[0]!.admissionToken,
    });
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual(placed);
    expect((await server.admin<OrderResponse>('GET', `/api/orders/${placed.id}`)).body).toEqual(placed);
    expectError(
      await server.request('GET', `/api/orders/${placed.id}`, { token: buyers[1]!.admissionToken }),
      404,
      'NOT_FOUND',
    );
    expectError(await server.admin('GET', '/api/orders/ord_nothing'), 404, 'NOT_FOUND');
    expectError(await server.request('GET', `/api/orders/${placed.id}`), 401, 'INVALID_TOKEN');
  });

  it('the operator pages through the orders, newest first, each exactly once', async () => {
    const { server, buyers } = await saleWith(7);
    const placed: string[] = [];
    for (const buyer of buyers) {
      placed.push(
        ((await placeOrder(server, buyer, [{ productId: 'tee', quantity: 1 }])).body as OrderResponse).id,
      );
      server.clock.advance(10);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/api/admin/orders?roomId=sale&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await server.admin<{ orders: OrderResponse[]; nextCursor: string | null }>('GET', query);
      expect(page.status).toBe(200);
      seen.push(...page.body.orders.map((o) => o.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual([...placed].reverse());
    expect(pages).toBe(3);
    expect(
      (await server.admin<{ orders: unknown[] }>('GET', '/api/admin/orders?roomId=elsewhere')).body.orders,
    ).toEqual([]);
    expectError(await server.admin('GET', '/api/admin/orders?limit=0'), 400, 'INVALID_REQUEST');
    expectError(await server.admin('GET', '/api/admin/orders?cursor=%00garbage'), 400, 'INVALID_REQUEST');
  });
});

describe('personal data', () => {
  it("the operator erases a customer's details; the order's figures stay", async () => {
    const { server, buyers } = await saleWith(3);
    const orders: OrderResponse[] = [];
    for (const buyer of buyers)
      orders.push(
        (await placeOrder(server, buyer, [{ productId: 'tee', quantity: 1 }])).body as OrderResponse,
      );
    const one = await server.admin<{ erased: number }>(
      'DELETE',
      `/api/admin/orders/${orders[0]!.id}/customer`,
    );
    expect(one.body).toEqual({ erased: 1 });
    const erased = (await server.admin<OrderResponse>('GET', `/api/orders/${orders[0]!.id}`)).body;
    expect(erased).toMatchObject({
      customer: null,
      totalCents: orders[0]!.totalCents,
      items: orders[0]!.items,
    });
    expect(Date.parse(erased.erasedAt ?? '')).not.toBeNaN();
    const byEmail = await server.admin<{ erased: number }>('POST', '/api/admin/customers/erase', {
      email: customer(1).email,
    });
    expect(byEmail.body).toEqual({ erased: 1 });
    expect((await server.admin<OrderResponse>('GET', `/api/orders/${orders[2]!.id}`)).body.customer).toEqual(
      customer(2),
    );
    expect(await product(server, 'tee')).toMatchObject({ sold: 3 });
  });

  it('the erase-customer command erases by e-mail address, straight in the database', async () => {
    const { server, buyers } = await saleWith(2);
    const orders: OrderResponse[] = [];
    for (const buyer of buyers)
      orders.push(
        (await placeOrder(server, buyer, [{ productId: 'tee', quantity: 1 }])).body as OrderResponse,
      );
    await server.close(); // one SQLite writer at a time
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        'apps/server/src/cli/erase-customer.ts',
        '--email',
        customer(0).email.toUpperCase(),
      ],
      {
        env: { ...process.env, DATA_DIR: server.dataDir },
        cwd: new URL('../../..', import.meta.url).pathname,
      },
    );
    expect(stdout).toContain('from 1 order');
    expect(stdout).not.toContain(customer(0).email);
    const again = await startServer({ dataDir: server.dataDir, adminToken: server.adminToken ?? null });
    expect((await again.admin<OrderResponse>('GET', `/api/orders/${orders[0]!.id}`)).body).toMatchObject({
      customer: null,
      totalCents: 2500,
    });
    expect((await again.admin<OrderResponse>('GET', `/api/orders/${orders[1]!.id}`)).body.customer).toEqual(
      customer(1),
    );
  });

  it("never writes a customer's details to the log", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const server = await startServer({ logger: { level: 'trace', stream: sink } });
    await server.createRoom({
      id: 'sale',
      name: 'Sale',
      admitRatePerMinute: 0,
      heartbeatTimeoutSeconds: DAY_SECONDS,
    });
    await server.admin('PUT', '/api/admin/rooms/sale/products', { products: PRODUCTS });
    const [buyer] = await admittedBuyers(server, 'sale', 1);
    const items = [{ productId: 'tee', quantity: 1 }];
    await placeOrder(server, buyer!, [{ productId: 'tee', quantity: 9 }]); // refused
    expect((await placeOrder(server, buyer!, items)).status).toBe(201);
    await server.admin('POST', '/api/admin/customers/erase', { email: customer(0).email });
    const log = lines.join('');
    expect(log).toContain('order confirmed');
    for (const value of Object.values(customer(0))) expect(log).not.toContain(value);
  });
});

describe('when the order database fails', () => {
  it('answers 503 UNAVAILABLE, sells nothing, and /readyz says so', async () => {
    const { server, buyers } = await saleWith(1);
    expect((await server.request('GET', '/readyz')).body).toMatchObject({ orderStore: expect.any(String) });
    await server.app.waitroom.orders.close();
    expectError(
      await placeOrder(server, buyers[0]!, [{ productId: 'tee', quantity: 1 }]),
      503,
      'UNAVAILABLE',
    );
    expectError(await server.request('GET', '/api/rooms/sale/products'), 503, 'UNAVAILABLE');
    expectError(await server.request('GET', '/readyz'), 503, 'UNAVAILABLE');
    expect((await server.status('sale', buyers[0]!.queueToken)).state).toBe('admitted');
  });
});

describe('the demo room', () => {
  it('comes with products on a first start', async () => {
    const server = await startServer({ env: { DEMO_ROOM: 'true' } });
    const res = await server.request<{ products: { available: number }[] }>(
      'GET',
      '/api/rooms/demo/products',
    );
    expect(res.status).toBe(200);
    expect(res.body.products.length).toBeGreaterThan(0);
    expect(res.body.products.every((p) => p.available > 0)).toBe(true);
  });
});
