import { concat, concatMap, merge, Observable, of, Subscriber, takeWhile, throwError } from 'rxjs';
import type { StreamEvent } from '../events/stream-event.js';
import type { InputItem, RunInput } from '../items/input-item.js';
import type { CancelRequest } from '../run/cancel-request.js';
import type { Session } from '../session/session.js';
import type { ConversationClaim, ConversationLock, ConversationRequest, OnBusy, OwnerClaim } from './conversation-lock.js';
import { writesSettled } from '../session/session-writer.js';
import { live } from './live-subscriber.js';
import { localConversationLock } from './local-conversation-lock.js';

/** The control streams the conversation adds to a run it owns. */
export interface ConversationControls {
  readonly inject$: Observable<RunInput>;
  readonly cancel$: Observable<CancelRequest>;
}

const localLocks = new WeakMap<Session, ConversationLock>();

/**
 * Runs `start` once the run holds the session's conversation, under `onBusy`;
 * a steered run instead follows the running run's events. The hold ends with the
 * run (its terminal event comes after its session writes), so the next run sees
 * the whole history.
 *
 * Hand-written rather than `switchMap`/`endWith`/`takeWhile` over the claim: every
 * session run in flight holds this, so its layers count in the run's heap and time.
 */
export function withConversation<T>(
  session: Session,
  onBusy: OnBusy,
  input: readonly InputItem[],
  start: (controls: ConversationControls) => Observable<StreamEvent<T>>,
): Observable<StreamEvent<T>> {
  return new Observable<StreamEvent<T>>((subscriber) => {
    const hold = new Hold(subscriber, session, start);
    (session.lock ?? lockOf(session)).claim(onBusy, input).subscribe(hold);
    return hold;
  });
}

function lockOf(session: Session): ConversationLock {
  let lock = localLocks.get(session);
  if (!lock) localLocks.set(session, (lock = localConversationLock(session.id)));
  return lock;
}

/**
 * One subscription's hold on the conversation: takes the claim (a new claim
 * replaces the run of the one before, as `switchMap` would), runs or follows,
 * and releases the claim when unsubscribed: at once if the run ended (its writes
 * are done: the terminal event comes after them), else only once its writes to
 * the session have settled (a run unsubscribed mid-way still writes its history,
 * in the background, and the next run on the conversation, in any process, must see it).
 */
class Hold<T> extends Subscriber<ConversationClaim> {
  /** The run (or the following of one) started on the current claim. */
  private run: Run<T> | undefined;
  /** The run ended (completed, after its terminal event). */
  ended = false;
  private releasing = false;

  constructor(
    readonly out: Subscriber<StreamEvent<T>>,
    private readonly session: Session,
    private readonly start: (controls: ConversationControls) => Observable<StreamEvent<T>>,
  ) {
    super();
  }

  protected override _next(claim: ConversationClaim): void {
    this.run?.unsubscribe();
    if (claim.role === 'owner') {
      const requests = new Requests();
      const run = (this.run = new Run(this, claim, requests));
      claim.requests$.subscribe(requests);
      this.start(requests).subscribe(run);
    } else {
      followed<T>(claim.events$).subscribe((this.run = new Run(this, undefined, undefined)));
    }
  }

  protected override _error(error: unknown): void {
    this.out.error(error);
  }

  protected override _complete(): void {
    // A claim that ends before any run started ends this one; a run in flight goes on.
    if (!this.run) this.out.complete();
  }

  override unsubscribe(): void {
    if (this.closed || this.releasing) return;
    // No claim taken after this; the run first: its teardown queues its last write, which the release waits for.
    this.isStopped = this.releasing = true;
    this.run?.unsubscribe();
    if (this.ended || !this.run) super.unsubscribe();
    else void Promise.resolve().then(() => writesSettled(this.session)).then(() => super.unsubscribe());
  }
}

/** The events of the run on a claim, to the subscriber (and, for an owner, to the runs steered into it). */
class Run<T> extends Subscriber<StreamEvent<T>> {
  constructor(
    private readonly hold: Hold<T>,
    private readonly claim: OwnerClaim | undefined,
    private readonly requests: Requests | undefined,
  ) {
    super();
  }

  protected override _next(event: StreamEvent<T>): void {
    this.claim?.publish(event);
    this.hold.out.next(event);
  }

  protected override _error(error: unknown): void {
    this.hold.out.error(error);
    this.unsubscribe();
  }

  protected override _complete(): void {
    this.hold.ended = true;
    this.hold.out.complete();
    this.unsubscribe();
  }

  override unsubscribe(): void {
    if (this.closed) return;
    super.unsubscribe();
    this.requests?.unsubscribe();
  }
}

/** Other runs' requests to the run holding the conversation, as that run's `inject$` and `cancel$`. */
class Requests extends Subscriber<ConversationRequest> implements ConversationControls {
  private inject: Subscriber<RunInput> | undefined;
  private cancel: Subscriber<CancelRequest> | undefined;
  readonly inject$ = new Observable<RunInput>((subscriber) => void (this.inject = subscriber));
  readonly cancel$ = new Observable<CancelRequest>((subscriber) => void (this.cancel = subscriber));

  constructor() {
    super();
  }

  protected override _next(request: ConversationRequest): void {
    if (request.type === 'inject') live(this.inject)?.next(request.input);
    else live(this.cancel)?.next(request.reason);
  }

  protected override _error(error: unknown): void {
    live(this.cancel)?.error(error);
    live(this.inject)?.error(error);
    this.unsubscribe();
  }

  protected override _complete(): void {
    live(this.cancel)?.complete();
    live(this.inject)?.complete();
    this.unsubscribe();
  }
}

/** The running run's events up to its terminal one; a failed end errors, as the run itself does. */
function followed<T>(events$: Observable<StreamEvent<unknown>>): Observable<StreamEvent<T>> {
  return events$.pipe(
    takeWhile((e) => !isTerminal(e), true),
    concatMap((e) =>
      e.type === 'run.updated' && e.status === 'failed'
        ? concat(of(e), throwError(() => e.error ?? new Error('The steered run failed.')))
        : of(e),
    ),
  ) as Observable<StreamEvent<T>>;
}

function isTerminal(event: StreamEvent<unknown>): boolean {
  return event.type === 'run.updated' && event.status !== 'running';
}

/** Merges two optional control streams. */
export function mergeControl<T>(a: Observable<T> | undefined, b: Observable<T>): Observable<T> {
  return a ? merge(a, b) : b;
}
