import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errors, RoomIdParams } from '../schemas/common.js';
import { PublishedDrawBody } from '../schemas/lottery.js';

/**
 * The published draw of a lottery room: what anyone needs to check that the order was not
 * chosen by hand (`npm run lottery-verify`, docs/SECURITY.md).
 */
export async function lotteryRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { engine } = app.waitroom;

  app.get(
    '/api/rooms/:roomId/lottery',
    {
      schema: {
        tags: ['shopper'],
        summary: "A lottery room's draw: the seed, its commitment, the pre-queue drawn and the order",
        description:
          'Anyone can check it: SHA-256(seed) must equal the commitment published (GET /api/rooms/{roomId}) ' +
          'before anyone could join, and `order` must be `ticketIds` sorted by SHA-256(seed + ":" + ticketId). ' +
          '409 LOTTERY_NOT_DRAWN until the room has opened and drawn its pre-queue (the seed is secret ' +
          'until then); 404 NOT_FOUND for a room that is not a lottery.',
        params: RoomIdParams,
        response: { 200: PublishedDrawBody, ...errors(404, 409) },
      },
    },
    async (request) => engine.publishedDraw(request.params.roomId),
  );
}
