import { isObservable, Observable, type Subscription } from 'rxjs';
import type { Tool, ToolContext } from './tool.js';

/** What a running tool reports: progress values, then exactly one output. */
export type ToolExecution =
  | { readonly type: 'progress'; readonly value: unknown }
  | { readonly type: 'output'; readonly value: unknown };

/**
 * Runs a tool as a cold Observable. Unsubscribing before it settles aborts its
 * signal with `reason()`, calls `onCancel`, unsubscribes an Observable tool and
 * drops a Promise tool's late result: the run never waits for a tool.
 */
export function executeTool<TContext>(
  tool: Tool<TContext>,
  args: unknown,
  context: Omit<ToolContext<TContext>, 'signal' | 'progress'>,
  reason: () => unknown,
): Observable<ToolExecution> {
  return new Observable<ToolExecution>((subscriber) => {
    const controller = new AbortController();
    let settled = false;
    const progress = (value: unknown) => {
      if (!settled && !subscriber.closed) subscriber.next({ type: 'progress', value });
    };
    const ctx: ToolContext<TContext> = { ...context, signal: controller.signal, progress };
    let inner: Subscription | undefined;
    const succeed = (value: unknown) => {
      settled = true;
      subscriber.next({ type: 'output', value });
      subscriber.complete();
    };
    const fail = (error: unknown) => {
      settled = true;
      subscriber.error(error);
    };

    try {
      const result = tool.execute(args, ctx);
      if (isObservable(result)) {
        // Every value but the last is progress, so each is held back until the next one arrives.
        let last: unknown;
        let hasLast = false;
        inner = result.subscribe({
          next: (value) => {
            if (hasLast) subscriber.next({ type: 'progress', value: last });
            last = value;
            hasLast = true;
          },
          error: fail,
          complete: () => succeed(hasLast ? last : undefined),
        });
      } else if (isPromiseLike(result)) {
        result.then(
          (value) => !subscriber.closed && succeed(value),
          (error: unknown) => !subscriber.closed && fail(error),
        );
      } else {
        succeed(result);
      }
    } catch (error) {
      fail(error);
    }

    return () => {
      inner?.unsubscribe();
      if (settled) return;
      const why = reason();
      controller.abort(why);
      tool.onCancel?.(ctx, why);
    };
  });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
