import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { InvalidRequestError, type TicketStatus, WaitroomError } from '@waitroom/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { statusEvent } from '../live/status-hub.js';
import { bearerToken } from '../plugins/bearer.js';
import { errorBody } from '../plugins/errors.js';
import { joinLimitHook } from '../plugins/join-limit.js';
import { errors, RoomIdParams } from '../schemas/common.js';
import { PublicRoomBody } from '../schemas/rooms.js';
import { ChallengeBody, JoinedTicketBody, JoinHeaders, TicketStatusBody } from '../schemas/tickets.js';
import { joinCookie, joinCookieOf } from '../security/join-cookie.js';

const bearer = [{ queueToken: [] }];

/** The shopper's API: a room's figures, joining, the ticket's status (polled or streamed), leaving. */
export async function shopperRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { engine, queueTokens, hub, settings, proofOfWork } = app.waitroom;
  const present = app.waitroom.present;

  app.get(
    '/api/rooms/:roomId',
    {
      schema: {
        tags: ['shopper'],
        summary: "A room's state and the wait a shopper joining now would have",
        params: RoomIdParams,
        response: { 200: PublicRoomBody, ...errors(404) },
      },
    },
    async (request) => engine.publicRoom(request.params.roomId),
  );

  app.get(
    '/api/rooms/:roomId/challenge',
    {
      schema: {
        tags: ['shopper'],
        summary: 'A fresh proof-of-work challenge (ALTCHA) for one join to this room',
        description:
          'Needed only where the room says `requireChallenge`. Valid for a few minutes and for one join.',
        params: RoomIdParams,
        response: { 200: ChallengeBody, ...errors(404) },
      },
    },
    async (request, reply) => {
      const { roomId } = request.params;
      await engine.currentSettings(roomId);
      reply.header('cache-control', 'no-store');
      return proofOfWork.challenge(roomId);
    },
  );

  const { joinLimit } = app.waitroom;
  app.post(
    '/api/rooms/:roomId/tickets',
    {
      ...(joinLimit ? { onRequest: joinLimitHook(joinLimit) } : {}),
      schema: {
        tags: ['shopper'],
        summary: 'Join the line: a place, its position and estimate, and the queue token that proves it',
        description:
          'No body is needed; a JSON body, if sent, may hold only `altcha` (a solved challenge, as in ' +
          'the `X-Altcha` header). A join leaves an HttpOnly cookie holding the queue token, for this ' +
          "room's ticket paths only: a join that brings back the cookie of a place still live (waiting " +
          'or admitted) gets that place again, 200 instead of 201, and no new ticket. A room with ' +
          '`requireChallenge` refuses a new place without a solved, unused challenge: 403 ' +
          'CHALLENGE_REQUIRED or CHALLENGE_FAILED.',
        params: RoomIdParams,
        headers: JoinHeaders,
        response: { 200: JoinedTicketBody, 201: JoinedTicketBody, ...errors(400, 403, 404, 409, 429, 503) },
      },
    },
    async (request, reply) => {
      const { roomId } = request.params;
      const bodyAltcha = checkJoinBody(request.body);
      // The same browser joining again keeps its place, whatever the room asks of a new one.
      const kept = await livePlaceOf(joinCookieOf(request), roomId);
      if (kept)
        return reply.code(200).send(Object.assign(await present(kept.status), { queueToken: kept.token }));
      const room = await engine.currentSettings(roomId);
      // A closed room refuses the join as ROOM_CLOSED below, solution or not.
      if (room.requireChallenge && room.status !== 'closed') {
        await proofOfWork.check(request.headers['x-altcha'] ?? bodyAltcha, roomId);
      }
      const status = await engine.join(roomId);
      const queueToken = queueTokens.issue(roomId, status.ticketId);
      reply.header('set-cookie', joinCookie(request, roomId, queueToken, settings.queueTokenTtlSeconds));
      return reply.code(201).send(Object.assign(await present(status), { queueToken }));
    },
  );

  /**
   * The place a join cookie names, while it is still in line or admitted. A cookie that is
   * forged, expired, for another room, or whose place ended counts as no cookie at all.
   */
  const livePlaceOf = async (
    token: string | undefined,
    roomId: string,
  ): Promise<{ token: string; status: TicketStatus } | null> => {
    if (token === undefined) return null;
    try {
      const claims = queueTokens.verify(token, roomId);
      const status = await engine.status(roomId, claims.sub);
      return status.state === 'waiting' || status.state === 'admitted' ? { token, status } : null;
    } catch (error) {
      if (error instanceof WaitroomError && IGNORED_COOKIE_ERRORS.has(error.code)) return null;
      throw error;
    }
  };

  /** The ticket named by the bearer queue token, which must be for the room in the path. */
  const ticketOf = (request: FastifyRequest) => {
    const { roomId } = request.params as { roomId: string };
    const claims = queueTokens.verify(bearerToken(request), roomId);
    return { roomId, ticketId: claims.sub };
  };

  app.get(
    '/api/rooms/:roomId/tickets/me',
    {
      schema: {
        tags: ['shopper'],
        summary: "The ticket's status; each call counts as a sign of life",
        security: bearer,
        params: RoomIdParams,
        response: { 200: TicketStatusBody, ...errors(401, 404) },
      },
    },
    async (request) => {
      const { roomId, ticketId } = ticketOf(request);
      return present(await engine.status(roomId, ticketId));
    },
  );

  app.get(
    '/api/rooms/:roomId/tickets/me/events',
    {
      schema: {
        tags: ['shopper'],
        summary: 'Server-sent events: `status` at once and on every change, a comment at least every 15 s',
        description:
          'An open stream counts as a sign of life. Each event `status` carries a TicketStatus. ' +
          'A change of state (admitted, expired, left) is sent at once; a ticket still waiting hears of ' +
          'its new position within one second near the front of the line, and within five seconds ' +
          'when its wait runs to minutes (a twentieth of the estimated wait). ' +
          'Where the deployment cannot hold a stream open (LIVE_STREAMS=false, the default on AWS Lambda), ' +
          'the answer is 501 STREAMING_UNAVAILABLE at once (the call still counts as a sign of life): ' +
          'poll GET /api/rooms/{roomId}/tickets/me every `pollAfterMs` instead.',
        security: bearer,
        params: RoomIdParams,
        response: {
          200: {
            description: 'text/event-stream',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          ...errors(401, 404, 501),
        },
      },
    },
    async (request, reply) => {
      const { roomId, ticketId } = ticketOf(request);
      if (!settings.liveStreams) {
        // A platform that buffers whole responses (API Gateway in front of Lambda) would hold a
        // stream until it times out: say so at once, after the usual checks, and let the page poll.
        const { pollAfterMs } = await engine.status(roomId, ticketId);
        return (reply as FastifyReply)
          .code(501)
          .send(
            errorBody(
              'STREAMING_UNAVAILABLE',
              `Live updates are off on this server; poll GET /api/rooms/${roomId}/tickets/me every ${pollAfterMs} ms`,
            ),
          );
      }
      const marker = hub.marker(roomId);
      const firstStatus = await engine.status(roomId, ticketId);
      const first = JSON.stringify(await present(firstStatus));
      reply.hijack();
      const raw = reply.raw;
      // The headers set so far (security headers, the request id) go out with the stream's head.
      raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      raw.write(`retry: 3000\n${statusEvent(first)}`);
      const stream = {
        roomId,
        ticketId,
        write: (text: string) => {
          if (raw.destroyed || raw.writableEnded) return false;
          raw.write(text);
          return true;
        },
        end: () => {
          if (!raw.writableEnded) raw.end();
        },
      };
      hub.add(stream, first, firstStatus, marker);
      raw.on('close', () => hub.remove(stream));
    },
  );

  app.delete(
    '/api/rooms/:roomId/tickets/me',
    {
      schema: {
        tags: ['shopper'],
        summary: 'Leave the line (or give up an admission)',
        security: bearer,
        params: RoomIdParams,
        response: { 204: Type.Null(), ...errors(401, 404) },
      },
    },
    async (request, reply) => {
      const { roomId, ticketId } = ticketOf(request);
      await engine.leave(roomId, ticketId);
      return reply.code(204).send(null);
    },
  );
}

const IGNORED_COOKIE_ERRORS = new Set(['INVALID_TOKEN', 'TOKEN_EXPIRED', 'NOT_FOUND']);

/** A join takes no body, or a JSON object with at most `altcha` (a solved challenge); returns that. */
function checkJoinBody(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'object' || Array.isArray(body))
    throw new InvalidRequestError('body must be an object');
  const { altcha, ...rest } = body as Record<string, unknown>;
  const [field] = Object.keys(rest);
  if (field !== undefined) throw new InvalidRequestError(`body has an unknown field '${field}'`);
  if (altcha !== undefined && typeof altcha !== 'string')
    throw new InvalidRequestError('body/altcha must be string');
  return altcha;
}
