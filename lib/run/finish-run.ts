import { concat, defer, EMPTY, from, ignoreElements, type Observable, of, throwError, catchError } from 'rxjs';
import type { StreamEvent } from '../events/stream-event.js';
import type { RunState } from './run-state.js';

/**
 * The end of every run that was not unsubscribed: pair open tool calls, write the
 * session, then the one terminal `run.updated`. A failed run errors after it.
 */
export function finishRun<TContext>(state: RunState<TContext>): Observable<StreamEvent<unknown>> {
  return defer(() => {
    if (!state.status) state.end('failed', { error: new Error('The run ended without an outcome.') });
    const paired = state.pairOpenCalls().map((item): StreamEvent<unknown> => ({ type: 'item.created', item }));
    // Without a session there is nothing to wait for, and the end stays synchronous.
    const persist$ = !state.options.session ? EMPTY : defer(() => from(state.persist())).pipe(
      ignoreElements(),
      catchError((error: unknown) => {
        // A run whose history could not be saved has lost something: say so.
        state.status = 'failed';
        state.error = error instanceof Error ? error : new Error(String(error));
        return EMPTY;
      }),
    );
    return concat(from(paired), persist$, defer(() => terminal(state)));
  });
}

function terminal<TContext>(state: RunState<TContext>): Observable<StreamEvent<unknown>> {
  const result = state.result();
  const event: StreamEvent<unknown> = {
    type: 'run.updated',
    status: result.status,
    ...(result.reason !== undefined ? { reason: result.reason } : {}),
    ...(result.error ? { error: result.error } : {}),
    result,
  };
  return result.status === 'failed' ? concat(of(event), throwError(() => result.error)) : of(event);
}
