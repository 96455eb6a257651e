import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { Settings } from '../settings.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The security headers of the route's answers (see `registerHttpHardening`). */
    securityHeaders?: Readonly<Record<string, string>>;
  }
}

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
export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * The Content-Security-Policy of the pages (and of any answer not known to be data): only
 * this origin's own scripts, styles, images (and data: images), fetches and fonts; never
 * framed. The React pages need no inline script or style. Swagger UI at /docs sets its own
 * (hash-based) policy on its pages.
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

/** What helmet sets on the pages and on whatever is not an API answer. */
const PAGE_HELMET: Readonly<HelmetOptions> = {
  contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
  // Strict-Transport-Security is set apart, only when the request came over https.
  strictTransportSecurity: false,
  crossOriginOpenerPolicy: { policy: 'same-origin' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  referrerPolicy: { policy: 'no-referrer' },
  xFrameOptions: { action: 'deny' },
};

/**
 * What helmet sets on the API's answers (JSON, event streams, keys, metrics), which a browser
 * never renders as a page: the headers that still matter for data (OWASP's REST advice), so
 * that the hottest answers carry a third of the bytes. A policy that allows nothing and no
 * framing, no MIME sniffing, no referrer, no cross-origin embedding; not the page-only ones
 * (Origin-Agent-Cluster, COOP, X-DNS-Prefetch-Control, X-Download-Options,
 * X-Permitted-Cross-Domain-Policies, X-XSS-Protection).
 */
const API_HELMET: Readonly<HelmetOptions> = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] },
  },
  strictTransportSecurity: false,
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: { policy: 'same-origin' },
  originAgentCluster: false,
  referrerPolicy: { policy: 'no-referrer' },
  xContentTypeOptions: true,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: { action: 'deny' },
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

/** True for a route whose answers are data, not pages: the API, the keys, the probes, the metrics. */
export function isApiRoute(url: string): boolean {
  return (
    url.startsWith('/api/') ||
    url.startsWith('/.well-known/') ||
    url === '/openapi.json' ||
    url === '/healthz' ||
    url === '/readyz' ||
    url === '/metrics'
  );
}

/**
 * The headers helmet's middleware sets with `options`, read off by running it once against
 * a response that only records them. Helmet removes X-Powered-By too; Fastify never sets it.
 */
export function securityHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown = null;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    failure = error ?? null;
  });
  if (failure) throw failure;
  return headers;
}

/**
 * Security headers on every response (helmet), the CORS policy CORS_ORIGINS sets, HSTS when
 * the request came over https, and the server's timeouts. Call it before any route is added.
 */
export async function registerHttpHardening(
  app: FastifyInstance,
  settings: Settings,
): Promise<{ apiHeaders: Readonly<Record<string, string>> }> {
  app.server.headersTimeout = HTTP_LIMITS.headersTimeout;

  // A join needs no body: a lower limit than the server's default for it.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.includes('POST') && route.url === '/api/rooms/:roomId/tickets') {
      route.bodyLimit ??= HTTP_LIMITS.joinBodyLimit;
    }
  });

  // Helmet's headers depend on nothing in the request, only on the route: each set is worked
  // out once, each route is given its set when it is added, and each response gets it from
  // Fastify's own header store. (@fastify/helmet builds helmet's middleware afresh for every
  // request, a tenth of the server's time on the hottest routes.)
  const pageHeaders = securityHeaders(PAGE_HELMET);
  const apiHeaders = securityHeaders(API_HELMET);
  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path ?? '';
    route.config = { ...route.config, securityHeaders: isApiRoute(url) ? apiHeaders : pageHeaders };
  });
  // `request.protocol` is https when the server itself serves TLS, or when a proxy that
  // TRUST_PROXY trusts says so in X-Forwarded-Proto; a client cannot claim it otherwise.
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(request.routeOptions.config.securityHeaders ?? pageHeaders);
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
    done();
  });

  // Without CORS_ORIGINS no CORS header is ever sent: a browser lets only the server's own
  // pages read its answers, and refuses to send an authorised (bearer) request from elsewhere.
  if (settings.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: settings.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id', 'x-altcha'],
      exposedHeaders: ['retry-after', 'x-request-id'],
      // Bearer tokens, no cookies: never credentials. (The join cookie is for the server's own
      // pages; a page elsewhere keeps its queue token itself and gets no second-join check.)
      credentials: false,
      maxAge: 600,
    });
  }
  return { apiHeaders };
}
