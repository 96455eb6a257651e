import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { noteAudit, protectOperatorRoutes } from '../plugins/operator-routes.js';
import { errors, IdParams } from '../schemas/common.js';
import {
  AdmitBody,
  AdmitResultBody,
  CreateRoomBody,
  OperatorRoomBody,
  PatchRoomBody,
  RoomListBody,
  RoomSettingsBody,
  RoomStatsBody,
} from '../schemas/rooms.js';

const security = [{ operator: [] }];

/**
 * The operator's API: every call carries ADMIN_TOKEN or an operator key (a `read` key only
 * reads); every change is written to the audit log.
 */
export async function adminRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { engine } = app.waitroom;
  protectOperatorRoutes(app);

  app.post(
    '/api/admin/rooms',
    {
      config: { audit: 'room.create' },
      schema: {
        tags: ['operator'],
        summary: 'Create a room; unset settings take their defaults',
        security,
        body: CreateRoomBody,
        response: { 201: RoomSettingsBody, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const room = await engine.createRoom(request.body);
      noteAudit(request, { roomId: room.id, details: { settings: request.body } });
      request.log.info({ roomId: room.id }, 'room created');
      return reply.code(201).send(room);
    },
  );

  app.get(
    '/api/admin/rooms',
    {
      schema: {
        tags: ['operator'],
        summary: 'Every room',
        security,
        response: { 200: RoomListBody, ...errors(401) },
      },
    },
    async () => ({ rooms: await engine.listRooms() }),
  );

  app.get(
    '/api/admin/rooms/:id',
    {
      schema: {
        tags: ['operator'],
        summary: "A room's settings, with a lottery room's commitment to its seed",
        description:
          '`lottery` is present for a lottery room: the commitment, and the seed once drawn. The seed ' +
          'is never shown before the draw, not even to the operator.',
        security,
        params: IdParams,
        response: { 200: OperatorRoomBody, ...errors(401, 404) },
      },
    },
    async (request) => engine.operatorRoom(request.params.id),
  );

  app.patch(
    '/api/admin/rooms/:id',
    {
      config: { audit: 'room.update' },
      schema: {
        tags: ['operator'],
        summary: 'Change any subset of the settings: rate, cap, opening, mode, open / pause / close',
        security,
        params: IdParams,
        body: PatchRoomBody,
        response: { 200: RoomSettingsBody, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const room = await engine.updateRoom(request.params.id, request.body);
      noteAudit(request, { details: { changed: request.body } });
      request.log.info({ roomId: room.id, changed: Object.keys(request.body) }, 'room updated');
      return room;
    },
  );

  app.post(
    '/api/admin/rooms/:id/admit',
    {
      config: { audit: 'room.admit' },
      schema: {
        tags: ['operator'],
        summary:
          'Admit the next `count` waiting tickets now, whatever the rate (also while paused), within maxActive',
        security,
        params: IdParams,
        body: AdmitBody,
        response: { 200: AdmitResultBody, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const admitted = await engine.admit(request.params.id, request.body.count);
      noteAudit(request, { details: { requested: request.body.count, admitted } });
      request.log.info(
        { roomId: request.params.id, requested: request.body.count, admitted },
        'manual admission',
      );
      return { admitted };
    },
  );

  app.get(
    '/api/admin/rooms/:id/stats',
    {
      schema: {
        tags: ['operator'],
        summary: "A room's live figures, with the accuracy of its wait estimates",
        security,
        params: IdParams,
        response: { 200: RoomStatsBody, ...errors(401, 404) },
      },
    },
    async (request) => engine.stats(request.params.id),
  );
}
