import { filter, map, type OperatorFunction, throwIfEmpty } from 'rxjs';
import { AgentsError } from '../errors/agents-error.js';
import type { RunResult } from '../events/run-result.js';
import type { RunUpdatedEvent, StreamEvent } from '../events/stream-event.js';

/**
 * The run's {@link RunResult}, emitted once when it ends. A completed or
 * cancelled run emits its result (a cancelled one with the items so far); a
 * failed run errors with the run's error instead.
 *
 * @example
 * const result = await firstValueFrom(run(agent, 'Hi').pipe(toResult()));
 */
export function toResult<T>(): OperatorFunction<StreamEvent<T>, RunResult<T>> {
  return (events$) =>
    events$.pipe(
      filter(
        (e): e is RunUpdatedEvent<T> & { result: RunResult<T> } =>
          e.type === 'run.updated' && e.result !== undefined && e.status !== 'failed',
      ),
      map((e) => e.result),
      throwIfEmpty(() => new AgentsError('The run ended without a result.')),
    );
}
