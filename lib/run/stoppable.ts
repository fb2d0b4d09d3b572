import { Observable } from 'rxjs';
import type { RunState } from './run-state.js';

/**
 * `source`, completed when the run must stop now (`state.stopping`, see RunState): what
 * `takeUntil` on a stop notifier does, with no Subject or subscriber in between. The
 * latest subscription is the one stopped: the run's body, then the wait for its last writes.
 */
export function stoppable<T, TContext>(state: RunState<TContext>, source: Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    state.stopping = subscriber;
    source.subscribe(subscriber);
  });
}
