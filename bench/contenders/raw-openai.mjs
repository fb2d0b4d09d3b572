// The baseline: the official `openai` client used by hand, no agent library.
//
// Every contender module exports the same functions (see bench/child.mjs):
//   streamText({ baseURL })                          → { deltas, text }
//   startSlow({ baseURL, via, onDelta })             → { cancel(), done }
//   toolLoop({ baseURL, maxTurns })                  → { toolCalls, text }
//   startToolWait({ baseURL, via, onToolStart })     → { cancel(), done }
//   cancelVias                                       the ways it can be cancelled
// and, for the scaling curves (a contender may leave out what it cannot do; the
// sections that need it then list only the contenders that have it):
//   toolLoop({ baseURL, maxTurns, toolCount })       with toolCount tools on the agent (lib/workload.mjs)
//   startSlow({ baseURL, via, onDelta, history })    with a history of items before the new input
//   conversation({ baseURL, history })               → { turn() → Promise<final text> }: one turn each call
//   continuedConversation({ baseURL, history })      the same with previous_response_id: after its first
//                                                    turn, a request carries only the new message
//   serializeRequest({ history })                    (raw only) the request body as JSON, the unavoidable work
//   ownWorkConversation({ history })                 (rxjs-agents only) turns on a model that does nothing
import OpenAI from 'openai';
import { jsonSchemaOf, toolSpecs } from '../lib/workload.mjs';

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

/** The tool definitions of a T-tool agent, written once per size as an application would. */
const toolSets = new Map();
function toolsFor(count) {
  let set = toolSets.get(count);
  if (!set) {
    set = toolSpecs(count).map((spec) => ({ type: 'function', name: spec.name, description: spec.description, parameters: jsonSchemaOf(spec), strict: true }));
    toolSets.set(count, set);
  }
  return set;
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

export function startSlow({ baseURL, onDelta, history }) {
  const controller = new AbortController();
  const done = (async () => {
    try {
      const input = history ? [...history, { role: 'user', content: 'Say something slowly.' }] : 'Say something slowly.';
      const stream = await client(baseURL).responses.create(
        { model: 'bench', input, stream: true },
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
async function loop(baseURL, maxTurns, signal, runTool, toolSet = tools) {
  const input = [{ role: 'user', content: 'Look things up.' }];
  let toolCalls = 0;
  for (let turn = 0; turn < maxTurns; turn++) {
    const stream = await client(baseURL).responses.create({ model: 'bench', input, tools: toolSet, stream: true }, { signal });
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

export function toolLoop({ baseURL, maxTurns, toolCount }) {
  return loop(baseURL, maxTurns, undefined, lookup, toolCount ? toolsFor(toolCount) : tools);
}

/** A conversation kept in an array: each turn pushes the user's message, sends everything, pushes the answer. */
export function conversation({ baseURL, history }) {
  return {
    async turn() {
      history.push({ role: 'user', content: 'And now?' });
      const stream = await client(baseURL).responses.create({ model: 'bench', input: history, stream: true });
      let text = '';
      for await (const event of stream) {
        if (event.type === 'response.output_text.delta') text += event.delta;
        else if (event.type === 'response.output_item.done') history.push(event.item);
      }
      return text;
    },
  };
}

/**
 * A conversation continued with `previous_response_id` (responses stored on the server): the
 * first turn sends the whole history, every later one only the new message. The history is
 * still kept (an application shows it), by pushing onto the array.
 */
export function continuedConversation({ baseURL, history }) {
  let previous;
  return {
    async turn() {
      const message = { role: 'user', content: 'And now?' };
      history.push(message);
      const stream = await client(baseURL).responses.create({
        model: 'bench',
        input: previous === undefined ? history : [message],
        ...(previous === undefined ? {} : { previous_response_id: previous }),
        store: true,
        stream: true,
      });
      let text = '';
      for await (const event of stream) {
        if (event.type === 'response.output_text.delta') text += event.delta;
        else if (event.type === 'response.output_item.done') history.push(event.item);
        else if (event.type === 'response.completed') previous = event.response.id;
      }
      return text;
    },
  };
}

/** What any client must do with a history every turn: serialize the request body. */
export function serializeRequest({ history }) {
  return JSON.stringify({ model: 'bench', input: [...history, { role: 'user', content: 'And now?' }], stream: true }).length;
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
