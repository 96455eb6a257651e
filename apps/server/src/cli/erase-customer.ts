/**
 * Erases a customer's contact details from the orders, keeping each order's figures:
 *
 *   npm run erase-customer -- --email someone@example.com
 *   npm run erase-customer -- --order ord_…
 *
 * It reads DATABASE_URL and DATA_DIR like the server, and prints how many orders it changed
 * (never the details themselves).
 */
import { parseArgs } from 'node:util';
import { openOrderStore } from '@waitroom/orders';
import { loadSettings, SettingsError } from '../settings.js';

const USAGE = 'usage: npm run erase-customer -- --email <address> | --order <order id>';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { email: { type: 'string' }, order: { type: 'string' } } });
  if ((values.email === undefined) === (values.order === undefined)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const settings = loadSettings(process.env);
  const store = await openOrderStore({ databaseUrl: settings.databaseUrl, dataDir: settings.dataDir });
  try {
    await store.migrate();
    const target = values.email !== undefined ? { email: values.email } : { orderId: values.order ?? '' };
    const erased = await store.eraseCustomer(target, Date.now());
    process.stdout.write(`Erased the customer's details from ${erased} order${erased === 1 ? '' : 's'}.\n`);
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message =
      error instanceof SettingsError
        ? error.message
        : `could not erase: ${(error as Error).message ?? error}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  },
);
