import { filter, map, type OperatorFunction, takeWhile } from 'rxjs';
import type { RunStatus } from '../events/run-status.js';
import type { RunUpdatedEvent, StreamEvent } from '../events/stream-event.js';

/**
 * The run's status as it changes: `running`, then its terminal status, then
 * completion. A failed run emits `failed` and completes (the error is in the
 * status, not an Observable error), so the status can feed a signal as is.
 *
 * @example
 * // Angular (zoneless): a signal, not a field assigned in subscribe (which would not refresh the view)
 * readonly status = toSignal(run(agent, 'Hi').pipe(runStatus()), { initialValue: 'running' });
 */
export function runStatus<T>(): OperatorFunction<StreamEvent<T>, RunStatus> {
  return (events$) =>
    events$.pipe(
      filter((e): e is RunUpdatedEvent<T> => e.type === 'run.updated'),
      map((e) => e.status),
      takeWhile((status) => status === 'running', true),
    );
}
