// rxjs-agents, through its public API: run(agent, input, { cancel$, inject$, injectMode }),
// events consumed by subscribe. Loaded from the TypeScript source (node --import ../ts-loader.mjs).
//
// The model gets the same `openai` client class as the raw baseline (the benchmark's
// own `openai` dependency), so the ratio to raw measures the library, not a client version.
// rxjs comes from the repository root (bench/ does not depend on it), i.e. the
// library's own copy.
import OpenAI from 'openai';
import { Subject, type Subscription } from 'rxjs';
import { z } from 'zod';
import { Agent, run, tool, type StreamEvent } from '../../lib/index.ts';
import { OpenAIResponsesModel } from '../../lib/providers/openai/openai-responses-model.ts';

export const cancelVias = ['unsubscribe', 'cancel$'];

interface BenchContext {
  readonly onToolStart?: (signal: AbortSignal) => void;
}

const lookup = tool({
  name: 'lookup',
  description: 'Looks a key up.',
  parameters: z.object({ key: z.string() }),
  execute: ({ key }) => ({ value: key }),
});

const wait = tool({
  name: 'lookup',
  description: 'Looks a key up.',
  parameters: z.object({ key: z.string() }),
  execute: (_args, { signal, context }) =>
    new Promise<{ aborted: boolean }>((resolve) => {
      signal.addEventListener('abort', () => resolve({ aborted: true }), { once: true });
      (context as BenchContext).onToolStart?.(signal);
    }),
});

/** Agents per base URL and kind: `plain` (no tools, for text streams), `tools` (lookup), `wait` (a tool that awaits its signal). */
const agents = new Map<string, Agent<BenchContext>>();
function agent(baseURL: string, kind: 'plain' | 'tools' | 'wait'): Agent<BenchContext> {
  const key = `${kind}:${baseURL}`;
  let a = agents.get(key);
  if (!a) {
    const client = new OpenAI({ baseURL, apiKey: 'bench', maxRetries: 0 });
    a = new Agent<BenchContext>({
      name: 'bench',
      model: new OpenAIResponsesModel({ client: client as never, model: 'bench' }),
      tools: kind === 'plain' ? [] : [kind === 'wait' ? wait : lookup],
    });
    agents.set(key, a);
  }
  return a;
}

/** Settles when the run completes; rejects when it errors. */
function settle(): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export function streamText({ baseURL }: { baseURL: string }): Promise<{ deltas: number; text: unknown }> {
  return new Promise((resolve, reject) => {
    let deltas = 0;
    let text: unknown;
    run(agent(baseURL, 'plain'), 'Say something long.').subscribe({
      next(event) {
        if (event.type === 'text.delta') deltas++;
        else if (event.type === 'run.updated' && event.result) text = event.result.finalOutput;
      },
      error: reject,
      complete: () => resolve({ deltas, text }),
    });
  });
}

export function startSlow({ baseURL, via, onDelta }: { baseURL: string; via: string; onDelta?: () => void }) {
  const cancel$ = new Subject<string>();
  const { promise: done, resolve, reject } = settle();
  const subscription: Subscription = run(agent(baseURL, 'plain'), 'Say something slowly.', via === 'cancel$' ? { cancel$ } : {}).subscribe({
    next(event) {
      if (event.type === 'text.delta') onDelta?.();
    },
    error: reject,
    complete: resolve,
  });
  const cancel =
    via === 'cancel$'
      ? () => cancel$.next('bench')
      : () => {
          subscription.unsubscribe();
          resolve();
        };
  return { cancel, done };
}

export function toolLoop({ baseURL, maxTurns }: { baseURL: string; maxTurns: number }): Promise<{ toolCalls: number; text: unknown }> {
  return new Promise((resolve, reject) => {
    let toolCalls = 0;
    let text: unknown;
    run(agent(baseURL, 'tools'), 'Look things up.', { maxTurns }).subscribe({
      next(event) {
        if (event.type === 'item.created' && event.item.type === 'tool_output') toolCalls++;
        else if (event.type === 'run.updated' && event.result) text = event.result.finalOutput;
      },
      error: reject,
      complete: () => resolve({ toolCalls, text }),
    });
  });
}

export function startToolWait({ baseURL, via, onToolStart }: { baseURL: string; via: string; onToolStart: (signal: AbortSignal) => void }) {
  const cancel$ = new Subject<string>();
  const { promise: done, resolve, reject } = settle();
  const options = { maxTurns: 3, context: { onToolStart }, ...(via === 'cancel$' ? { cancel$ } : {}) };
  const subscription = run(agent(baseURL, 'wait'), 'Look things up.', options).subscribe({ error: reject, complete: resolve });
  const cancel =
    via === 'cancel$'
      ? () => cancel$.next('bench')
      : () => {
          subscription.unsubscribe();
          resolve();
        };
  return { cancel, done };
}

/**
 * One cancel cycle of the leak test. Kinds: `unsubscribe` and `cancel$` once the first
 * text delta arrived; `interrupt`: input injected (injectMode 'interrupt') at the first
 * delta, then a cancel at the restarted stream's first delta; `tool`: a cancel while a
 * tool awaits its signal (alternating unsubscribe and cancel$).
 */
export function cancelCycle({ origin, kind, i }: { origin: string; kind: string; i: number }): Promise<void> {
  const { promise, resolve, reject } = settle();
  const cancel$ = new Subject<string>();
  const inject$ = new Subject<string>();
  const byUnsubscribe = kind === 'unsubscribe' || (kind !== 'cancel$' && i % 2 === 0);
  let subscription: Subscription | undefined;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (byUnsubscribe) {
      subscription?.unsubscribe(); // (before subscribe() returned: see below)
      resolve();
    } else {
      cancel$.next('bench');
    }
  };
  let restarted = false;
  let injected = false;
  const next = (event: StreamEvent) => {
    if (kind === 'interrupt') {
      if (event.type === 'turn.interrupted') restarted = true;
      else if (event.type === 'text.delta') {
        if (restarted) stop();
        else if (!injected) {
          injected = true;
          inject$.next('Actually, something else.');
        }
      }
    } else if (event.type === 'text.delta') stop();
  };
  if (kind === 'tool') {
    const onToolStart = () => queueMicrotask(stop);
    subscription = run(agent(`${origin}/toolwait/v1`, 'wait'), 'Look things up.', { maxTurns: 3, context: { onToolStart }, cancel$ }).subscribe({
      error: reject,
      complete: resolve,
    });
  } else {
    const options = kind === 'interrupt' ? { cancel$, inject$, injectMode: 'interrupt' as const } : { cancel$ };
    subscription = run(agent(`${origin}/slow/10/-/v1`, 'plain'), 'Say something slowly.', options).subscribe({ next, error: reject, complete: resolve });
  }
  if (stopped && byUnsubscribe) subscription.unsubscribe();
  return promise;
}
