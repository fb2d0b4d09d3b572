/**
 * The example app with its agent on a server: serves the built app and mounts
 * `serveRuns` under `/api`, so the page at `/?remote=/api` runs nothing but the UI.
 *
 *   npm run example:angular:build && npm run example:angular:server
 *   then open http://127.0.0.1:4300/?remote=/api
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { MemorySession, type Session } from 'rxjs-agents';
import { serveRuns, type RunsHandler } from 'rxjs-agents/server';
import { agent } from './src/app/agent.js';

/** A Node request listener for the app and its runs, and the runs handler inside it. */
export interface ChatServer {
  readonly listener: (req: IncomingMessage, res: ServerResponse) => void;
  readonly handler: RunsHandler;
}

export function chatServer(root = fileURLToPath(new URL('./dist/browser', import.meta.url))): ChatServer {
  const conversations = new Map<string, Session>();
  const handler = serveRuns({
    agents: { assistant: agent },
    // Each page's conversation, kept in memory (a RedisSession survives restarts and spans nodes).
    session: (id, identity) => {
      const key = `${identity}/${id}`;
      if (!conversations.has(key)) conversations.set(key, new MemorySession(key));
      return conversations.get(key)!;
    },
  });
  const app = new Hono();
  app.all('/api/*', (c) => handler(c.req.raw));
  app.use('/*', serveStatic({ root }));
  app.get('*', serveStatic({ root, path: 'index.html' }));
  return { listener: getRequestListener(app.fetch), handler };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env['PORT'] ?? 4300);
  createServer(chatServer().listener).listen(port, '127.0.0.1', () => console.log(`http://127.0.0.1:${port}/?remote=/api`));
}
