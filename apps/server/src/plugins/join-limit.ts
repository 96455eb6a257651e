import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import LocalStore from '@fastify/rate-limit/store/LocalStore.js';
import { type JoinLimitCount, WaitroomError } from '@waitroom/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** One join counted against its address: whether it went past the limit, and for how long. */
export interface JoinVerdict {
  exceeded: boolean;
  /** Seconds until the address's window ends (Retry-After). */
  retryAfterSeconds: number;
}

/**
 * The join limit (JOIN_LIMIT_PER_MINUTE per client address), counted in fixed one-minute
 * windows by a @fastify/rate-limit store: the plugin's own LocalStore in memory, or the
 * Redis store shared by every instance (join-limit-store.ts). The Fastify join route and the
 * join's lane (join-lane.ts) count on this one counter, so that a client gets the limit
 * once, whichever path its joins take.
 */
export interface JoinLimit {
  max: number;
  /** The address a request counts against: Fastify's `request.ip`, by the TRUST_PROXY rule. */
  addressOf(req: IncomingMessage): string | undefined;
  /**
   * Counts one join from `address`: the verdict at once when the store answers at once (in
   * memory), a promise of it when the store must ask Redis.
   */
  count(address: string | undefined): JoinVerdict | Promise<JoinVerdict>;
  /**
   * The count of one join from `address` for the queue store to make in the join's own step
   * (`engine.join(roomId, count)`), on the same counter as `count`: present when the store can
   * (Redis on one node: one round trip for the count and the join instead of two).
   */
  countInJoin?(address: string | undefined): JoinLimitCount;
}

/** The store's answer for one hit: the window's count after it, and the window's time left. */
export type Hit = { current: number; ttl: number };

/** A rate-limit store whose `incr` also takes the window and the limit, as the plugin calls it. */
export type JoinLimitStore = {
  incr(
    key: string,
    callback: (error: Error | null, result?: Hit) => void,
    timeWindow: number,
    max: number,
  ): void;
};

const WINDOW_MS = 60_000;
const ALLOWED: JoinVerdict = { exceeded: false, retryAfterSeconds: 0 };

/** Whether TRUST_PROXY trusts `address`, the `hop`th from the server (0: the peer). */
export type ProxyTrust = (address: string, hop: number) => boolean;

/**
 * The in-memory store for the join limit: @fastify/rate-limit's LocalStore, keeping the
 * counts of the 5,000 addresses seen last (the plugin's default), fixed windows.
 */
export function memoryJoinLimitStore(): JoinLimitStore {
  return new LocalStore(false, false, 5000);
}

/**
 * The join limit on `store`, or null when it is off (`max` 0). `trust` is the TRUST_PROXY
 * rule Fastify applies (null: no proxy trusted). With `skipOnError`, a count the store could
 * not make lets the join through (Redis out of reach: the queue's own store then answers 503).
 *
 * The store is called directly, not through the plugin's per-request handler
 * (`createRateLimit`): that handler wraps the same `incr` in promises and builds a verdict
 * object of nine fields, which cost the join's lane as much as its HMAC; here the in-memory
 * store's answer comes back at once, and only Redis is waited for.
 */
export function createJoinLimit(
  store: JoinLimitStore,
  max: number,
  trust: ProxyTrust | null,
  {
    skipOnError,
    keyInJoin,
  }: {
    skipOnError: boolean;
    /** The store's key for an address, when the queue store counts joins in the join itself. */
    keyInJoin?: ((address: string) => string) | undefined;
  },
): JoinLimit | null {
  if (max <= 0) return null;
  const verdictOf = (error: Error | null, hit: Hit | undefined): JoinVerdict | Error => {
    if (error || !hit)
      return skipOnError ? ALLOWED : (error ?? new Error('the join limit store gave no count'));
    return hit.current > max ? { exceeded: true, retryAfterSeconds: Math.ceil(hit.ttl / 1000) } : ALLOWED;
  };
  const limit: JoinLimit = {
    max,
    addressOf: trust === null ? (req) => req.socket.remoteAddress : (req) => proxyAddr(req, trust),
    count(address) {
      let now: JoinVerdict | Error | undefined;
      let later: ((outcome: JoinVerdict | Error) => void) | undefined;
      // The plugin keys a request by `request.ip`, written as a string.
      store.incr(
        String(address),
        (error, hit) => {
          const outcome = verdictOf(error, hit);
          if (later) later(outcome);
          else now = outcome;
        },
        WINDOW_MS,
        max,
      );
      if (now !== undefined) {
        if (now instanceof Error) throw now;
        return now;
      }
      return new Promise<JoinVerdict>((resolve, reject) => {
        later = (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome));
      });
    },
  };
  if (keyInJoin) {
    limit.countInJoin = (address) => ({ key: keyInJoin(String(address)), max, windowMs: WINDOW_MS });
  }
  return limit;
}

/**
 * The Fastify join route's check: counts the join, and past the limit refuses it with 429
 * RATE_LIMITED, Retry-After and the usual rate-limit headers.
 */
export function joinLimitHook(limit: JoinLimit) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const verdict = await limit.count(request.ip);
    if (!verdict.exceeded) return;
    const seconds = verdict.retryAfterSeconds;
    reply.headers({
      'x-ratelimit-limit': limit.max,
      'x-ratelimit-remaining': 0,
      'x-ratelimit-reset': seconds,
      'retry-after': seconds,
    });
    throw new WaitroomError('RATE_LIMITED', `Too many joins from this address; try again in ${seconds} s`);
  };
}
