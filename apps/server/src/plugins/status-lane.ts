import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROOM_ID_PATTERN, type TicketStatus, type WaitingRoomEngine } from '@waitroom/core';
import fastJson from 'fast-json-stringify';
import type { PresentedStatus } from '../context.js';
import { TicketStatusBody } from '../schemas/tickets.js';
import type { QueueTokens } from '../security/queue-tokens.js';
import { parseBearer } from './bearer.js';
import { answerHeaders, type Handler, isHttps, type Lane, type ProtocolRule } from './lanes.js';
import type { LatencyRecorder } from './metrics.js';

/** The route the lane serves, as Fastify and the metrics name it. */
export const STATUS_ROUTE = '/api/rooms/:roomId/tickets/me';
const PREFIX = '/api/rooms/';
const SUFFIX = '/tickets/me';

export interface StatusLaneOptions extends ProtocolRule {
  engine: WaitingRoomEngine;
  queueTokens: QueueTokens;
  present(status: TicketStatus): PresentedStatus | Promise<PresentedStatus>;
  /** The security headers of an API answer, as the Fastify route sends them. */
  securityHeaders: Readonly<Record<string, string>>;
  /** The route's latency in the metrics, shared with the Fastify route. */
  record: LatencyRecorder;
}

/**
 * The status read's own lane. `GET /api/rooms/{roomId}/tickets/me` is the request a waiting
 * room answers most: every shopper who polls asks it every `pollAfterMs`, for the whole wait.
 * Fastify's request lifecycle (request and reply objects, hooks, the route's schemas, the
 * promise around the handler) costs more than the read itself, which is one verified-token
 * lookup and one O(log n) position. So the usual case, a well-formed read of a live ticket
 * with a genuine token, is answered here, before Fastify's router, with the same status,
 * headers and body the Fastify route gives (the same serializer schema, the same security
 * headers, the same latency metric). Anything else goes to Fastify untouched: a token that
 * does not verify, a ticket the store does not know, a store that fails, a HEAD, a query
 * string, a body, a CORS request, an https request through an untrusted proxy. The route
 * then answers it, errors in the contract's shape included, exactly as without the lane.
 *
 * Fastify logs two lines per request at `info`; the lane stays off at that level, so that
 * what is logged never depends on which path answered.
 */
export class StatusLane implements Lane {
  private readonly serialize: (status: PresentedStatus) => string;
  /** The answer's headers but its length, over http and over https. */
  private readonly headers: string[];
  private readonly httpsHeaders: string[];
  /** Status reads the lane answered, and those it handed to Fastify (for the metrics). */
  readonly counts = { lane: 0, fastify: 0 };
  private open = true;

  constructor(private readonly options: StatusLaneOptions) {
    this.serialize = fastJson(TicketStatusBody) as (status: PresentedStatus) => string;
    ({ http: this.headers, https: this.httpsHeaders } = answerHeaders(options.securityHeaders, options));
  }

  /** From now on every request goes to Fastify (which refuses new ones while it closes). */
  close(): void {
    this.open = false;
  }

  /** Hands a status read to Fastify's route. */
  private pass(req: IncomingMessage, res: ServerResponse, next: Handler): void {
    this.counts.fastify++;
    next(req, res);
  }

  /**
   * Serves `req` if it is a status read the lane can answer: true when it took it (and will
   * hand it to `next` itself should it fail), false to let `next` have it now.
   */
  serve(req: IncomingMessage, res: ServerResponse, next: Handler): boolean {
    if (req.method !== 'GET' || !this.open) return false;
    const url = req.url;
    if (url === undefined || !url.startsWith(PREFIX) || !url.endsWith(SUFFIX)) return false;
    const roomId = url.slice(PREFIX.length, url.length - SUFFIX.length);
    if (!ROOM_ID_PATTERN.test(roomId)) return false;
    const started = performance.now();
    const https = isHttps(req, this.options);
    const ticketId = https === null ? null : this.ticketOf(req, roomId);
    if (https === null || ticketId === null) {
      this.pass(req, res, next);
      return true;
    }
    this.options.engine.status(roomId, ticketId).then(
      (status) => this.answer(req, res, next, status, https, started),
      () => this.pass(req, res, next),
    );
    return true;
  }

  /**
   * The ticket a plain read names with a genuine token for the room; null for anything the
   * route must see (a body, an Origin, no Host, a token it refuses in the contract's shape).
   */
  private ticketOf(req: IncomingMessage, roomId: string): string | null {
    const h = req.headers;
    if (h.host === undefined || h.origin !== undefined) return null;
    if (h['content-length'] !== undefined || h['transfer-encoding'] !== undefined) return null;
    try {
      return this.options.queueTokens.verify(parseBearer(h.authorization), roomId).sub;
    } catch {
      return null;
    }
  }

  /** Presents the status (signing an admission token if it carries one) and sends it. */
  private answer(
    req: IncomingMessage,
    res: ServerResponse,
    next: Handler,
    status: TicketStatus,
    https: boolean,
    started: number,
  ): void {
    let presented: PresentedStatus | Promise<PresentedStatus>;
    try {
      presented = this.options.present(status);
    } catch {
      this.pass(req, res, next);
      return;
    }
    if (presented instanceof Promise) {
      presented.then(
        (p) => this.send(req, res, next, p, https, started),
        () => this.pass(req, res, next),
      );
    } else {
      this.send(req, res, next, presented, https, started);
    }
  }

  /** Writes the answer; never throws (it runs in promise callbacks, where a throw would be lost). */
  private send(
    req: IncomingMessage,
    res: ServerResponse,
    next: Handler,
    status: PresentedStatus,
    https: boolean,
    started: number,
  ): void {
    let body: string;
    try {
      body = this.serialize(status);
    } catch {
      this.pass(req, res, next);
      return;
    }
    const headers = https ? this.httpsHeaders : this.headers;
    try {
      res.writeHead(200, [...headers, 'content-length', String(Buffer.byteLength(body))]);
      res.end(body);
    } catch {
      // Not expected (the headers are fixed strings); the connection cannot be trusted any more.
      res.destroy();
      return;
    }
    this.counts.lane++;
    this.options.record(200, (performance.now() - started) / 1000);
  }
}
