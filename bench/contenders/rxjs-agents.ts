// rxjs-agents, through its public API: run(agent, input, { cancel$, inject$, injectMode }),
// events consumed by subscribe. Loaded from the TypeScript source (node --import ../ts-loader.mjs).
//
// The model gets the same `openai` client class as the raw baseline (the benchmark's
// own `openai` dependency), so the ratio to raw measures the library, not a client version.
// rxjs comes from the repository root (bench/ does not depend on it), i.e. the
// library's own copy.
//
// A new Agent per run, as applications create them (and as the peers' contenders do);
// tools and the `openai` client are made once.
import OpenAI from 'openai';
import { Observable, Subject, type Subscription } from 'rxjs';
import { z } from 'zod';
import { Agent, MemorySession, run, tool, type InputItem, type Model, type ModelEvent, type StreamEvent, type Tool } from '../../lib/index.ts';
import { OpenAIResponsesModel } from '../../lib/openai/index.ts';
import { toolSpecs, zodSchemaOf } from '../lib/workload.mjs';

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

/** The tools of a T-tool agent (lib/workload.mjs), defined once per size as an application would. */
const toolSets = new Map<number, Tool<BenchContext>[]>();
function toolsFor(count: number): Tool<BenchContext>[] {
  let set = toolSets.get(count);
  if (!set) {
    set = toolSpecs(count).map((spec, i) =>
      i === 0
        ? lookup
        : tool({ name: spec.name, description: spec.description, parameters: zodSchemaOf(z, spec), execute: () => ({ value: 'none' }) }),
    );
    toolSets.set(count, set);
  }
  return set;
}

/** One `openai` client per base URL, as an application keeps one. */
const clients = new Map<string, OpenAI>();
function client(baseURL: string): OpenAI {
  let c = clients.get(baseURL);
  if (!c) {
    c = new OpenAI({ baseURL, apiKey: 'bench', maxRetries: 0 });
    clients.set(baseURL, c);
  }
  return c;
}

/** A new agent for each run: `plain` (no tools, for text streams), `tools` (lookup, or toolCount tools), `wait` (a tool that awaits its signal). */
function agent(baseURL: string, kind: 'plain' | 'tools' | 'wait', toolCount?: number): Agent<BenchContext> {
  return new Agent<BenchContext>({
    name: 'bench',
    model: new OpenAIResponsesModel({ client: client(baseURL) as never, model: 'bench' }),
    tools: kind === 'plain' ? [] : kind === 'wait' ? [wait] : toolCount ? toolsFor(toolCount) : [lookup],
  });
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

export function startSlow({ baseURL, via, onDelta, history }: { baseURL: string; via: string; onDelta?: () => void; history?: readonly InputItem[] }) {
  // Only what the cancel route needs: a Subject for `cancel$`, nothing for unsubscribe (as the raw client has only its AbortController).
  const cancel$ = via === 'cancel$' ? new Subject<string>() : undefined;
  const { promise: done, resolve, reject } = settle();
  const options = { ...(cancel$ ? { cancel$ } : {}), ...(history ? { session: new MemorySession(undefined, history) } : {}) };
  const subscription: Subscription = run(agent(baseURL, 'plain'), 'Say something slowly.', options).subscribe({
    next(event) {
      if (event.type === 'text.delta') onDelta?.();
    },
    error: reject,
    complete: resolve,
  });
  const cancel = cancel$
    ? () => cancel$.next('bench')
    : () => {
        subscription.unsubscribe();
        resolve();
      };
  return { cancel, done };
}

export function toolLoop({ baseURL, maxTurns, toolCount }: { baseURL: string; maxTurns: number; toolCount?: number }): Promise<{ toolCalls: number; text: unknown }> {
  return new Promise((resolve, reject) => {
    let toolCalls = 0;
    let text: unknown;
    run(agent(baseURL, 'tools', toolCount), 'Look things up.', { maxTurns }).subscribe({
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

/** One turn of a conversation kept in a MemorySession: a new agent, the user's message, the answer. */
function conversationOn(makeAgent: () => Agent<BenchContext>, history: readonly InputItem[]) {
  const session = new MemorySession(undefined, history);
  return {
    turn(): Promise<unknown> {
      return new Promise((resolve, reject) => {
        let text: unknown;
        run(makeAgent(), 'And now?', { session }).subscribe({
          next(event) {
            if (event.type === 'run.updated' && event.result) text = event.result.finalOutput;
          },
          error: reject,
          complete: () => resolve(text),
        });
      });
    },
  };
}

export function conversation({ baseURL, history }: { baseURL: string; history: readonly InputItem[] }) {
  return conversationOn(() => agent(baseURL, 'plain'), history);
}

/**
 * The same conversation with `continuation: 'previous_response_id'`: the model (kept for the
 * conversation, as it remembers what the server stored) sends only what is new since the last
 * stored response; a new agent each turn.
 */
export function continuedConversation({ baseURL, history }: { baseURL: string; history: readonly InputItem[] }) {
  const model = new OpenAIResponsesModel({ client: client(baseURL) as never, model: 'bench', continuation: 'previous_response_id' });
  return conversationOn(() => new Agent<BenchContext>({ name: 'bench', model }), history);
}

/**
 * A model that reads nothing and answers "ok" at once: what is left of a turn is the
 * library's own work (history, request building, events, session), with no HTTP client.
 */
export class NullModel implements Model {
  readonly provider = 'bench';
  readonly modelName = 'null';
  private n = 0;
  stream(): Observable<ModelEvent> {
    const n = ++this.n;
    return new Observable<ModelEvent>((subscriber) => {
      subscriber.next({ type: 'response.started', responseId: `resp_${n}` });
      subscriber.next({ type: 'text.delta', delta: 'ok' });
      subscriber.next({
        type: 'item.done',
        item: { type: 'message', role: 'assistant', id: `msg_${n}`, status: 'completed', content: [{ type: 'output_text', text: 'ok', annotations: [] }] },
      });
      subscriber.next({ type: 'response.completed', responseId: `resp_${n}`, usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } });
      subscriber.complete();
    });
  }
}

export function ownWorkConversation({ history }: { history: readonly InputItem[] }) {
  const model = new NullModel();
  return conversationOn(() => new Agent<BenchContext>({ name: 'bench', model }), history);
}
