// The server.ts of an Angular SSR app (`ng new --ssr`), with the runs mounted beside Angular's engine.
// (This example app renders in the browser only; the file is type-checked by `npm run typecheck`.)
import { join } from 'node:path';
import { AngularNodeAppEngine, createNodeRequestHandler, isMainModule, writeResponseToNodeResponse } from '@angular/ssr/node';
import { getRequestListener } from '@hono/node-server';
import express from 'express';
import { serveRuns } from 'rxjs-agents/server';
import { agent } from './src/app/agent';

const app = express();
const angularApp = new AngularNodeAppEngine();

// First, before any body parser: the runs, as in a plain Express server.
app.use('/api/agents', getRequestListener(serveRuns({ agents: { assistant: agent } })));

app.use(express.static(join(import.meta.dirname, '../browser'), { maxAge: '1y', index: false, redirect: false }));
app.use((req, res, next) => {
  angularApp
    .handle(req)
    .then((response) => (response ? writeResponseToNodeResponse(response, res) : next()))
    .catch(next);
});

if (isMainModule(import.meta.url)) app.listen(Number(process.env['PORT'] ?? 4000));

export const reqHandler = createNodeRequestHandler(app);
