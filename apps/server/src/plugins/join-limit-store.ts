import { batchPerTurn, type RedisClient } from '@waitroom/store-redis';
import type { JoinLimitStore } from './join-limit.js';

/**
 * Counts a window's hits on one key: adds `ARGV[2]` hits, starts the window (ARGV[1] ms) when
 * the key has none, and answers the count after them and the window's time left.
 */
const COUNT_HITS = `
local current = redis.call('INCRBY', KEYS[1], tonumber(ARGV[2]))
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { current, ttl }
`;

type CountingClient = RedisClient & {
  waitroomCountHits?: (key: string, timeWindow: number, hits: number) => Promise<[number, number]>;
};

/**
 * The join limit's store on Redis (a store of @fastify/rate-limit's shape, its `incr`), the
 * counts shared by every instance, like the plugin's own Redis store, but sends the hits of one key made in the same turn of
 * the event loop as one script call: a crowd of joins from one address (the case a limit is
 * for) costs Redis one call, not one each. Each hit still gets its own exact count, so the
 * limit holds to the request; fixed windows as the plugin's stores have them.
 */
export function batchedRedisStore(client: RedisClient, nameSpace: string): JoinLimitStore {
  const counting = client as CountingClient;
  if (!counting.waitroomCountHits) {
    client.defineCommand('waitroomCountHits', { numberOfKeys: 1, lua: COUNT_HITS });
  }
  const countHits = (counting.waitroomCountHits as NonNullable<CountingClient['waitroomCountHits']>).bind(
    client,
  );
  // The hits on one key in one turn, counted by one call, in the order they came: the first
  // of them is the count after them less their number, plus one.
  const hit = batchPerTurn(async (key: string, timeWindows: number[]) => {
    const [current, ttl] = await countHits(key, timeWindows[0]!, timeWindows.length);
    const first = Number(current) - timeWindows.length + 1;
    return timeWindows.map((_, k) => ({ current: first + k, ttl: Number(ttl) }));
  });

  return {
    incr(key, callback, timeWindow) {
      hit(nameSpace + key, timeWindow).then(
        (result) => callback(null, result),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    },
  };
}
