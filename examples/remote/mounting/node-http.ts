import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { RunsHandler } from 'rxjs-agents/server';

// Node's http: the adapter makes the handler a request listener. Its routes match the end of the
// path, so the same server answers under /api/agents (or behind a proxy that adds a prefix).
export function nodeServer(handler: RunsHandler): Server {
  return createServer(getRequestListener(handler));
}
