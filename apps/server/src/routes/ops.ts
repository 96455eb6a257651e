import type {} from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { errorBody } from '../plugins/errors.js';

const READY_TIMEOUT_MS = 2000;

/** Health, readiness, metrics, the published keys and the API description. */
export async function opsRoutes(app: FastifyInstance, options: { registry: Registry }): Promise<void> {
  const { store, signingKeys, orders } = app.waitroom;
  const hide = { hide: true };

  app.get('/healthz', { schema: { tags: ['operations'], summary: 'The process lives' } }, async () => ({
    status: 'ok',
  }));

  app.get(
    '/readyz',
    { schema: { tags: ['operations'], summary: 'Its stores answer' } },
    async (_request, reply) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.all([store.ping(), orders.ping()]),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS);
          }),
        ]);
        return { status: 'ready', queueStore: store.kind, orderStore: orders.dialect };
      } catch {
        return reply
          .code(503)
          .send(errorBody('UNAVAILABLE', 'A store the server depends on is not answering'));
      } finally {
        clearTimeout(timer);
      }
    },
  );

  app.get(
    '/metrics',
    { schema: { tags: ['operations'], summary: 'Prometheus text' } },
    async (_request, reply) => {
      reply.type(options.registry.contentType);
      return options.registry.metrics();
    },
  );

  app.get(
    '/.well-known/jwks.json',
    { schema: { tags: ['operations'], summary: 'The public keys that verify admission tokens' } },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return signingKeys.jwks;
    },
  );

  app.get('/openapi.json', { schema: hide }, async () => app.swagger());
}
