// The baseline: the official `openai` client used by hand, no agent library.
//
// Every contender module exports the same functions (see bench/child.mjs):
//   streamText({ baseURL })                          → { deltas, text }
//   startSlow({ baseURL, via, onDelta })             → { cancel(), done }
//   toolLoop({ baseURL, maxTurns })                  → { toolCalls, text }
//   startToolWait({ baseURL, via, onToolStart })     → { cancel(), done }
//   cancelVias                                       the ways it can be cancelled
import OpenAI from 'openai';

export const cancelVias = ['abort'];

const clients = new Map();
function client(baseURL) {
  let c = clients.get(baseURL);
  if (!c) {
    c = new OpenAI({ baseURL, apiKey: 'bench', maxRetries: 0 });
    clients.set(baseURL, c);
  }
  return c;
}

const tools = [
  {
    type: 'function',
    name: 'lookup',
    description: 'Looks a key up.',
    parameters: { type: 'object', properties: { key: { type: 'string' } }, required: ['key'], additionalProperties: false },
    strict: true,
  },
];

function lookup({ key }) {
  return { value: key };
}

export async function streamText({ baseURL }) {
  const stream = await client(baseURL).responses.create({ model: 'bench', input: 'Say something long.', stream: true });
  let deltas = 0;
  let text = '';
  for await (const event of stream) {
    if (event.type === 'response.output_text.delta') {
      deltas++;
      text += event.delta;
    }
  }
  return { deltas, text };
}

export function startSlow({ baseURL, onDelta }) {
  const controller = new AbortController();
  const done = (async () => {
    try {
      const stream = await client(baseURL).responses.create(
        { model: 'bench', input: 'Say something slowly.', stream: true },
        { signal: controller.signal },
      );
      for await (const event of stream) if (event.type === 'response.output_text.delta') onDelta?.();
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  return { cancel: () => controller.abort(), done };
}

/** The agent loop written by hand: stream, collect function calls, run them, send outputs back. */
async function loop(baseURL, maxTurns, signal, runTool) {
  const input = [{ role: 'user', content: 'Look things up.' }];
  let toolCalls = 0;
  for (let turn = 0; turn < maxTurns; turn++) {
    const stream = await client(baseURL).responses.create({ model: 'bench', input, tools, stream: true }, { signal });
    const calls = [];
    let text = '';
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta;
      else if (event.type === 'response.output_item.done') {
        if (event.item.type === 'function_call') calls.push(event.item);
        else if (event.item.type === 'message') input.push(event.item);
      }
    }
    if (calls.length === 0) return { toolCalls, text };
    for (const call of calls) {
      input.push(call);
      const output = await runTool(JSON.parse(call.arguments));
      input.push({ type: 'function_call_output', call_id: call.call_id, output: JSON.stringify(output) });
      toolCalls++;
    }
  }
  throw new Error(`no final answer after ${maxTurns} turns`);
}

export function toolLoop({ baseURL, maxTurns }) {
  return loop(baseURL, maxTurns, undefined, lookup);
}

export function startToolWait({ baseURL, onToolStart }) {
  const controller = new AbortController();
  const signal = controller.signal;
  const wait = () =>
    new Promise((resolve) => {
      signal.addEventListener('abort', () => resolve({ aborted: true }), { once: true });
      onToolStart(signal);
    });
  const done = loop(baseURL, 3, signal, wait).catch((error) => {
    if (!signal.aborted) throw error;
  });
  return { cancel: () => controller.abort(), done };
}
