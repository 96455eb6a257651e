import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import { WaitroomError } from '@waitroom/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** One join counted against its address: whether it went past the limit, and for how long. */
export interface JoinVerdict {
  exceeded: boolean;
  /** Seconds until the address's window ends (Retry-After). */
  retryAfterSeconds: number;
}

/**
 * The join limit (JOIN_LIMIT_PER_MINUTE per client address), counted by @fastify/rate-limit
 * on its store (in memory, or in Redis shared by every instance). The Fastify join route and
 * the join's lane (join-lane.ts) count on this one counter, so that a client gets the limit
 * once, whichever path its joins take.
 */
export interface JoinLimit {
  max: number;
  /** The address a request counts against: Fastify's `request.ip`, by the TRUST_PROXY rule. */
  addressOf(req: IncomingMessage): string | undefined;
  /** Counts one join from `address`. */
  count(address: string | undefined): Promise<JoinVerdict>;
}

/** A request as the plugin's limiter reads it: the address, and a route with no group of its own. */
const NO_ROUTE = { config: {} };

/** Whether TRUST_PROXY trusts `address`, the `hop`th from the server (0: the peer). */
export type ProxyTrust = (address: string, hop: number) => boolean;

/**
 * The join limit over the rate-limit plugin registered on `app` (`createRateLimit`), or null
 * when it is off. `trust` is the TRUST_PROXY rule Fastify applies (null: no proxy trusted).
 */
export function createJoinLimit(
  app: FastifyInstance,
  max: number,
  trust: ProxyTrust | null,
): JoinLimit | null {
  if (max <= 0) return null;
  const limiter = app.createRateLimit({ max, timeWindow: 60_000 });
  return {
    max,
    addressOf: trust === null ? (req) => req.socket.remoteAddress : (req) => proxyAddr(req, trust),
    async count(address) {
      const result = await limiter({ ip: address, routeOptions: NO_ROUTE } as unknown as FastifyRequest);
      if (result.isAllowed) return { exceeded: false, retryAfterSeconds: 0 };
      return { exceeded: result.isExceeded, retryAfterSeconds: result.ttlInSeconds };
    },
  };
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
