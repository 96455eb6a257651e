import { connect } from 'node:net';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRedisServerBinary } from './redis-available.js';
import { type RedisClusterHandle, startRedisCluster } from './redis-cluster.js';

// Skips without redis-server, except in CI, where this throws and fails the file.
const available = requireRedisServerBinary();

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function portIsOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe.skipIf(!available)('startRedisCluster', () => {
  let handle: RedisClusterHandle;
  let cluster: Cluster;

  beforeAll(async () => {
    handle = await startRedisCluster();
    cluster = new Cluster(handle.nodes);
  }, 60_000);

  afterAll(async () => {
    // Normally already done by the last test; both calls are safe to repeat.
    cluster?.disconnect();
    await handle?.stop();
  });

  it('describes three masters on 127.0.0.1 and lists them in the url', () => {
    expect(handle.nodes).toHaveLength(3);
    expect(new Set(handle.nodes.map((node) => node.port)).size).toBe(3);
    for (const node of handle.nodes) expect(node.host).toBe('127.0.0.1');
    expect(handle.url).toBe(handle.nodes.map((node) => `redis://127.0.0.1:${node.port}`).join(','));
  });

  it('stores keys spread over the slots of every master', async () => {
    const keys = Array.from({ length: 100 }, (_, i) => `key-${i}`);
    await Promise.all(keys.map((key, i) => cluster.set(key, `value-${i}`)));
    expect(await Promise.all(keys.map((key) => cluster.get(key)))).toEqual(keys.map((_, i) => `value-${i}`));

    // Each master holds some of the keys, and together they hold all of them.
    const sizes = await Promise.all(cluster.nodes('master').map((node) => node.dbsize()));
    expect(sizes).toHaveLength(3);
    for (const size of sizes) expect(size).toBeGreaterThan(0);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(keys.length);
  });

  it('runs one script over keys that share a hash tag', async () => {
    const script = `
      redis.call('SET', KEYS[1], ARGV[1])
      redis.call('SET', KEYS[2], ARGV[2])
      return { redis.call('GET', KEYS[1]), redis.call('GET', KEYS[2]) }`;
    const reply = await cluster.eval(script, 2, '{room-1}:a', '{room-1}:b', 'first', 'second');
    expect(reply).toEqual(['first', 'second']);
    expect(await cluster.get('{room-1}:b')).toBe('second');
  });

  it('rejects one script over keys in different slots', async () => {
    const script = "return redis.call('SET', KEYS[1], 'x') and redis.call('SET', KEYS[2], 'y')";
    // The two tags hash to different slots, so Redis refuses the script.
    await expect(cluster.eval(script, 2, '{room-1}:a', '{room-2}:a')).rejects.toThrow(/CROSSSLOT|slot/i);
  });

  it('stops every node and frees its ports', async () => {
    await cluster.quit();
    await handle.stop();
    for (const { port } of handle.nodes) {
      expect(await portIsOpen(port)).toBe(false);
      expect(await portIsOpen(port + 10_000)).toBe(false);
    }
  });
});
