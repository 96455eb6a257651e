import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ROOM_ID_PATTERN, type TicketStatus, type WaitingRoomEngine } from '@waitroom/core';
import type { PresentedStatus } from '../context.js';
import type { QueueTokens } from '../security/queue-tokens.js';
import type { LatencyRecorder } from './metrics.js';

/**
 * What the request lanes (status-lane.ts, join-lane.ts) share: how a lane is put in front of
 * Fastify's request handler, how it tells http from https, and the headers of its answers.
 */

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A lane: `serve` is true when it took the request (and will hand it on itself should it fail). */
export interface Lane {
  serve(req: IncomingMessage, res: ServerResponse, next: Handler): boolean;
}

/**
 * Puts `lane` in front of the server's request handler (Fastify's, or a lane put there
 * before): a request the lane does not take, or cannot finish, reaches that handler as if
 * the lane were not there.
 */
export function installLane(server: Server, lane: Lane): void {
  const handlers = server.listeners('request') as Handler[];
  if (handlers.length !== 1) throw new Error(`expected one request handler, found ${handlers.length}`);
  const next = handlers[0]!;
  server.removeListener('request', next);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!lane.serve(req, res, next)) next(req, res);
  });
}

/** How a lane reads the request's protocol: Fastify's rule for TRUST_PROXY, and its HSTS. */
export interface ProtocolRule {
  /**
   * Whether the request came from a proxy that TRUST_PROXY trusts; such a proxy's
   * X-Forwarded-Proto decides whether the answer carries HSTS.
   */
  trustsPeer(address: string | undefined): boolean;
  /** Strict-Transport-Security's value, sent on answers to https requests. */
  hsts: string;
}

/** True for https, false for http, null when only Fastify can tell (a proxy's word). */
export function isHttps(req: IncomingMessage, rule: ProtocolRule): boolean | null {
  const proto = req.headers['x-forwarded-proto'];
  if (proto === undefined || proto === 'http') return false;
  if (!rule.trustsPeer(req.socket.remoteAddress)) return false;
  return proto === 'https' ? true : null;
}

/**
 * The headers of a lane's JSON answer but its length, as a flat list for `writeHead`: the
 * API's security headers (those the Fastify routes send), over http and over https.
 */
export function answerHeaders(
  securityHeaders: Readonly<Record<string, string>>,
  rule: ProtocolRule,
): { http: string[]; https: string[] } {
  const http: string[] = [];
  for (const [name, value] of Object.entries(securityHeaders)) http.push(name, value);
  http.push('content-type', 'application/json; charset=utf-8');
  return { http, https: [...http, 'strict-transport-security', rule.hsts] };
}

/** What every lane is given: the parts its route uses, and the route's headers and metric. */
export interface LaneOptions extends ProtocolRule {
  engine: WaitingRoomEngine;
  queueTokens: QueueTokens;
  present(status: TicketStatus): PresentedStatus | Promise<PresentedStatus>;
  /** The security headers of an API answer, as the Fastify route sends them. */
  securityHeaders: Readonly<Record<string, string>>;
  /** The route's latency in the metrics, shared with the Fastify route. */
  record: LatencyRecorder;
}

/** A lane of one API route: its answer headers, its counts, and handing a request to Fastify. */
export abstract class RouteLane implements Lane {
  /** The answer's headers but its length, over http and over https. */
  protected readonly headers: string[];
  protected readonly httpsHeaders: string[];
  /** Requests the lane answered, and those it took and handed to Fastify (for the metrics). */
  readonly counts = { lane: 0, fastify: 0 };
  protected open = true;

  constructor(protected readonly options: LaneOptions) {
    ({ http: this.headers, https: this.httpsHeaders } = answerHeaders(options.securityHeaders, options));
  }

  abstract serve(req: IncomingMessage, res: ServerResponse, next: Handler): boolean;

  /** From now on every request goes to Fastify (which refuses new ones while it closes). */
  close(): void {
    this.open = false;
  }

  /** Hands a request the lane took to Fastify's route. */
  protected pass(req: IncomingMessage, res: ServerResponse, next: Handler): void {
    this.counts.fastify++;
    next(req, res);
  }

  /** Counts an answer the lane wrote, in its counts and the route's latency metric. */
  protected answered(statusCode: number, started: number): void {
    this.counts.lane++;
    this.options.record(statusCode, (performance.now() - started) / 1000);
  }
}

/** The room in `/api/rooms/{roomId}<suffix>`, exactly that path; null for any other. */
export function roomIdIn(url: string | undefined, suffix: string): string | null {
  if (url === undefined || !url.startsWith(ROOMS) || !url.endsWith(suffix)) return null;
  const roomId = url.slice(ROOMS.length, url.length - suffix.length);
  return ROOM_ID_PATTERN.test(roomId) ? roomId : null;
}

const ROOMS = '/api/rooms/';
