import fc from 'fast-check';
import { type BodyChoice, body, contentType } from './fuzz-bodies.js';
import {
  type AuthChoice,
  auth,
  extraHeaders,
  METHODS,
  paramText,
  query,
  REAL_IDS,
  unknownPath,
} from './fuzz-parts.js';

// The fuzz test's requests, as plain data (see fuzz-parts.ts and fuzz-bodies.ts for their
// parts): aimed at a documented route with a few of its parts broken, or at no route at all.

/** One route of the OpenAPI document, its path in the router's form (`/api/rooms/:roomId`). */
export interface FuzzRoute {
  method: string;
  path: string;
  /** The kinds of token it takes (`operator`, `queueToken`, `admissionToken`); none: open to all. */
  schemes: string[];
  /** It takes a JSON body. */
  takesBody: boolean;
}

export interface Shot {
  method: string;
  /** The URL's path with `:param` placeholders still in it; a param's text is in `params`. */
  path: string;
  params: string[];
  query: string;
  auth: AuthChoice;
  contentType: string | null;
  body: BodyChoice;
  headers: Record<string, string>;
  /** The route the shot was made for, if it was one of the document's. */
  route: FuzzRoute | null;
  /** The parts made bad on purpose (all of them for a shot at no route). */
  broken: readonly string[];
}

/** Paths the document leaves out (pages, docs) that the server still answers. */
export const HIDDEN_ROUTES: FuzzRoute[] = [
  { method: 'GET', path: '/', schemes: [], takesBody: false },
  { method: 'GET', path: '/rooms/:roomId', schemes: [], takesBody: false },
  { method: 'GET', path: '/admin', schemes: [], takesBody: false },
  { method: 'GET', path: '/admin/:page', schemes: [], takesBody: false },
  { method: 'GET', path: '/assets/:file', schemes: [], takesBody: false },
  { method: 'GET', path: '/openapi.json', schemes: [], takesBody: false },
  { method: 'GET', path: '/docs', schemes: [], takesBody: false },
  { method: 'GET', path: '/docs/static/:file', schemes: [], takesBody: false },
];

/** The parts of a request a shot may break; the others are as a good client sends them. */
const PARTS = ['method', 'params', 'query', 'auth', 'content-type', 'body', 'headers'] as const;

/** The token a good client of the route sends. */
function fittingAuth(route: FuzzRoute): AuthChoice {
  const token = ({ operator: 'admin', queueToken: 'queue', admissionToken: 'admission' } as const)[
    route.schemes[0] as 'operator' | 'queueToken' | 'admissionToken'
  ];
  return token ? { kind: 'known', token, scheme: 'Bearer ' } : { kind: 'none' };
}

/** A path parameter's good value: the room with the sale, the order and the ticket the test made. */
function fittingParam(name: string): string {
  if (name === 'orderId') return REAL_IDS.order;
  if (name === 'ticketId') return REAL_IDS.admittedTicket;
  if (name === 'file') return 'app.js';
  return 'sale';
}

/**
 * A request aimed at one of `routes` with one to three of its parts broken (the method, a path
 * parameter, the query, the token, the content type, the body, odd headers) and the others
 * good, so that what is broken reaches the handler rather than a first check.
 */
export function shotAt(
  routes: readonly FuzzRoute[],
  always: readonly (typeof PARTS)[number][] = [],
): fc.Arbitrary<Shot> {
  return fc
    .tuple(
      fc.constantFrom(...routes),
      fc.uniqueArray(fc.constantFrom(...PARTS), { minLength: 1, maxLength: 3 }),
    )
    .chain(([route, chosen]) => {
      const broken = [...new Set([...chosen, ...always])];
      const names = route.path.match(/:[A-Za-z]+/g)?.map((p) => p.slice(1)) ?? [];
      const pick = <T>(part: (typeof PARTS)[number], bad: fc.Arbitrary<T>, good: T) =>
        broken.includes(part) ? bad : fc.constant(good);
      return fc.record({
        method: pick('method', fc.constantFrom(...METHODS), route.method),
        path: fc.constant(route.path),
        params: broken.includes('params')
          ? fc.tuple(...names.map((n) => fc.oneof(paramText, fc.constant(fittingParam(n)))))
          : fc.constant(names.map(fittingParam)),
        query: pick('query', query, ''),
        auth: pick('auth', auth, fittingAuth(route)),
        contentType: pick('content-type', contentType, route.takesBody ? 'application/json' : null),
        body: pick<BodyChoice>(
          'body',
          body,
          route.takesBody ? { kind: 'template', mutations: [] } : { kind: 'none' },
        ),
        headers: pick(
          'headers',
          extraHeaders,
          route.path === '/api/orders' ? { 'idempotency-key': 'fuzz-key' } : {},
        ),
        route: fc.constant(route),
        broken: fc.constant(broken),
      });
    });
}

/** A request to a path no route names. */
export const shotElsewhere: fc.Arbitrary<Shot> = fc.record({
  method: fc.constantFrom(...METHODS),
  path: unknownPath,
  params: fc.constant([]),
  query,
  auth,
  contentType,
  body,
  headers: extraHeaders,
  route: fc.constant(null),
  broken: fc.constant(['everything']),
});
