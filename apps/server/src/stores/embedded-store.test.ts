import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runQueueStoreContract } from '@waitroom/store-contract';
import * as vitest from 'vitest';
import { EmbeddedQueueStore } from './embedded-store.js';

// The embedded default is a product store of its own (memory plus journal): it meets the
// same contract as every other queue store.
const dirs: string[] = [];
vitest.afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

runQueueStoreContract(
  vitest,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'waitroom-embedded-'));
    dirs.push(dir);
    return EmbeddedQueueStore.open(dir, Date.now());
  },
  { closeAfterEach: true },
);
