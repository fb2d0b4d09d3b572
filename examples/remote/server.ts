// A run on the server, an Observable in the browser: offline, on a ScriptedModel.
//
//   npx tsx examples/remote/server.ts     then open http://127.0.0.1:3000
//
// Ask, watch the answer stream, press Stop (the run is cancelled on the server),
// say more while it answers (it joins the next turn), reload the page mid-answer
// (the page attaches to the same run again). Ask to "delete" something for an approval.
import { createServer } from 'node:http';
import { assistant } from './agent.js';
import { exampleApp } from './app.js';

const { listener, handler } = await exampleApp({ agents: { assistant } });
const port = Number(process.env['PORT'] ?? 3000);
const server = createServer(listener).listen(port, '127.0.0.1', () => console.log(`Open http://127.0.0.1:${port}`));

process.once('SIGINT', () => {
  void handler.close().then(() => server.close());
  server.closeAllConnections();
});
