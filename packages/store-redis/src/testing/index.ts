// Helpers for tests that need Redis; not part of the store's public build.
export { deleteKeys } from './delete-keys.js';
export {
  findRedisExecutable,
  hasRedisServerBinary,
  redisIsAvailable,
  redisUrl,
  requireRedis,
  requireRedisServerBinary,
} from './redis-available.js';
export { type RedisClusterHandle, startRedisCluster } from './redis-cluster.js';
export { type RedisServerHandle, type RedisServerOptions, startRedisServer } from './redis-server.js';
