import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROOM_ID_PATTERN, type TicketStatus, type WaitingRoomEngine } from '@waitroom/core';
import fastJson from 'fast-json-stringify';
import type { PresentedStatus } from '../context.js';
import { JoinedTicketBody } from '../schemas/tickets.js';
import { JOIN_COOKIE, joinCookie } from '../security/join-cookie.js';
import type { QueueTokens } from '../security/queue-tokens.js';
import { errorBody } from './errors.js';
import type { JoinLimit } from './join-limit.js';
import { answerHeaders, type Handler, isHttps, type Lane, type ProtocolRule } from './lanes.js';
import type { LatencyRecorder } from './metrics.js';

/** The route the lane serves, as Fastify and the metrics name it. */
export const JOIN_ROUTE = '/api/rooms/:roomId/tickets';
const PREFIX = '/api/rooms/';
const SUFFIX = '/tickets';

export interface JoinLaneOptions extends ProtocolRule {
  engine: WaitingRoomEngine;
  queueTokens: QueueTokens;
  present(status: TicketStatus): PresentedStatus | Promise<PresentedStatus>;
  /** The security headers of an API answer, as the Fastify route sends them. */
  securityHeaders: Readonly<Record<string, string>>;
  /** The route's latency in the metrics, shared with the Fastify route. */
  record: LatencyRecorder;
  /** The join limit, the very counter the Fastify route counts on; null when JOIN_LIMIT_PER_MINUTE is 0. */
  limit: JoinLimit | null;
  /** The lifetime of a queue token, and so of the join cookie (QUEUE_TOKEN_TTL_SECONDS). */
  queueTokenTtlSeconds: number;
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
export class JoinLane implements Lane {
  private readonly serialize: (joined: PresentedStatus & { queueToken: string }) => string;
  private readonly headers: string[];
  private readonly httpsHeaders: string[];
  /** Joins the lane answered, and those it handed to Fastify (for the metrics). */
  readonly counts = { lane: 0, fastify: 0 };
  private open = true;

  constructor(private readonly options: JoinLaneOptions) {
    this.serialize = fastJson(JoinedTicketBody) as (
      joined: PresentedStatus & { queueToken: string },
    ) => string;
    ({ http: this.headers, https: this.httpsHeaders } = answerHeaders(options.securityHeaders, options));
  }

  /** From now on every request goes to Fastify (which refuses new ones while it closes). */
  close(): void {
    this.open = false;
  }

  serve(req: IncomingMessage, res: ServerResponse, next: Handler): boolean {
    if (req.method !== 'POST' || !this.open) return false;
    const url = req.url;
    if (url === undefined || !url.startsWith(PREFIX) || !url.endsWith(SUFFIX)) return false;
    const roomId = url.slice(PREFIX.length, url.length - SUFFIX.length);
    if (!ROOM_ID_PATTERN.test(roomId)) return false;
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

  /** Hands a join that made no place to Fastify's route. */
  private pass(req: IncomingMessage, res: ServerResponse, next: Handler): void {
    this.counts.fastify++;
    next(req, res);
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
    const { engine, limit } = this.options;
    try {
      // Nothing is counted for a join the route must see anyway.
      const settings = await engine.currentSettings(roomId);
      if (settings.requireChallenge || settings.status === 'closed') return this.pass(req, res, next);
      if (limit && (await limit.count(limit.addressOf(req))).exceeded) return this.pass(req, res, next);
    } catch {
      return this.pass(req, res, next);
    }
    let status: TicketStatus;
    try {
      status = await engine.join(roomId);
    } catch {
      return this.pass(req, res, next);
    }
    // The place exists: from here the answer is the lane's.
    let statusCode = 201;
    let body: string;
    let headers: string[];
    try {
      const { queueTokens, queueTokenTtlSeconds } = this.options;
      const queueToken = queueTokens.issue(roomId, status.ticketId);
      const presented = await this.options.present(status);
      body = this.serialize(Object.assign(presented, { queueToken }));
      const cookie = joinCookie(
        { protocol: https ? 'https' : 'http', hostname: hostnameOf(host) },
        roomId,
        queueToken,
        queueTokenTtlSeconds,
      );
      headers = [...(https ? this.httpsHeaders : this.headers), 'set-cookie', cookie];
    } catch {
      // Not expected: the place is kept, but its token could not be given; the shopper joins again.
      statusCode = 500;
      body = JSON.stringify(errorBody('INTERNAL', 'Something went wrong on our side; try again'));
      headers = https ? this.httpsHeaders : this.headers;
    }
    res.writeHead(statusCode, [...headers, 'content-length', String(Buffer.byteLength(body))]);
    res.end(body);
    this.counts.lane++;
    this.options.record(statusCode, (performance.now() - started) / 1000);
  }
}

/** The Host header's name without its port, as Fastify's `request.hostname` gives it. */
function hostnameOf(host: string): string {
  return host[0] === '[' ? host.slice(0, host.indexOf(']') + 1) : host.split(':', 1)[0]!;
}

/** True when the request carries a body: chunks, or a length other than 0 (a bodiless POST sends 0). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
