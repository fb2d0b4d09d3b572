import { asyncScheduler, catchError, concat, defer, EMPTY, from, merge, NEVER, type Observable, of, takeUntil, throwError, timer } from 'rxjs';
import { defaultSessionTimeoutMs } from './run-options.js';
import { AgentsError, SessionError } from '../errors/agents-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { RunState } from './run-state.js';

/**
 * The end of every run that was not unsubscribed: pair open tool calls, write
 * the rest of the history (again if input was injected meanwhile), release the
 * controls, then the one terminal `run.updated`. A failed run errors after it.
 *
 * A run stopped (cancelled, failed) while a write was pending waits for it at
 * most `cancelGraceMs` (or `sessionTimeoutMs` if shorter), and a further cancel
 * ends the wait at once: the run then fails with a {@link SessionError} saying
 * the write did not finish (the write itself goes on, and later runs on the
 * session wait for it). A run that completed waits for its last writes (each
 * within `sessionTimeoutMs`): a cancel that comes meanwhile came too late to
 * change how it ended, and must not cost it its history.
 */
export function finishRun<TContext>(state: RunState<TContext>, release: () => void): Observable<StreamEvent<unknown>> {
  return defer(() => {
    if (!state.outcome) state.settle({ status: 'failed', error: new AgentsError('The run ended without an outcome.') });
    const paired = state.pairOpenCalls().map((item): StreamEvent<unknown> => ({ type: 'item.created', item }));
    const writer = state.writer;
    const completed = state.outcome?.status === 'completed';
    // Stopped while a write was pending: give it a short grace, not the whole sessionTimeoutMs.
    const grace$ =
      writer?.busy && !completed
        ? timer(Math.min(state.options.sessionTimeoutMs ?? defaultSessionTimeoutMs, cancelGraceMs), state.options.scheduler ?? asyncScheduler)
        : EMPTY;
    const save$ = !writer
      ? EMPTY
      : saveAll(state).pipe(
          // Another stop while waiting ends the wait at once (not for a completed run: see above).
          takeUntil(completed ? NEVER : merge(state.stop$, grace$)),
          catchError((error: unknown) => {
            // A run whose history could not be saved has lost something: say so.
            failSave(state, error as SessionError);
            return EMPTY;
          }),
        );
    return concat(
      from(paired),
      save$,
      defer(() => {
        // The cancel came while the write was pending: it did not finish in time.
        if (writer?.busy) {
          failSave(state, new SessionError('addItems', state.options.session?.id, `did not finish before the run was stopped (${state.stopReason}).`));
        }
        release();
        return terminal(state);
      }),
    );
  });
}

/** Longest wait, after a stop, for a session write that was pending when the run stopped. */
export const cancelGraceMs = 250;

/** Writes everything, then again while injected input keeps arriving. */
function saveAll<TContext>(state: RunState<TContext>): Observable<never> {
  return defer(() => {
    const waiting = state.injections.size;
    return concat(
      state.writer!.write(state.history(true), true),
      defer(() => (state.injections.size > waiting ? saveAll(state) : EMPTY)),
    );
  });
}

function failSave<TContext>(state: RunState<TContext>, error: SessionError): void {
  const previous = state.outcome;
  state.outcome = { status: 'failed', error, ...(previous?.reason !== undefined ? { reason: previous.reason } : {}) };
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
