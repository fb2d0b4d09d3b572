// The example's agent: a ScriptedModel that answers slowly (time to press Stop, say more or
// reload), and asks for an approval when told to delete something. Offline: no key, no network.
import { z } from 'zod';
import { Agent, type ModelRequest, ScriptedModel, tool } from '../../lib/index.js';

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

/** The agent both example servers serve, as `assistant`. */
export const assistant = new Agent({ name: 'Assistant', instructions: 'Be helpful.', model, tools: [deleteFile] });
