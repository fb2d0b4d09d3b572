// The Vercel AI SDK: streamText with createOpenAI({ baseURL, apiKey }).responses('bench'),
// a tool, stopWhen: stepCountIs(…), abortSignal. `store: false` keeps history on the
// client as the other contenders do (with store the SDK sends item references instead).
import { createOpenAI } from '@ai-sdk/openai';
import { stepCountIs, streamText as aiStreamText, tool } from 'ai';
import { z } from 'zod';
import { toolSpecs, zodSchemaOf } from '../lib/workload.mjs';

globalThis.AI_SDK_LOG_WARNINGS = false;

export const cancelVias = ['abort'];

const providerOptions = { openai: { store: false } };

const lookup = tool({
  description: 'Looks a key up.',
  inputSchema: z.object({ key: z.string() }),
  execute: async ({ key }) => ({ value: key }),
});

/** One provider (client) per base URL, as an application keeps one; a model object per call, like the others' new agent per run. */
const providers = new Map();
function model(baseURL) {
  let p = providers.get(baseURL);
  if (!p) {
    p = createOpenAI({ baseURL, apiKey: 'bench' });
    providers.set(baseURL, p);
  }
  return p.responses('bench');
}

export async function streamText({ baseURL }) {
  const result = aiStreamText({ model: model(baseURL), prompt: 'Say something long.', maxRetries: 0, providerOptions });
  let deltas = 0;
  for await (const part of result.fullStream) {
    if (part.type === 'text-delta') deltas++;
    else if (part.type === 'error') throw part.error;
  }
  return { deltas, text: await result.text };
}

export function startSlow({ baseURL, onDelta }) {
  const controller = new AbortController();
  const done = (async () => {
    try {
      const result = aiStreamText({
        model: model(baseURL),
        prompt: 'Say something slowly.',
        maxRetries: 0,
        providerOptions,
        abortSignal: controller.signal,
      });
      for await (const part of result.fullStream) {
        if (part.type === 'text-delta') onDelta?.();
        else if (part.type === 'error') throw part.error;
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  return { cancel: () => controller.abort(), done };
}

/** The tools of a T-tool call (lib/workload.mjs), defined once per size as an application would. */
const toolSets = new Map();
function toolsFor(count) {
  let set = toolSets.get(count);
  if (!set) {
    set = Object.fromEntries(
      toolSpecs(count).map((spec, i) => [
        spec.name,
        i === 0 ? lookup : tool({ description: spec.description, inputSchema: zodSchemaOf(z, spec), execute: async () => ({ value: 'none' }) }),
      ]),
    );
    toolSets.set(count, set);
  }
  return set;
}

export async function toolLoop({ baseURL, maxTurns, toolCount }) {
  const result = aiStreamText({
    model: model(baseURL),
    prompt: 'Look things up.',
    tools: toolCount ? toolsFor(toolCount) : { lookup },
    stopWhen: stepCountIs(maxTurns),
    maxRetries: 0,
    providerOptions,
  });
  let toolCalls = 0;
  for await (const part of result.fullStream) {
    if (part.type === 'tool-result') toolCalls++;
    else if (part.type === 'error' || part.type === 'tool-error') throw part.error;
  }
  return { toolCalls, text: await result.text };
}

export function startToolWait({ baseURL, onToolStart }) {
  const controller = new AbortController();
  const wait = tool({
    description: 'Looks a key up.',
    inputSchema: z.object({ key: z.string() }),
    execute: (_args, { abortSignal }) =>
      new Promise((resolve) => {
        abortSignal?.addEventListener('abort', () => resolve({ aborted: true }), { once: true });
        onToolStart(abortSignal);
      }),
  });
  const done = (async () => {
    try {
      const result = aiStreamText({
        model: model(baseURL),
        prompt: 'Look things up.',
        tools: { lookup: wait },
        stopWhen: stepCountIs(3),
        maxRetries: 0,
        providerOptions,
        abortSignal: controller.signal,
      });
      for await (const part of result.fullStream) {
        if (part.type === 'error') throw part.error;
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  return { cancel: () => controller.abort(), done };
}
