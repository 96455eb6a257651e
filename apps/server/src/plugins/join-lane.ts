import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JoinLimitCount, TicketStatus } from '@waitroom/core';
import fastJson from 'fast-json-stringify';
import type { PresentedStatus } from '../context.js';
import { JoinedTicketLaneBody } from '../schemas/tickets.js';
import { JOIN_COOKIE, joinCookieAttributes } from '../security/join-cookie.js';
import { errorBody } from './errors.js';
import type { JoinLimit } from './join-limit.js';
import { type Handler, isHttps, type LaneOptions, RouteLane, roomIdIn } from './lanes.js';

/** The route the lane serves, as Fastify and the metrics name it. */
export const JOIN_ROUTE = '/api/rooms/:roomId/tickets';
const SUFFIX = '/tickets';

export interface JoinLaneOptions extends LaneOptions {
  /** The join limit, the very counter the Fastify route counts on; null when JOIN_LIMIT_PER_MINUTE is 0. */
  limit: JoinLimit | null;
  /** The lifetime of a queue token, and so of the join cookie (QUEUE_TOKEN_TTL_SECONDS). */
  queueTokenTtlSeconds: number;
  /** Told of a failure after a place was made (answered 500), for the log as the route's 500s are. */
  onError(error: unknown): void;
}

/**
 * The join's own lane. When a sale opens, joins come all at once, and the Fastify route's
 * lifecycle (request and reply objects, hooks, schemas, the promises between them) costs a
 * join about as much as the join itself. So the plain join, a POST with no body, no join
 * cookie and no challenge to a room that takes it, is made here, before Fastify's router:
 * the same join limit, counted on the same counter; the same place, queue token, cookie,
 * status, headers and body as the route gives; the same latency metric. Everything else goes
 * to the Fastify route untouched: a body, a join cookie (a second join from one browser), a
 * solved challenge or a room that asks for one, a closed or unknown room, a join past the
 * limit (the route refuses it with 429 and Retry-After), an Origin, a proxy's X-Forwarded-Host.
 *
 * A join that fails before its place exists (the store cannot be reached) is handed to the
 * route, which tries it once more and answers in the contract's shape. Once the place
 * exists, the answer is the lane's whatever happens, so that no join is ever made twice.
 */
export class JoinLane extends RouteLane {
  private readonly serialize = fastJson(JoinedTicketLaneBody) as (
    joined: PresentedStatus & { queueToken: string },
  ) => string;
  private readonly limit: JoinLimit | null;
  private readonly cookieSeconds: number;
  private readonly onError: (error: unknown) => void;

  constructor(options: JoinLaneOptions) {
    super(options);
    this.limit = options.limit;
    this.cookieSeconds = options.queueTokenTtlSeconds;
    this.onError = options.onError;
  }

  override serve(req: IncomingMessage, res: ServerResponse, next: Handler): boolean {
    if (req.method !== 'POST' || !this.open) return false;
    const roomId = roomIdIn(req.url, SUFFIX);
    if (roomId === null) return false;
    const h = req.headers;
    if (h.host === undefined || h.origin !== undefined || h['x-altcha'] !== undefined || hasBody(req))
      return false;
    if (h.cookie?.includes(JOIN_COOKIE)) return false;
    const https = isHttps(req, this.options);
    if (https === null) return false;
    if (h['x-forwarded-host'] !== undefined && this.options.trustsPeer(req.socket.remoteAddress))
      return false;
    this.join(req, res, next, roomId, https, h.host).catch(() => res.destroy());
    return true;
  }

  private async join(
    req: IncomingMessage,
    res: ServerResponse,
    next: Handler,
    roomId: string,
    https: boolean,
    host: string,
  ): Promise<void> {
    const started = performance.now();
    const { engine } = this.options;
    const limit = this.limit;
    // Counted by the store in the join itself, when it can (one round trip to Redis, not two).
    let inJoin: JoinLimitCount | undefined;
    try {
      // Nothing is counted for a join the route must see anyway.
      const settings = engine.settingsNow(roomId) ?? (await engine.currentSettings(roomId));
      if (settings.requireChallenge || settings.status === 'closed') return this.pass(req, res, next);
      if (limit?.countInJoin) {
        inJoin = limit.countInJoin(limit.addressOf(req));
      } else if (limit) {
        const counted = limit.count(limit.addressOf(req));
        if ((counted instanceof Promise ? await counted : counted).exceeded) return this.pass(req, res, next);
      }
    } catch {
      return this.pass(req, res, next);
    }
    let status: TicketStatus;
    try {
      status = await engine.join(roomId, inJoin);
    } catch {
      // Past the limit (the route refuses it with 429 and Retry-After), or no place was made.
      return this.pass(req, res, next);
    }
    // The place exists: from here the answer is the lane's.
    let statusCode = 201;
    let body: string;
    const headers = (https ? this.httpsHeaders : this.headers).slice();
    try {
      const queueToken = this.options.queueTokens.issue(roomId, status.ticketId);
      const shown = this.options.present(status);
      const presented = shown instanceof Promise ? await shown : shown;
      body = this.serialize(Object.assign(presented, { queueToken }));
      // The queue token just issued is base64url and dots: a cookie value as it is.
      const attributes = joinCookieAttributes(
        { protocol: https ? 'https' : 'http', hostname: hostnameOf(host) },
        roomId,
        this.cookieSeconds,
      );
      headers.push('set-cookie', `${JOIN_COOKIE}=${queueToken}${attributes}`);
    } catch (error) {
      // Not expected: the place is kept, but its token could not be given; the shopper joins again.
      this.onError(error);
      statusCode = 500;
      body = JSON.stringify(errorBody('INTERNAL', 'Something went wrong on our side; try again'));
    }
    // Every string in either body is ASCII (see JOIN_UNESCAPED): its length is its size in bytes.
    headers.push('content-length', String(body.length));
    res.writeHead(statusCode, headers);
    res.end(body);
    this.answered(statusCode, started);
  }
}

/** The Host header's name without its port, as Fastify's `request.hostname` gives it. */
function hostnameOf(host: string): string {
  if (host[0] === '[') return host.slice(0, host.indexOf(']') + 1);
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/** True when the request carries a body: chunks, or a length other than 0 (a bodiless POST sends 0). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
