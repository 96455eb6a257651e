import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where `npm run build` puts the web app (apps/web/dist), seen from src/ or dist/ alike. */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export interface PagesOptions {
  /** The built web app: shopper.html, admin.html and assets/. */
  webDir: string;
}

const NOT_BUILT =
  'The web pages are not built yet. Run `npm run build` (or `npm start`, which builds first), then start the server again.\n';

/**
 * The shopper's pages at /rooms/:roomId and the operator's dashboard at /admin, from the
 * files Vite built: the two HTML pages are never cached (each names its hashed assets),
 * the hashed assets are cached for a year. Without a build the server still starts and
 * says at those addresses how to build them. API routes are registered apart and keep
 * priority; an unknown path, assets included, stays a JSON 404.
 */
export async function pageRoutes(app: FastifyInstance, options: PagesOptions): Promise<void> {
  const { webDir } = options;
  const built = existsSync(join(webDir, 'shopper.html')) && existsSync(join(webDir, 'admin.html'));

  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/rooms/demo'));

  if (!built) {
    app.addHook('onReady', async () => {
      app.log.warn({ webDir }, 'the web pages are not built: /rooms/* and /admin answer 503 until they are');
    });
    const notBuilt = async (_request: unknown, reply: FastifyReply) =>
      reply.code(503).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(NOT_BUILT);
    app.get('/rooms/:roomId', { schema: { hide: true } }, notBuilt);
    app.get('/admin', { schema: { hide: true } }, notBuilt);
    app.get('/admin/*', { schema: { hide: true } }, notBuilt);
    return;
  }

  await app.register(fastifyStatic, {
    root: join(webDir, 'assets'),
    prefix: '/assets/',
    // Vite names every asset by a hash of its content: a name never changes meaning.
    immutable: true,
    maxAge: '365d',
    index: false,
    redirect: false,
    schemaHide: true,
  });

  const page = (file: 'shopper.html' | 'admin.html') => async (_request: unknown, reply: FastifyReply) => {
    // The security headers every response has (http-hardening.ts) cover the pages: their
    // policy allows only this origin's own scripts and styles, and they need no more.
    reply.header('cache-control', 'no-cache');
    return reply.type('text/html; charset=utf-8').sendFile(file, webDir, { cacheControl: false });
  };
  app.get('/rooms/:roomId', { schema: { hide: true } }, page('shopper.html'));
  app.get('/admin', { schema: { hide: true } }, page('admin.html'));
  app.get('/admin/*', { schema: { hide: true } }, page('admin.html'));
}
