import { parse, serialize } from 'cookie';
import type { FastifyRequest } from 'fastify';

/** What the cookie's attributes depend on: a Fastify request, or what a lane read of one. */
export interface CookieRequest {
  protocol: string;
  /** The host the request was sent to, without its port. */
  hostname: string;
}

/**
 * The cookie a join leaves in the browser (docs/SECURITY.md, "Bots and line-jumping"): the
 * queue token of the place just taken, sent back only on that room's ticket paths, so that a
 * second join from the same browser gets the same place instead of a second one. It carries
 * nothing the page does not already hold, and is checked like any queue token (signature,
 * room, expiry).
 */
export const JOIN_COOKIE = 'wr_place';

const VALUE = /^[A-Za-z0-9._-]{1,512}$/;

/**
 * A room's cookie attributes (path, lifetime, flags) as `cookie` writes them, by room and by
 * whether the cookie is Secure: they are the same for every join of the room, and writing
 * them anew cost a join more than the queue token's HMAC. Bounded: rooms are few, but ids are
 * the caller's.
 */
const attributes = new Map<string, string>();
const ATTRIBUTES_KEPT = 1000;

/** The attributes written last, and what they were written for. */
let last: (CookieRequest & { roomId: string; maxAgeSeconds: number; tail: string }) | null = null;

/** The Set-Cookie value for a place in `roomId`. */
export function joinCookie(
  request: CookieRequest,
  roomId: string,
  queueToken: string,
  maxAgeSeconds: number,
): string {
  // A queue token is base64url and dots: a cookie value as it is, with nothing to encode.
  if (!VALUE.test(queueToken)) throw new Error('a queue token is not a cookie value');
  return `${JOIN_COOKIE}=${queueToken}${joinCookieAttributes(request, roomId, maxAgeSeconds)}`;
}

/**
 * What follows the value in a join cookie for `roomId` (`; Max-Age=…; Path=…; HttpOnly…`):
 * the same for every join of the room from one host.
 */
export function joinCookieAttributes(request: CookieRequest, roomId: string, maxAgeSeconds: number): string {
  // A sale's joins come for one room through one host: the last answer is checked first.
  const l = last;
  if (
    l !== null &&
    l.roomId === roomId &&
    l.hostname === request.hostname &&
    l.protocol === request.protocol &&
    l.maxAgeSeconds === maxAgeSeconds
  ) {
    return l.tail;
  }
  // A browser keeps a Secure cookie only from https; plain http is allowed for a local run.
  const secure = request.protocol === 'https' || !isLocalHost(request.hostname);
  const key = `${secure ? 's' : '-'}${maxAgeSeconds}/${roomId}`;
  let tail = attributes.get(key);
  if (tail === undefined) {
    const sample = serialize(JOIN_COOKIE, 'x', {
      path: `/api/rooms/${encodeURIComponent(roomId)}/tickets`,
      maxAge: maxAgeSeconds,
      httpOnly: true,
      sameSite: 'strict',
      secure,
    });
    tail = sample.slice(`${JOIN_COOKIE}=x`.length);
    if (attributes.size >= ATTRIBUTES_KEPT) attributes.clear();
    attributes.set(key, tail);
  }
  last = { protocol: request.protocol, hostname: request.hostname, roomId, maxAgeSeconds, tail };
  return tail;
}

/** The queue token in the request's join cookie, if it has one of the right form. */
export function joinCookieOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined || !header.includes(JOIN_COOKIE)) return undefined;
  const value = parse(header)[JOIN_COOKIE];
  return value !== undefined && VALUE.test(value) ? value : undefined;
}

function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}
