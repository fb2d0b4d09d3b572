import { Observable } from 'rxjs';
import { callWithSignal } from '../util/call-with-signal.js';
import type { Context } from '@opentelemetry/api';
import type { NestedRunner, Tool, ToolContext } from './tool.js';

/** What the run tells a call about itself (see {@link ToolContext}). */
export interface ToolCallInfo<TContext> {
  readonly callId: string;
  readonly toolName: string;
  readonly agentName: string;
  readonly context: TContext;
  /** Asked when the call starts, inside its span. */
  readonly runNested?: (callId: string) => NestedRunner<TContext>;
  /** Asked when the call starts, inside its span. */
  readonly traceContext?: (callId: string) => Context | undefined;
}

/** What a running tool reports: progress values, then exactly one output. */
export type ToolExecution =
  | { readonly type: 'progress'; readonly value: unknown }
  | { readonly type: 'output'; readonly value: unknown };

/**
 * Runs a tool as a cold Observable. Unsubscribing before it settles aborts its
 * signal with `reason()`, calls `onCancel`, unsubscribes an Observable tool and
 * drops a Promise tool's late result: the run never waits for a tool. A throw
 * from `onCancel` goes to `onCancelFailed`.
 */
export function executeTool<TContext>(
  tool: Tool<TContext>,
  args: unknown,
  context: ToolCallInfo<TContext>,
  reason: () => unknown,
  onCancelFailed: (error: Error) => void,
): Observable<ToolExecution> {
  return new Observable<ToolExecution>((subscriber) => {
    let done = false;
    const progress = (value: unknown) => {
      if (!done && !subscriber.closed) subscriber.next({ type: 'progress', value });
    };
    let ctx!: ToolContext<TContext>;
    // Every value but the last is progress, so each is held back until the next one arrives.
    let last: unknown;
    let hasLast = false;
    return callWithSignal(
      (signal) => tool.execute(args, (ctx = toolContext(context, signal, progress))),
      reason,
      (why) => {
        // A throwing onCancel is reported and changes nothing else: the call is stopped anyway.
        try {
          tool.onCancel?.(ctx, why);
        } catch (error) {
          onCancelFailed(error instanceof Error ? error : new Error(String(error)));
        }
      },
    ).subscribe({
      next: (value) => {
        if (hasLast) subscriber.next({ type: 'progress', value: last });
        last = value;
        hasLast = true;
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => {
        done = true;
        subscriber.next({ type: 'output', value: hasLast ? last : undefined });
        subscriber.complete();
      },
    });
  });
}

/**
 * A call's {@link ToolContext}, made when it starts: what the run gives, the call's
 * progress reporter, and its signal, made only if the tool reads it (see `callWithSignal`).
 */
export function toolContext<TContext>(
  call: ToolCallInfo<TContext>,
  signal: () => AbortSignal,
  progress: (value: unknown) => void,
): ToolContext<TContext> {
  const { callId, toolName, agentName, context } = call;
  return {
    callId,
    toolName,
    agentName,
    context,
    runNested: call.runNested?.(callId),
    traceContext: call.traceContext?.(callId),
    progress,
    get signal() {
      return signal();
    },
  };
}
