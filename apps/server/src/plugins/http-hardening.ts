import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Settings } from '../settings.js';

/**
 * The HTTP limits the server runs with (docs/SECURITY.md, "HTTP hardening"). No timeout here
 * may cut an open event stream: Node's `requestTimeout` and `headersTimeout` bound only the
 * receiving of a request, and the idle `connectionTimeout` is reset by every write, which a
 * stream makes at least every 15 s (a comment line).
 */
export const HTTP_LIMITS = {
  /** Every JSON body; the operator's product catalogue is the largest. */
  bodyLimit: 64 * 1024,
  /** A join takes no body (an empty JSON object at most). */
  joinBodyLimit: 1024,
  /** The whole request (headers and body) must have arrived by then (slow-loris bodies). */
  requestTimeout: 30_000,
  /** The headers must have arrived by then (slow-loris headers). */
  headersTimeout: 15_000,
  /** An idle keep-alive connection is closed after this; above a load balancer's usual 60 s. */
  keepAliveTimeout: 72_000,
  /** A connection that neither sends nor receives for this long is closed (a dead client). */
  connectionTimeout: 300_000,
} as const;

/** One year; sent only over https (see `registerHttpHardening`). */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * The Content-Security-Policy of every response: only this origin's own scripts, styles,
 * images (and data: images), fetches and fonts; never framed. The React pages need no inline
 * script or style. Swagger UI at /docs sets its own (hash-based) policy on its pages.
 */
export const CSP_DIRECTIVES = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'font-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Security headers on every response (helmet), the CORS policy CORS_ORIGINS sets, HSTS when
 * the request came over https, and the server's timeouts. Call it before any route is added.
 */
export async function registerHttpHardening(app: FastifyInstance, settings: Settings): Promise<void> {
  app.server.headersTimeout = HTTP_LIMITS.headersTimeout;

  // A join needs no body: a lower limit than the server's default for it.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.includes('POST') && route.url === '/api/rooms/:roomId/tickets') {
      route.bodyLimit ??= HTTP_LIMITS.joinBodyLimit;
    }
  });

  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    // Strict-Transport-Security is set below, only when the request came over https.
    strictTransportSecurity: false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  });

  // `request.protocol` is https when the server itself serves TLS, or when a proxy that
  // TRUST_PROXY trusts says so in X-Forwarded-Proto; a client cannot claim it otherwise.
  // Set on the raw response, so that an event stream (which writes its own head) has it too.
  app.addHook('onRequest', async (request, reply) => {
    if (request.protocol === 'https') reply.raw.setHeader('strict-transport-security', HSTS);
  });

  // Without CORS_ORIGINS no CORS header is ever sent: a browser lets only the server's own
  // pages read its answers, and refuses to send an authorised (bearer) request from elsewhere.
  if (settings.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: settings.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id'],
      exposedHeaders: ['retry-after', 'x-request-id'],
      // Bearer tokens, no cookies: never credentials.
      credentials: false,
      maxAge: 600,
    });
  }
}
