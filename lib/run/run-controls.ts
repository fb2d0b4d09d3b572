import { Subscription } from 'rxjs';
import { UserCodeError } from '../errors/agents-error.js';
import { validateRunInput } from '../items/validate-input.js';
import { cancellations } from './cancel-request.js';
import type { RunState } from './run-state.js';

/**
 * Subscribes the run's control streams (`cancel$`, `signal`, `inject$`,
 * `approvals$`) at the instant of subscribe, before the first event is emitted,
 * so a value sent from inside any event handler takes effect. They stay
 * subscribed until the terminal event: input injected while the session is
 * written is still reported and stored. An immediate cancel settles the run and
 * fires `state.stop$`; an `after_turn` one is noted for the turn loop; injected
 * input is validated and queued; a control stream that errors, or injected input
 * of the wrong shape, fails the run.
 */
export function subscribeControls<TContext>(state: RunState<TContext>): Subscription | undefined {
  const { cancel$, signal, inject$, approvals$ } = state.options;
  // No control stream: nothing to subscribe, and the run needs no stop notifier.
  if (!cancel$ && !signal && !inject$ && !approvals$) return undefined;
  const subscriptions = new Subscription();
  const failed = (name: string) => (error: unknown) => state.fail(new UserCodeError(name, error));
  if (cancel$ || signal) {
    subscriptions.add(
      cancellations(cancel$, signal).subscribe({
        next: (cancel) => state.cancel(cancel.reason, cancel.mode),
        error: failed('cancel$'),
      }),
    );
  }
  if (inject$) {
    subscriptions.add(
      inject$.subscribe({
        next: (input) => {
          const items = validateRunInput(input, 'inject$ value');
          if (items instanceof Error) state.fail(items);
          else state.injections.push(items);
        },
        error: failed('inject$'),
      }),
    );
  }
  if (approvals$) subscriptions.add(approvals$.subscribe({ next: (decision) => state.approvals.decide(decision), error: failed('approvals$') }));
  return subscriptions;
}
