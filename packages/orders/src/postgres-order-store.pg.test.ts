import * as vitest from 'vitest';
import { openOrderStore } from './open.js';
import { closedPort, postgresScratch, requirePostgres, startSilentServer } from './testing/databases.js';
import { runOrderStoreSuite } from './testing/order-store-suite.js';

const available = await requirePostgres();
const silent = await startSilentServer();

vitest.afterAll(async () => {
  await silent.close();
});

vitest.describe.skipIf(!available)('the PostgreSQL order store', () => {
  runOrderStoreSuite(
    vitest,
    () => Promise.reject(new Error('each test opens its stores in a schema of its own')),
    {
      // Each test in a schema of its own, dropped after it.
      databasePerTest: async () => {
        const scratch = postgresScratch();
        return {
          makeStore: () =>
            openOrderStore({ databaseUrl: scratch.url, dataDir: '.', pgSchema: scratch.pgSchema }),
          drop: () => scratch.drop(),
        };
      },
      // Three instances share the database, as three servers would.
      instances: 3,
      unreachable: {
        'nothing listening on the port': async () =>
          openOrderStore({
            databaseUrl: `postgres://postgres@127.0.0.1:${await closedPort()}/postgres`,
            dataDir: '.',
          }),
        'a server that never answers': async () =>
          openOrderStore({
            databaseUrl: `postgres://postgres@127.0.0.1:${silent.port}/postgres`,
            dataDir: '.',
            connectTimeoutMs: 1_000,
          }),
      },
    },
  );
});
