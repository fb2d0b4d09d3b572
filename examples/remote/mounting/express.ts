import { getRequestListener } from '@hono/node-server';
import express from 'express';
import type { RunsHandler } from 'rxjs-agents/server';

// Express (also the server.ts of an Angular SSR app): mount the handler before any body parser,
// since it reads and limits request bodies itself.
export function expressApp(handler: RunsHandler): express.Express {
  const app = express();
  app.use('/api/agents', getRequestListener(handler));
  return app;
}
