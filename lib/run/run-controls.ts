import { Subscriber, Subscription } from 'rxjs';
import type { RunInput } from '../items/input-item.js';
import type { ToolApprovalDecision } from '../tools/approval-desk.js';
import { UserCodeError } from '../errors/agents-error.js';
import { validateRunInput } from '../items/validate-input.js';
import { type Cancellation, cancellations } from './cancel-request.js';
import type { RunRequestHandler, RunRequests } from './run-requests.js';
import type { RunState } from './run-state.js';

/**
 * Subscribes the run's control streams (`cancel$`, `signal`, `inject$`,
 * `approvals$`), and connects its conversation's `requests`, at the instant of
 * subscribe, before the first event is emitted, so a value sent from inside any
 * event handler takes effect. They stay subscribed until the terminal event:
 * input injected while the session is written is still reported and stored. An
 * immediate cancel settles the run and stops it (`state.stopping`); an
 * `after_turn` one is noted for the turn loop; injected input is validated and
 * queued; a control stream that errors, or injected input of the wrong shape,
 * fails the run.
 */
export function subscribeControls<TContext>(state: RunState<TContext>, requests?: RunRequests): Subscription | undefined {
  const { cancel$, signal, inject$, approvals$ } = state.options;
  // No control: nothing to subscribe, and the run cannot be stopped from outside.
  if (!cancel$ && !signal && !inject$ && !approvals$ && !requests) return undefined;
  const subscriptions = new Subscription();
  if (requests) subscriptions.add(requests.connect(new ConversationRequests(state)));
  if (cancel$ || signal) subscriptions.add(cancellations(cancel$, signal).subscribe(new Cancels(state, 'cancel$')));
  if (inject$) subscriptions.add(inject$.subscribe(new Injects(state, 'inject$')));
  if (approvals$) subscriptions.add(approvals$.subscribe(new Approvals(state, 'approvals$')));
  return subscriptions;
}

/**
 * One control stream's subscriber. Classes rather than observers of closures:
 * every run with controls holds these while it runs. A stream that errors fails the run.
 */
abstract class Control<T, TContext> extends Subscriber<T> {
  constructor(
    protected readonly state: RunState<TContext>,
    private readonly name: string,
  ) {
    super();
  }

  protected override _error(error: unknown): void {
    this.unsubscribe();
    this.state.fail(new UserCodeError(this.name, error));
  }

  protected override _complete(): void {
    this.unsubscribe();
  }
}

/** Cancel requests: an immediate one settles the run, an `after_turn` one is noted. */
class Cancels<TContext> extends Control<Cancellation, TContext> {
  protected override _next(cancel: Cancellation): void {
    this.state.cancel(cancel.reason, cancel.mode);
  }
}

/** Injected input, validated and queued. */
class Injects<TContext> extends Control<RunInput, TContext> {
  protected override _next(input: RunInput): void {
    inject(this.state, input);
  }
}

/** The conversation's requests: as values of `inject$` and `cancel$`, and a failure as theirs. */
class ConversationRequests<TContext> implements RunRequestHandler {
  constructor(private readonly state: RunState<TContext>) {}

  inject(input: RunInput): void {
    inject(this.state, input);
  }

  cancel(reason: string): void {
    this.state.cancel(reason, 'immediate');
  }

  fail(error: unknown): void {
    this.state.fail(new UserCodeError("the conversation lock's requests$", error));
  }
}

/** Validates and queues injected input; input of the wrong shape fails the run. */
function inject<TContext>(state: RunState<TContext>, input: RunInput): void {
  const items = validateRunInput(input, 'inject$ value');
  if (items instanceof Error) state.fail(items);
  else state.injections.push(items);
}

/** Approval decisions, for the calls that wait for them. */
class Approvals<TContext> extends Control<ToolApprovalDecision, TContext> {
  protected override _next(decision: ToolApprovalDecision): void {
    this.state.approvals.decide(decision);
  }
}
