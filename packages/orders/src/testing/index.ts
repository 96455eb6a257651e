// Helpers for tests that need a database; not part of the package's public build.
export {
  closedPort,
  mysqlIsAvailable,
  mysqlScratch,
  mysqlUrl,
  postgresIsAvailable,
  postgresScratch,
  postgresUrl,
  requireMysql,
  requirePostgres,
  type Scratch,
  type SilentServer,
  startSilentServer,
  uniqueName,
} from './databases.js';
export { runOrderStoreSuite } from './order-store-suite.js';
export { allOrders } from './race-suite.js';
export {
  CUSTOMER,
  type MakeOrderStore,
  type OrderStoreSuiteOptions,
  sampleProducts,
  type TestApi,
} from './suite-context.js';
