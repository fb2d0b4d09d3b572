import { asyncScheduler, EMPTY, from, Observable, takeUntil, timer } from 'rxjs';
import { recovering, sequence } from '../util/sequence.js';
import { defaultSessionTimeoutMs } from './run-options.js';
import { AgentsError, SessionError } from '../errors/agents-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { RunState } from './run-state.js';
import { stoppable } from './stoppable.js';

/** What the run does just before its terminal event: release its controls, note that it finished. */
export interface RunEnding {
  ended(): void;
}

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
export function finishRun<TContext>(state: RunState<TContext>, ending: RunEnding): Observable<StreamEvent<unknown>> {
  // Steps made when their turn comes (see `sequence`): every run ends through here.
  return sequence(
    () => {
      if (!state.outcome) state.settle({ status: 'failed', error: new AgentsError('The run ended without an outcome.') });
      const paired = state.pairOpenCalls();
      return paired.length === 0 ? EMPTY : from(paired.map((item): StreamEvent<unknown> => ({ type: 'item.created', item })));
    },
    // A failure to save fails the run (its history could not be saved); the end goes on.
    recovering(() => saveRest(state), (error) => failSave(state, error as SessionError)),
    () => {
      // The cancel came while the write was pending: it did not finish in time.
      if (state.writer?.busy) {
        failSave(state, new SessionError('addItems', state.options.session?.id, `did not finish before the run was stopped (${state.stopReason}).`));
      }
      ending.ended();
      return terminal(state);
    },
  );
}

/** What is left of the history, written. */
function saveRest<TContext>(state: RunState<TContext>): Observable<never> {
  const writer = state.writer;
  if (!writer) return EMPTY;
  // A run that completed waits for its last writes (see above). A stopped one gives a write
  // that was already pending a short grace, and another stop while it waits ends the wait at once.
  const completed = state.outcome?.status === 'completed';
  const grace$ = writer.busy && !completed ? timer(Math.min(state.options.sessionTimeoutMs ?? defaultSessionTimeoutMs, cancelGraceMs), state.options.scheduler ?? asyncScheduler) : undefined;
  const saved$ = saveAll(state);
  if (completed) return saved$;
  const stopped$ = stoppable(state, saved$);
  return grace$ ? stopped$.pipe(takeUntil(grace$)) : stopped$;
}

/** Longest wait, after a stop, for a session write that was pending when the run stopped. */
export const cancelGraceMs = 250;

/** Writes everything, then again while injected input keeps arriving (called when its turn comes). */
function saveAll<TContext>(state: RunState<TContext>): Observable<never> {
  const waiting = state.injections.size;
  return sequence(state.writer!.write(state.history(true), true), () => (state.injections.size > waiting ? saveAll(state) : EMPTY));
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
  return new Observable((subscriber) => {
    subscriber.next(event);
    if (result.status === 'failed') subscriber.error(result.error);
    else subscriber.complete();
  });
}
