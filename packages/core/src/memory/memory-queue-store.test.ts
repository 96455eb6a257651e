import { runQueueStoreContract } from '@waitroom/store-contract';
import * as vitest from 'vitest';
import { MemoryQueueStore } from './memory-queue-store.js';

runQueueStoreContract(vitest, () => new MemoryQueueStore());
