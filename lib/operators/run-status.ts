import { filter, map, type OperatorFunction } from 'rxjs';
import type { RunStatus } from '../events/run-status.js';
import type { RunUpdatedEvent, StreamEvent } from '../events/stream-event.js';

/**
 * The run's status as it changes: `running`, then its terminal status.
 *
 * @example
 * run(agent, 'Hi').pipe(runStatus()).subscribe((status) => (this.status = status));
 */
export function runStatus<T>(): OperatorFunction<StreamEvent<T>, RunStatus> {
  return (events$) =>
    events$.pipe(
      filter((e): e is RunUpdatedEvent<T> => e.type === 'run.updated'),
      map((e) => e.status),
    );
}
