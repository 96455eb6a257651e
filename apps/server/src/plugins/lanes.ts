import type { IncomingMessage, Server, ServerResponse } from 'node:http';

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
