import * as vitest from 'vitest';
import { openOrderStore } from './open.js';
import {
  closedPort,
  mysqlScratch,
  requireMysql,
  type Scratch,
  startSilentServer,
} from './testing/databases.js';
import { runOrderStoreSuite } from './testing/order-store-suite.js';

const available = await requireMysql();
// A database of its own for this run, dropped afterwards.
const scratch: Scratch | null = available ? await mysqlScratch() : null;
const silent = await startSilentServer();

const scratchUrl = (): string => {
  if (!scratch) throw new Error('no MySQL database for this run');
  return scratch.url;
};

vitest.afterAll(async () => {
  await silent.close();
  await scratch?.drop();
});

vitest.describe.skipIf(!available)('the MySQL / MariaDB order store', () => {
  runOrderStoreSuite(vitest, () => openOrderStore({ databaseUrl: scratchUrl(), dataDir: '.' }), {
    // Three instances share the database, as three servers would.
    instances: 3,
    unreachable: {
      'nothing listening on the port': async () =>
        openOrderStore({ databaseUrl: `mysql://root@127.0.0.1:${await closedPort()}/orders`, dataDir: '.' }),
      'a server that never answers': async () =>
        openOrderStore({
          databaseUrl: `mariadb://root@127.0.0.1:${silent.port}/orders`,
          dataDir: '.',
          connectTimeoutMs: 1_000,
        }),
    },
  });
});
