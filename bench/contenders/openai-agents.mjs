// @openai/agents (OpenAI Agents SDK for JS): run(agent, input, { stream: true, signal })
// with an OpenAIResponsesModel on a client pointing at the local server. Tracing is off.
import OpenAI from 'openai';
import { Agent, OpenAIResponsesModel, run, setTracingDisabled, tool } from '@openai/agents';
import { z } from 'zod';

setTracingDisabled(true);

export const cancelVias = ['abort'];

const lookup = tool({
  name: 'lookup',
  description: 'Looks a key up.',
  parameters: z.object({ key: z.string() }),
  execute: async ({ key }) => JSON.stringify({ value: key }),
});

const wait = tool({
  name: 'lookup',
  description: 'Looks a key up.',
  parameters: z.object({ key: z.string() }),
  execute: (_args, runContext, details) =>
    new Promise((resolve) => {
      const signal = details?.signal;
      signal?.addEventListener('abort', () => resolve('aborted'), { once: true });
      runContext.context.onToolStart(signal);
    }),
});

/** Agents per base URL and kind: `plain` (no tools, for text streams), `tools` (lookup), `wait` (a tool that awaits its signal). */
const agents = new Map();
function agent(baseURL, kind) {
  const key = `${kind}:${baseURL}`;
  let a = agents.get(key);
  if (!a) {
    const client = new OpenAI({ baseURL, apiKey: 'bench', maxRetries: 0 });
    const tools = kind === 'plain' ? [] : [kind === 'wait' ? wait : lookup];
    a = new Agent({ name: 'bench', model: new OpenAIResponsesModel(client, 'bench'), tools });
    agents.set(key, a);
  }
  return a;
}

export async function streamText({ baseURL }) {
  const result = await run(agent(baseURL, 'plain'), 'Say something long.', { stream: true });
  let deltas = 0;
  for await (const event of result) {
    if (event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta') deltas++;
  }
  await result.completed;
  return { deltas, text: result.finalOutput };
}

export function startSlow({ baseURL, onDelta }) {
  const controller = new AbortController();
  const done = (async () => {
    try {
      const result = await run(agent(baseURL, 'plain'), 'Say something slowly.', { stream: true, signal: controller.signal });
      for await (const event of result) {
        if (event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta') onDelta?.();
      }
      await result.completed;
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  return { cancel: () => controller.abort(), done };
}

export async function toolLoop({ baseURL, maxTurns }) {
  const result = await run(agent(baseURL, 'tools'), 'Look things up.', { stream: true, maxTurns });
  let toolCalls = 0;
  for await (const event of result) {
    if (event.type === 'run_item_stream_event' && event.item.type === 'tool_call_output_item') toolCalls++;
  }
  await result.completed;
  return { toolCalls, text: result.finalOutput };
}

export function startToolWait({ baseURL, onToolStart }) {
  const controller = new AbortController();
  const done = (async () => {
    try {
      const result = await run(agent(baseURL, 'wait'), 'Look things up.', {
        stream: true,
        maxTurns: 3,
        signal: controller.signal,
        context: { onToolStart },
      });
      for await (const _event of result);
      await result.completed;
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  return { cancel: () => controller.abort(), done };
}
