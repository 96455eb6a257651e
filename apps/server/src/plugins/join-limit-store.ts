import { batchPerTurn, type RedisClient } from '@waitroom/store-redis';
import type { JoinLimitStore } from './join-limit.js';

/**
 * Counts hits on any number of keys in one call: adds `ARGV[k + 1]` hits to `KEYS[k]`,
 * starts the key's window (ARGV[1] ms) when it has none, and answers, key after key, the
 * count after the hits and the window's time left.
 */
const COUNT_HITS = `
local window = tonumber(ARGV[1])
local out = {}
for k = 1, #KEYS do
  local current = redis.call('INCRBY', KEYS[k], tonumber(ARGV[k + 1]))
  local ttl = redis.call('PTTL', KEYS[k])
  if ttl < 0 then
    redis.call('PEXPIRE', KEYS[k], window)
    ttl = window
  end
  out[#out + 1] = current
  out[#out + 1] = ttl
end
return out
`;

type CountingClient = RedisClient & {
  waitroomCountHits?: (keyCount: number, ...keysThenArgs: (string | number)[]) => Promise<number[]>;
};

/** The most addresses one call counts. */
const MAX_BATCH = 1000;

/**
 * The join limit's store on Redis (a store of @fastify/rate-limit's shape, its `incr`), the
 * counts shared by every instance, like the plugin's own Redis store, but every hit made in
 * the same turn of the event loop, whatever its address, is counted by one script call: a
 * crowd of joins from many addresses (a sale opening) costs Redis one call a turn, not one a
 * join. Each hit still gets its own exact count, so the limit holds to the request; fixed
 * windows as the plugin's stores have them.
 *
 * The keys share the hash tag `{join-limit}`, so that on a Redis Cluster one call may count
 * them all: they live on one node, which answers one call a turn from each instance.
 */
export function batchedRedisStore(
  client: RedisClient,
  nameSpace: string,
): JoinLimitStore & { keyOf(key: string): string } {
  const counting = client as CountingClient;
  if (!counting.waitroomCountHits) client.defineCommand('waitroomCountHits', { lua: COUNT_HITS });
  const countHits = (counting.waitroomCountHits as NonNullable<CountingClient['waitroomCountHits']>).bind(
    client,
  );
  const prefix = `${nameSpace}{join-limit}:`;
  // The hits of one turn, in the order they came. A key's hits are counted together: the first
  // of them is the count after them less their number, plus one.
  const hit = batchPerTurn(async (_: string, hits: { key: string; timeWindow: number }[]) => {
    const counts = new Map<string, { index: number; hits: number }>();
    for (const { key } of hits) {
      const seen = counts.get(key);
      if (seen) seen.hits++;
      else counts.set(key, { index: counts.size, hits: 1 });
    }
    const keys = [...counts.keys()];
    const answer = await countHits(
      keys.length,
      ...keys.map((key) => prefix + key),
      hits[0]!.timeWindow,
      ...[...counts.values()].map((c) => c.hits),
    );
    const taken = new Map<string, number>();
    return hits.map(({ key }) => {
      const { index, hits: n } = counts.get(key)!;
      const k = taken.get(key) ?? 0;
      taken.set(key, k + 1);
      return { current: Number(answer[2 * index]) - n + 1 + k, ttl: Number(answer[2 * index + 1]) };
    });
  }, MAX_BATCH);

  return {
    /** The Redis key a count on `key` (an address) lands on, for a join that counts itself. */
    keyOf: (key) => prefix + key,
    incr(key, callback, timeWindow) {
      hit('', { key, timeWindow }).then(
        (result) => callback(null, result),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    },
  };
}
