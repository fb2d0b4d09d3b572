import { Hono } from 'hono';
import type { RunsHandler } from 'rxjs-agents/server';

// Hono (on Node through @hono/node-server's serve(); also Bun, Deno, workers): hand over the raw Request.
export function honoApp(handler: RunsHandler): Hono {
  const app = new Hono();
  app.all('/api/agents/*', (c) => handler(c.req.raw));
  return app;
}
