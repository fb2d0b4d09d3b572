// The example's server side: the page, its script, and the agents' API under /api.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { build } from 'esbuild';
import { serveRuns, type RunsHandler, type ServeRunsOptions } from '../../lib/server/index.js';

/** A Node request listener for the example, and the runs handler inside it. */
export interface ExampleApp {
  readonly listener: (req: IncomingMessage, res: ServerResponse) => void;
  readonly handler: RunsHandler;
}

/** Bundles the page's script (as a real app's build would) and mounts `serveRuns` under `/api`. */
export async function exampleApp(options: ServeRunsOptions): Promise<ExampleApp> {
  const html = readFileSync(fileURLToPath(new URL('./index.html', import.meta.url)), 'utf8');
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.text;
  const handler = serveRuns(options);
  const api = getRequestListener(handler);
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path?.startsWith('/api/')) return void api(req, res);
    if (path === '/' || path === '/index.html') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    if (path === '/page.js') return void res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
    res.writeHead(404).end();
  };
  return { listener, handler };
}
