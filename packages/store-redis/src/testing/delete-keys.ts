import type { Cluster, Redis } from 'ioredis';

/** Deletes every key starting with `prefix`, on each master of a cluster or on one node. */
export async function deleteKeys(client: Redis | Cluster, prefix: string): Promise<number> {
  const nodes = 'nodes' in client && typeof client.nodes === 'function' ? client.nodes('master') : [client];
  let deleted = 0;
  for (const node of nodes as Redis[]) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      // One UNLINK per key: in a cluster the keys of one batch may sit in different slots.
      for (const key of keys) deleted += await node.unlink(key);
    } while (cursor !== '0');
  }
  return deleted;
}
