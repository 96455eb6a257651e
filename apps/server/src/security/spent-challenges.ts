import { UnavailableError } from '@waitroom/core';
import type { RedisClient } from '@waitroom/store-redis';

/**
 * Remembers the proof-of-work challenges already used for a join, each until it expires, so
 * that one solution buys one join. `spend` answers true the first time an id is seen.
 */
export interface SpentChallenges {
  spend(id: string, ttlMs: number): Promise<boolean>;
}

/** One process's memory: the embedded store, where one instance serves the line. */
export class MemorySpentChallenges implements SpentChallenges {
  private readonly until = new Map<string, number>();
  private nextSweep = 0;

  constructor(private readonly clock: () => number) {}

  async spend(id: string, ttlMs: number): Promise<boolean> {
    const now = this.clock();
    if (now >= this.nextSweep) this.sweep(now);
    const seen = this.until.get(id);
    if (seen !== undefined && seen > now) return false;
    this.until.set(id, now + ttlMs);
    return true;
  }

  /** Forgets what has expired; at most once a minute, so a join pays for it only rarely. */
  private sweep(now: number): void {
    for (const [id, until] of this.until) if (until <= now) this.until.delete(id);
    this.nextSweep = now + 60_000;
  }
}

/**
 * Redis, shared by every instance: `SET key 1 PX ttl NX` is one atomic step, so two
 * instances given the same solution at the same moment cannot both accept it.
 */
export class RedisSpentChallenges implements SpentChallenges {
  constructor(
    private readonly client: Pick<RedisClient, 'set'>,
    private readonly keyPrefix: string,
  ) {}

  async spend(id: string, ttlMs: number): Promise<boolean> {
    let answer: string | null;
    try {
      answer = await this.client.set(`${this.keyPrefix}pow:${id}`, '1', 'PX', Math.max(1, ttlMs), 'NX');
    } catch {
      throw new UnavailableError();
    }
    return answer === 'OK';
  }
}
