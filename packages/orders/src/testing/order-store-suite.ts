import { admissionSuite } from './admission-suite.js';
import { catalogueSuite } from './catalogue-suite.js';
import { lifecycleSuite } from './lifecycle-suite.js';
import { listingSuite } from './listing-suite.js';
import { operatorAccessSuite } from './operator-access-suite.js';
import { placingSuite } from './placing-suite.js';
import { raceSuite } from './race-suite.js';
import {
  createSuiteContext,
  type MakeOrderStore,
  type OrderStoreSuiteOptions,
  type TestApi,
} from './suite-context.js';

/**
 * The one suite every order store passes, SQLite, PostgreSQL and MySQL alike, so that the
 * server may rely on the OrderStore interface alone. Wire it with three lines:
 *
 *     import * as vitest from 'vitest';
 *     runOrderStoreSuite(vitest, () => openOrderStore({ dataDir: freshDir() }));
 *
 * `makeStore` gives a store for each test (the suite migrates it and closes it). Tests use rooms
 * of their own with random ids, so several may share one database; only the listing of every
 * room's orders expects the newest orders of the database to be its own.
 */
export function runOrderStoreSuite(
  test: TestApi,
  makeStore: MakeOrderStore,
  options: OrderStoreSuiteOptions = {},
): void {
  test.describe('the order store', () => {
    const ctx = createSuiteContext(test, makeStore, options);
    catalogueSuite(ctx);
    placingSuite(ctx);
    admissionSuite(ctx);
    raceSuite(ctx);
    listingSuite(ctx);
    operatorAccessSuite(ctx);
    lifecycleSuite(ctx);
  });
}
