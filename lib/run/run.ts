import { catchError, concat, defer, EMPTY, finalize, ignoreElements, type Observable, of, takeUntil, tap } from 'rxjs';
import type { Agent } from '../agent/agent.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { RunInput } from '../items/input-item.js';
import { toInputItems } from '../items/to-input-items.js';
import { finishRun } from './finish-run.js';
import type { RunOptions } from './run-options.js';
import { RunState } from './run-state.js';
import { runAgent } from './run-agent.js';
import { runControls } from './run-controls.js';
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

    const controls$ = runControls(state);
    const agents$ = state.options.session ? concat(loadHistory(state), runAgent(state)) : runAgent(state);
    const body$ = (controls$ ? agents$.pipe(takeUntil(controls$)) : agents$).pipe(
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

/** Reads the session's history. */
function loadHistory<TContext>(state: RunState<TContext>): Observable<never> {
  const session = state.options.session!;
  return defer(() => session.getItems()).pipe(
    tap((items) => (state.past = items)),
    ignoreElements(),
  );
}
