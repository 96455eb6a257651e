import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompletionReportError, reportCompleted } from './report-completed.js';
import { deadUrl } from './testing/jwks.js';

const OPERATOR_KEY = 'operator-key-for-tests';

/** What the waiting room's endpoint is to do; a stub until the server has it. */
let stub: FastifyInstance;
let baseUrl: string;
const calls: { roomId: string; ticketId: string; authorization: string | undefined; body: unknown }[] = [];

beforeAll(async () => {
  stub = Fastify();
  stub.post<{ Params: { roomId: string; ticketId: string } }>(
    '/api/admin/rooms/:roomId/tickets/:ticketId/complete',
    async (request, reply) => {
      const { roomId, ticketId } = request.params;
      calls.push({ roomId, ticketId, authorization: request.headers.authorization, body: request.body });
      if (request.headers.authorization !== `Bearer ${OPERATOR_KEY}`) {
        return reply
          .code(401)
          .send({ error: { code: 'INVALID_TOKEN', message: 'The operator token is wrong' } });
      }
      if (ticketId === 'unknown') {
        return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'No such ticket' } });
      }
      if (ticketId === 'teapot') return reply.code(418).type('text/plain').send("I'm a teapot");
      return { ticketId, state: 'completed' };
    },
  );
  baseUrl = await stub.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await stub.close();
});

describe('reportCompleted', () => {
  it("POSTs to the room's ticket with the operator's bearer token and no body", async () => {
    calls.length = 0;
    await reportCompleted({
      baseUrl: `${baseUrl}/`,
      operatorKey: OPERATOR_KEY,
      roomId: 'sale',
      ticketId: 't-1',
    });
    expect(calls).toEqual([
      { roomId: 'sale', ticketId: 't-1', authorization: `Bearer ${OPERATOR_KEY}`, body: undefined },
    ]);
  });

  it('takes an admission as it is', async () => {
    calls.length = 0;
    const admission = {
      roomId: 'sale',
      ticketId: 't-2',
      tokenId: 't-2',
      admittedAt: new Date(),
      expiresAt: new Date(),
    };
    await reportCompleted({ baseUrl, operatorKey: OPERATOR_KEY, ...admission });
    expect(calls.map((c) => c.ticketId)).toEqual(['t-2']);
  });

  it('escapes the ids in the path', async () => {
    calls.length = 0;
    await reportCompleted({ baseUrl, operatorKey: OPERATOR_KEY, roomId: 'sale', ticketId: 'a/b?c' });
    expect(calls.map((c) => c.ticketId)).toEqual(['a/b?c']);
  });

  it("rejects with the waiting room's error code and status", async () => {
    const wrongKey = await reportCompleted({
      baseUrl,
      operatorKey: 'nope',
      roomId: 'sale',
      ticketId: 't-1',
    }).catch((e: unknown) => e);
    expect(wrongKey).toBeInstanceOf(CompletionReportError);
    expect(wrongKey).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
    expect((wrongKey as Error).message).not.toContain('nope');
    await expect(
      reportCompleted({ baseUrl, operatorKey: OPERATOR_KEY, roomId: 'sale', ticketId: 'unknown' }),
    ).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
    await expect(
      reportCompleted({ baseUrl, operatorKey: OPERATOR_KEY, roomId: 'sale', ticketId: 'teapot' }),
    ).rejects.toMatchObject({ status: 418, code: 'HTTP_418' });
  });

  it('rejects with NETWORK when the waiting room cannot be reached', async () => {
    const url = new URL(await deadUrl()).origin;
    await expect(
      reportCompleted({ baseUrl: url, operatorKey: OPERATOR_KEY, roomId: 'sale', ticketId: 't-1' }),
    ).rejects.toMatchObject({ status: undefined, code: 'NETWORK' });
  });
});
