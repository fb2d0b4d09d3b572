// @openai/agents (OpenAI Agents SDK for JS): run(agent, input, { stream: true, signal })
// with an OpenAIResponsesModel on a client pointing at the local server. Tracing is off.
import OpenAI from 'openai';
import { Agent, OpenAIResponsesModel, run, setTracingDisabled, tool } from '@openai/agents';
import { z } from 'zod';
import { toolSpecs, zodSchemaOf } from '../lib/workload.mjs';

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

/** The tools of a T-tool agent (lib/workload.mjs), defined once per size as an application would. */
const toolSets = new Map();
function toolsFor(count) {
  let set = toolSets.get(count);
  if (!set) {
    set = toolSpecs(count).map((spec, i) =>
      i === 0 ? lookup : tool({ name: spec.name, description: spec.description, parameters: zodSchemaOf(z, spec), execute: async () => 'none' }),
    );
    toolSets.set(count, set);
  }
  return set;
}

/** One `openai` client per base URL, as an application keeps one. */
const clients = new Map();
function client(baseURL) {
  let c = clients.get(baseURL);
  if (!c) {
    c = new OpenAI({ baseURL, apiKey: 'bench', maxRetries: 0 });
    clients.set(baseURL, c);
  }
  return c;
}

/** A new agent for each run: `plain` (no tools, for text streams), `tools` (lookup, or toolCount tools), `wait` (a tool that awaits its signal). */
function agent(baseURL, kind, toolCount) {
  const tools = kind === 'plain' ? [] : kind === 'wait' ? [wait] : toolCount ? toolsFor(toolCount) : [lookup];
  return new Agent({ name: 'bench', model: new OpenAIResponsesModel(client(baseURL), 'bench'), tools });
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

export async function toolLoop({ baseURL, maxTurns, toolCount }) {
  const result = await run(agent(baseURL, 'tools', toolCount), 'Look things up.', { stream: true, maxTurns });
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
