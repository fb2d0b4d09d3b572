import { Observable, Subscription } from 'rxjs';
import { cancellations } from './cancel-request.js';
import type { RunState } from './run-state.js';

/**
 * The run's control streams (`cancel$`, `signal`, `inject$`, `approvals$`) as one
 * notifier for `takeUntil`: subscribed before the body (nothing early is missed),
 * unsubscribed with it. It emits on an immediate cancel; an `after_turn` cancel is
 * noted for the turn loop; injected input and approvals are handed to the state.
 * An error in any of them fails the run rather than leaving it uncontrollable.
 * Undefined when the run has no control stream, so it costs nothing then.
 */
export function runControls<TContext>(state: RunState<TContext>): Observable<void> | undefined {
  const { cancel$, signal, inject$, approvals$ } = state.options;
  if (!cancel$ && !signal && !inject$ && !approvals$) return undefined;
  return new Observable<void>((subscriber) => {
    const subscriptions = new Subscription();
    const error = (e: unknown) => subscriber.error(e);
    if (cancel$ || signal) {
      subscriptions.add(
        cancellations(cancel$, signal).subscribe({
          next: (cancel) => {
            if (cancel.mode === 'after_turn') {
              state.stopAfterTurn ??= cancel.reason;
              return;
            }
            state.end('cancelled', { reason: cancel.reason });
            subscriber.next();
          },
          error,
        }),
      );
    }
    if (inject$) subscriptions.add(inject$.subscribe({ next: (input) => state.injections.push(input), error }));
    if (approvals$) subscriptions.add(approvals$.subscribe({ next: (decision) => state.approvals.decide(decision), error }));
    return subscriptions;
  });
}
