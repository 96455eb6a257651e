// The ceiling: a bare Fastify 5 app with one route returning a constant JSON, logger off.
// It runs as plain compiled JavaScript under `node`, exactly like the real server, so that
// the only difference between the two measurements is the work the waiting room does.
import Fastify from 'fastify';

const app = Fastify({ logger: false });

app.get('/', async () => ({ hello: 'world' }));

const port = Number(process.env.PORT ?? 3100);
const host = process.env.HOST ?? '127.0.0.1';
await app.listen({ port, host });

process.once('SIGTERM', () => {
  app.close().then(() => process.exit(0));
});
