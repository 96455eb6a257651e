export { type ConnectOptions, connectRedis } from './connect.js';
export {
  isOutage,
  MAX_TICKET_ID_BYTES,
  type RedisClient,
  RedisQueueStore,
  type RedisQueueStoreOptions,
} from './redis-queue-store.js';
export { batchPerTurn } from './turn-batch.js';
