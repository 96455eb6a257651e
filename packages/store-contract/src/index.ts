import { admissionSuite } from './admission-suite.js';
import { completionSuite } from './completion-suite.js';
import { lineSuite } from './line-suite.js';
import { lotterySuite } from './lottery-suite.js';
import { modelSuite } from './model-suite.js';
import { rateSuite } from './rate-suite.js';
import { roomsSuite } from './rooms-suite.js';
import {
  createSuiteContext,
  type MakeStore,
  type QueueStoreContractOptions,
  type TestApi,
} from './suite-context.js';
import { sweepSuite } from './sweep-suite.js';

export { type Admission, busiestMinute, creditCap, perMinuteLimit } from './rate-suite.js';
export type { MakeStore, QueueStoreContractOptions, TestApi } from './suite-context.js';

/**
 * The one suite every queue store passes (the in-memory store, Redis, Redis Cluster), so that
 * the engine may rely on the QueueStore interface alone. Wire it with three lines:
 *
 *     import * as vitest from 'vitest';
 *     runQueueStoreContract(vitest, () => new MemoryQueueStore());
 *
 * Every test works in rooms of its own with random ids, so stores sharing one server can run
 * it side by side. Times are passed explicitly (the store never reads a clock), starting from
 * the real time so that a store using key expiry behaves as in production.
 */
export function runQueueStoreContract(
  test: TestApi,
  makeStore: MakeStore,
  options: QueueStoreContractOptions = {},
): void {
  test.describe('the queue store contract', () => {
    const ctx = createSuiteContext(test, makeStore, options);
    roomsSuite(ctx);
    lineSuite(ctx);
    admissionSuite(ctx);
    rateSuite(ctx);
    sweepSuite(ctx);
    lotterySuite(ctx);
    completionSuite(ctx);
    modelSuite(ctx);
  });
}
