import type { Observable } from 'rxjs';
import type { InputItem, StreamEvent } from '../../lib/index.js';

/** Subscribes and gathers every event, and the error if the run failed. */
export function collect<T>(events$: Observable<StreamEvent<T>>): Promise<{ events: StreamEvent<T>[]; error?: unknown }> {
  return new Promise((resolve) => {
    const events: StreamEvent<T>[] = [];
    events$.subscribe({
      next: (e) => events.push(e),
      error: (error: unknown) => resolve({ events, error }),
      complete: () => resolve({ events }),
    });
  });
}

/** The `run.updated` statuses, in order. */
export function statuses<T>(events: readonly StreamEvent<T>[]): string[] {
  return events.flatMap((e) => (e.type === 'run.updated' ? [e.status] : []));
}

/** A short label for each event, for readable assertions. */
export function label<T>(e: StreamEvent<T>): string {
  switch (e.type) {
    case 'run.updated':
      return `run:${e.status}`;
    case 'agent.updated':
      return `agent:${e.agent}`;
    case 'text.delta':
      return `text:${e.delta}`;
    case 'reasoning.delta':
      return `reasoning:${e.delta}`;
    case 'item.created':
      return `item:${e.item.type}`;
    case 'tool.progress':
      return `progress:${String(e.value)}`;
    case 'model.event':
      return 'raw';
    case 'turn.interrupted':
      return 'interrupted';
    case 'guardrail.result':
      return `guardrail:${e.result.name}:${e.result.output.tripwireTriggered ? 'tripped' : 'passed'}`;
    case 'tool.approval_requested':
      return `approval:${e.toolName}`;
    case 'model.retry':
      return `retry:${e.attempt}`;
  }
}

/**
 * Checks the OpenAI pairing rule on a history: every function_call is followed
 * by exactly one function_call_output with its call_id, and no output is orphaned.
 */
export function expectPaired(items: readonly InputItem[]): void {
  const calls = new Map<string, number>();
  const outputs = new Map<string, number>();
  items.forEach((item, index) => {
    if (item.type === 'function_call') calls.set(item.call_id, index);
    if (item.type === 'function_call_output') {
      if (outputs.has(item.call_id)) throw new Error(`two outputs for ${item.call_id}`);
      outputs.set(item.call_id, index);
    }
  });
  for (const [id, at] of calls) {
    const out = outputs.get(id);
    if (out === undefined) throw new Error(`function_call ${id} has no output`);
    if (out < at) throw new Error(`output of ${id} comes before its call`);
  }
  for (const id of outputs.keys()) if (!calls.has(id)) throw new Error(`output ${id} has no call`);
}

/**
 * The events with each run of adjacent deltas of one kind and agent joined into one:
 * what stays the same however the deltas were grouped on the way (see `coalesceDeltas`).
 */
export function joinDeltas<E extends { readonly type: string }>(events: readonly E[]): E[] {
  const out: E[] = [];
  for (const e of events) {
    const last = out.at(-1) as (E & { delta?: unknown; agent?: unknown }) | undefined;
    const delta = e as E & { delta?: unknown; agent?: unknown };
    if ((e.type === 'text.delta' || e.type === 'reasoning.delta') && last?.type === e.type && last.agent === delta.agent) {
      out[out.length - 1] = { ...last, delta: String(last.delta) + String(delta.delta) };
    } else out.push(e);
  }
  return out;
}
