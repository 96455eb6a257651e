import { afterAll, describe, expect, it } from 'vitest';
import { cleanUp, DAY_SECONDS, startServer, type TestServer } from './helper.js';
import { createTestDatabase, requireSqlServer, type TestDatabase } from './support/databases.js';
import { admittedBuyers, type OrderResponse, placeOrder } from './support/orders.js';

const BUYERS = 2_000;
const UNITS = 500;
const IN_FLIGHT = 100;

const available = {
  sqlite: true,
  postgres: await requireSqlServer('postgres'),
  mysql: await requireSqlServer('mysql'),
};
const databases: TestDatabase[] = [];

afterAll(async () => {
  await cleanUp();
  for (const db of databases) await db.drop();
});

/**
 * CONTRACT.md "What always holds" 4 and 5 under a crowd: 2,000 admitted buyers race for 500
 * units through the real HTTP server, each asking for one unit.
 */
async function race(server: TestServer): Promise<void> {
  await server.createRoom({
    id: 'drop',
    name: 'Drop',
    admitRatePerMinute: 0,
    heartbeatTimeoutSeconds: DAY_SECONDS,
  });
  const put = await server.admin('PUT', '/api/admin/rooms/drop/products', {
    products: [
      { id: 'sneaker', name: 'Sneaker', priceCents: 18_000, currency: 'EUR', stock: UNITS, maxPerOrder: 1 },
    ],
  });
  expect(put.status).toBe(200);
  const buyers = await admittedBuyers(server, 'drop', BUYERS);

  const answers: { status: number; body: unknown; ticketId: string }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < buyers.length) {
        const buyer = buyers[next++]!;
        const res = await placeOrder(server, buyer, [{ productId: 'sneaker', quantity: 1 }]);
        answers.push({ status: res.status, body: res.body, ticketId: buyer.ticketId });
      }
    }),
  );

  const confirmed = answers.filter((a) => a.status === 201);
  const soldOut = answers.filter(
    (a) => a.status === 409 && (a.body as { error: { code: string } }).error.code === 'SOLD_OUT',
  );
  expect(confirmed).toHaveLength(UNITS);
  expect(soldOut).toHaveLength(BUYERS - UNITS);

  const products = await server.admin<{ products: { available: number; sold: number }[] }>(
    'GET',
    '/api/admin/rooms/drop/products',
  );
  expect(products.body.products[0]).toMatchObject({ available: 0, sold: UNITS });

  // Every 201 is a row and every row a 201; no buyer has two.
  const rows: OrderResponse[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: { orders: OrderResponse[]; nextCursor: string | null } } = await server.admin(
      'GET',
      `/api/admin/orders?roomId=drop&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    rows.push(...page.body.orders);
    cursor = page.body.nextCursor;
  } while (cursor);
  expect(new Set(rows.map((r) => r.id))).toEqual(new Set(confirmed.map((a) => (a.body as OrderResponse).id)));
  expect(new Set(rows.map((r) => r.ticketId)).size).toBe(rows.length);
  expect(rows.reduce((n, r) => n + r.items.reduce((m, i) => m + i.quantity, 0), 0)).toBe(UNITS);
  const completed = (await server.stats('drop')).completedTotal;
  expect(completed).toBe(UNITS);
}

describe('2,000 buyers, 500 units, through the HTTP server', () => {
  it('on SQLite (the embedded default): exactly 500 sold, stock 0, one order per buyer', async () => {
    await race(await startServer());
  }, 120_000);

  it.skipIf(!available.postgres)(
    'on PostgreSQL: the same',
    async () => {
      const db = await createTestDatabase('postgres');
      databases.push(db);
      await race(await startServer({ env: { DATABASE_URL: db.url } }));
    },
    120_000,
  );

  it.skipIf(!available.mysql)(
    'on MariaDB: the same',
    async () => {
      const db = await createTestDatabase('mysql');
      databases.push(db);
      await race(await startServer({ env: { DATABASE_URL: db.url } }));
    },
    120_000,
  );
});
