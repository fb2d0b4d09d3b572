import { getRequestListener } from '@hono/node-server';
import Fastify, { type FastifyInstance } from 'fastify';
import type { RunsHandler } from 'rxjs-agents/server';

// Fastify: in a scope of its own, leave bodies unread and hand the raw request and response
// to the adapter (hijack: Fastify sends nothing itself).
export function fastifyApp(handler: RunsHandler): FastifyInstance {
  const app = Fastify();
  const listener = getRequestListener(handler);
  void app.register(async (runs) => {
    runs.removeAllContentTypeParsers();
    runs.addContentTypeParser('*', (_request, _payload, done) => done(null));
    runs.all('/api/agents/*', (request, reply) => {
      reply.hijack();
      void listener(request.raw, reply.raw);
    });
  });
  return app;
}
