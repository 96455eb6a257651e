import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TicketStatus } from '@waitroom/core';
import fastJson from 'fast-json-stringify';
import type { PresentedStatus } from '../context.js';
import { TicketStatusLaneBody } from '../schemas/tickets.js';
import { parseBearer } from './bearer.js';
import { type Handler, isHttps, RouteLane, roomIdIn } from './lanes.js';

/** The route the lane serves, as Fastify and the metrics name it. */
export const STATUS_ROUTE = '/api/rooms/:roomId/tickets/me';
const SUFFIX = '/tickets/me';

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
export class StatusLane extends RouteLane {
  private readonly serialize = fastJson(TicketStatusLaneBody) as (status: PresentedStatus) => string;

  /**
   * Serves `req` if it is a status read the lane can answer: true when it took it (and will
   * hand it to `next` itself should it fail), false to let `next` have it now.
   */
  override serve(req: IncomingMessage, res: ServerResponse, next: Handler): boolean {
    if (req.method !== 'GET' || !this.open) return false;
    const roomId = roomIdIn(req.url, SUFFIX);
    if (roomId === null) return false;
    const started = performance.now();
    const https = isHttps(req, this.options);
    const ticketId = https === null ? null : this.ticketOf(req, roomId);
    if (https === null || ticketId === null) {
      this.pass(req, res, next);
      return true;
    }
    // At once when the store can (the embedded store with nothing left to write), else in turn.
    let status: TicketStatus | undefined;
    try {
      status = this.options.engine.statusNow(roomId, ticketId);
    } catch {
      this.pass(req, res, next);
      return true;
    }
    if (status !== undefined) {
      this.answer(req, res, next, status, https, started);
      return true;
    }
    this.options.engine.status(roomId, ticketId).then(
      (read) => this.answer(req, res, next, read, https, started),
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
      const auth = h.authorization;
      // `Bearer <token>` as clients send it, without the header's regex: whatever follows the
      // space must pass `verify`, which takes only a token it finds genuine (anything it does
      // not goes to the route, which parses the header in full).
      const token = auth?.startsWith('Bearer ') ? auth.slice(7) : parseBearer(auth);
      return this.options.queueTokens.verify(token, roomId).sub;
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
      // Every string in the body is ASCII (see STATUS_UNESCAPED): its length is its size in bytes.
      res.writeHead(200, [...headers, 'content-length', String(body.length)]);
      res.end(body);
    } catch {
      // Not expected (the headers are fixed strings); the connection cannot be trusted any more.
      res.destroy();
      return;
    }
    this.answered(200, started);
  }
}
