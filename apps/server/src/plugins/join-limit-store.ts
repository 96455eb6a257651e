import { batchPerTurn, type RedisClient } from '@waitroom/store-redis';
import type { Hit, JoinLimitStore } from './join-limit.js';

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
  // The hits of one turn, in the order they came. A key's hits are counted together; then each
  // hit, in order, takes the next count after the one the key had before the turn.
  const hit = batchPerTurn(async (_: string, hits: { key: string; timeWindow: number }[]) => {
    const perKey = new Map<string, number>();
    for (const { key } of hits) perKey.set(key, (perKey.get(key) ?? 0) + 1);
    const keys = [...perKey.keys()];
    const answer = await countHits(
      keys.length,
      ...keys.map((key) => prefix + key),
      hits[0]!.timeWindow,
      ...perKey.values(),
    );
    const counted = new Map<string, Hit>();
    keys.forEach((key, i) => {
      counted.set(key, { current: Number(answer[2 * i]) - perKey.get(key)!, ttl: Number(answer[2 * i + 1]) });
    });
    return hits.map(({ key }) => {
      const count = counted.get(key)!;
      count.current++;
      return { current: count.current, ttl: count.ttl };
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
