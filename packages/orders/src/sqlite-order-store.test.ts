import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as vitest from 'vitest';
import { openOrderStore } from './open.js';
import { runOrderStoreSuite } from './testing/order-store-suite.js';
import { CUSTOMER, sampleProducts } from './testing/suite-context.js';

// A folder of its own for each test, removed after the run.
const dirs: string[] = [];
const freshDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'waitroom-orders-'));
  dirs.push(dir);
  return dir;
};
vitest.afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

vitest.describe('the SQLite order store', () => {
  let dataDir = '';
  vitest.beforeEach(() => {
    dataDir = freshDir();
  });

  runOrderStoreSuite(vitest, () => openOrderStore({ dataDir }), {
    unreachable: {
      // DATA_DIR names a file: the database cannot be created there.
      'a data folder that cannot be made': async () => {
        const file = join(freshDir(), 'not-a-folder');
        writeFileSync(file, '');
        return openOrderStore({ dataDir: join(file, 'data') });
      },
    },
  });
});

vitest.describe('the SQLite file', () => {
  vitest.it('keeps a confirmed order for the next process, in WAL mode', async () => {
    const dataDir = freshDir();
    const first = await openOrderStore({ dataDir });
    await first.migrate();
    await first.putProducts('demo', sampleProducts(), Date.now());
    const placed = await first.placeOrder({
      orderId: 'ord_kept',
      roomId: 'demo',
      ticketId: 't1',
      idempotencyKey: 'k',
      requestHash: 'h',
      customer: CUSTOMER,
      items: [{ productId: 'cap', quantity: 1 }],
      now: Date.now(),
    });
    vitest.expect(placed.ok).toBe(true);

    // Another connection, as a restarted server would open, before the first one closes.
    const second = await openOrderStore({ dataDir });
    await second.migrate();
    vitest.expect(placed.ok && (await second.getOrder('ord_kept'))).toEqual(placed.ok && placed.order);
    await Promise.all([first.close(), second.close()]);

    const raw = new Database(join(dataDir, 'orders.sqlite'), { readonly: true });
    vitest.expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });
});
