// A run on the server, an Observable in the browser: offline, on a ScriptedModel.
//
//   npx tsx examples/remote/server.ts     then open http://127.0.0.1:3000
//
// Ask, watch the answer stream, press Stop (the run is cancelled on the server),
// say more while it answers (it joins the next turn), reload the page mid-answer
// (the page attaches to the same run again). Ask to "delete" something for an approval.
import { createServer } from 'node:http';
import { z } from 'zod';
import { Agent, type ModelRequest, ScriptedModel, tool } from '../../lib/index.js';
import { exampleApp } from './app.js';

const deleteFile = tool({
  name: 'delete_file',
  description: 'Deletes a file',
  parameters: z.object({ path: z.string() }),
  needsApproval: true,
  execute: ({ path }) => `deleted ${path}`,
});

/** What the user said last, to answer something that fits. */
function lastUserText(request: ModelRequest): string {
  const last = [...request.input].reverse().find((item) => 'role' in item && item.role === 'user');
  return last && 'content' in last && typeof last.content === 'string' ? last.content : '';
}

const model = new ScriptedModel({
  delayMs: 120,
  turns: (request) => {
    const said = lastUserText(request);
    const answered = request.input.some((item) => item.type === 'function_call_output');
    if (/delete/i.test(said) && !answered) return { toolCalls: [{ name: 'delete_file', arguments: { path: '/tmp/example.txt' } }] };
    return {
      text: `You said: "${said}". Here is a long, slow answer so that you have time to press Stop, to say more, or to reload the page. ` +
        'Paris is the capital of France, on the Seine, known for its museums, its cafés and its bridges. '.repeat(3),
    };
  },
});

const assistant = new Agent({ name: 'Assistant', instructions: 'Be helpful.', model, tools: [deleteFile] });
const { listener, handler } = await exampleApp({ agents: { assistant } });
const port = Number(process.env['PORT'] ?? 3000);
const server = createServer(listener).listen(port, '127.0.0.1', () => console.log(`Open http://127.0.0.1:${port}`));

process.once('SIGINT', () => {
  void handler.close().then(() => server.close());
  server.closeAllConnections();
});
