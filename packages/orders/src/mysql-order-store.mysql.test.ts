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
const silent = await startSilentServer();

vitest.afterAll(async () => {
  await silent.close();
});

vitest.describe.skipIf(!available)('the MySQL / MariaDB order store', () => {
  runOrderStoreSuite(
    vitest,
    () => Promise.reject(new Error('each test opens its stores in a database of its own')),
    {
      // Each test in a database of its own, dropped after it.
      databasePerTest: async () => {
        const scratch: Scratch = await mysqlScratch();
        return {
          makeStore: () => openOrderStore({ databaseUrl: scratch.url, dataDir: '.' }),
          drop: () => scratch.drop(),
        };
      },
      // Three instances share the database, as three servers would.
      instances: 3,
      unreachable: {
        'nothing listening on the port': async () =>
          openOrderStore({
            databaseUrl: `mysql://root@127.0.0.1:${await closedPort()}/orders`,
            dataDir: '.',
          }),
        'a server that never answers': async () =>
          openOrderStore({
            databaseUrl: `mariadb://root@127.0.0.1:${silent.port}/orders`,
            dataDir: '.',
            connectTimeoutMs: 1_000,
          }),
      },
    },
  );
});
