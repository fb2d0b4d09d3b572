import { catchError, concat, defer, EMPTY, finalize, ignoreElements, Observable, of, takeUntil, tap } from 'rxjs';
import type { Agent } from '../agent/agent.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { RunInput } from '../items/input-item.js';
import { toInputItems } from '../items/to-input-items.js';
import { alongside } from './alongside.js';
import { cancellations } from './cancel-request.js';
import { finishRun } from './finish-run.js';
import type { RunOptions } from './run-options.js';
import { RunState } from './run-state.js';
import { runAgent } from './run-agent.js';
import { createRunTracing } from '../tracing/create-run-tracing.js';

/**
 * The run loop behind `run` (see `lib/run.ts`, which adds the default model provider).
 * Cold: nothing happens until subscribe; unsubscribing stops everything it started.
 */
export function run<TContext, TOutput>(
  agent: Agent<TContext, TOutput>,
  input: RunInput,
  options: RunOptions<TContext> = {},
): Observable<StreamEvent<TOutput>> {
  return defer(() => {
    const state = new RunState<TContext>(agent as Agent<TContext, unknown>, toInputItems(input), options);
    state.tracing = createRunTracing({ ...options, conversationId: options.session?.id }, () => state.reason ?? state.stopReason);

    // Immediate cancels stop the body; after-turn cancels are noted for the turn loop.
    const cancelNow$ = new Observable<void>((subscriber) =>
      cancellations(options.cancel$, options.signal).subscribe({
        next: (cancel) => {
          if (cancel.mode === 'after_turn') {
            state.stopAfterTurn ??= cancel.reason;
            return;
          }
          state.end('cancelled', { reason: cancel.reason });
          subscriber.next();
        },
        // A broken control stream fails the run rather than leaving it uncancellable.
        error: (error: unknown) => subscriber.error(error),
      }),
    );
    const injections$ = options.inject$?.pipe(tap((input) => state.injections.push(input)), ignoreElements());
    const approvals$ = options.approvals$?.pipe(tap((decision) => state.approvals.decide(decision)), ignoreElements());

    const body$ = concat(
      loadHistory(state),
      runAgent(state),
    ).pipe(
      alongside(injections$),
      alongside(approvals$),
      takeUntil(cancelNow$),
      catchError((error: unknown) => {
        state.end('failed', { error: error instanceof Error ? error : new Error(String(error)) });
        return EMPTY;
      }),
    );

    return concat(of<StreamEvent<unknown>>({ type: 'run.updated', status: 'running' }), body$, finishRun(state)).pipe(
      state.tracing.run(state.agent as never),
      // Unsubscribed mid-run: nothing more is delivered, but the session is still written.
      finalize<StreamEvent<unknown>>(() => void state.persist().catch(() => undefined)),
    ) as Observable<StreamEvent<TOutput>>;
  });
}

/** Reads the session's history, if there is a session (synchronously skipped otherwise). */
function loadHistory<TContext>(state: RunState<TContext>): Observable<never> {
  const session = state.options.session;
  if (!session) return EMPTY;
  return defer(() => session.getItems()).pipe(
    tap((items) => (state.past = items)),
    ignoreElements(),
  );
}
