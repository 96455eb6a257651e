import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { guardedControl, protectOperatorRoutes } from '../plugins/operator-routes.js';
import { AuditListQuery, AuditPageBody } from '../schemas/audit.js';
import { errors } from '../schemas/common.js';

/** The audit log for the dashboard: who changed what, and when. Any operator may read it. */
export async function adminAuditRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const control = guardedControl(app);
  protectOperatorRoutes(app);

  app.get(
    '/api/admin/audit',
    {
      schema: {
        tags: ['operator'],
        summary: 'The changes operators made, newest first, a page at a time',
        description:
          'Who (ADMIN_TOKEN, an operator key or the command line), what (the action and a summary free of ' +
          'personal data), when, in which room, under which request id.',
        security: [{ operator: [] }],
        querystring: AuditListQuery,
        response: { 200: AuditPageBody, ...errors(400, 401, 503) },
      },
    },
    async (request) => {
      const { roomId, limit, cursor } = request.query;
      return control.listAudit({ limit, roomId: roomId ?? null, cursor: cursor ?? null });
    },
  );
}
