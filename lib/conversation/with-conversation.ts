import { concat, concatMap, Observable, of, Subscriber, takeWhile, throwError, type Unsubscribable } from 'rxjs';
import type { StreamEvent } from '../events/stream-event.js';
import type { InputItem } from '../items/input-item.js';
import type { RunRequestHandler, RunRequests } from '../run/run-requests.js';
import type { Session } from '../session/session.js';
import type { ConversationClaim, ConversationLock, ConversationRequest, OnBusy, OwnerClaim } from './conversation-lock.js';
import { writesSettled } from '../session/session-writer.js';
import { LocalLock, localConversationLock, type LocalHolder } from './local-conversation-lock.js';

const localLocks = new WeakMap<Session, ConversationLock>();

/**
 * Runs `start` once the run holds the session's conversation, under `onBusy`;
 * a steered run instead follows the running run's events. The hold ends with the
 * run (its terminal event comes after its session writes), so the next run sees
 * the whole history.
 */
export function withConversation<T>(
  session: Session,
  onBusy: OnBusy,
  input: readonly InputItem[],
  start: (requests: RunRequests) => Observable<StreamEvent<T>>,
): Observable<StreamEvent<T>> {
  return new Observable<StreamEvent<T>>((subscriber) => {
    const hold = new Hold(subscriber, session, start);
    // Its teardown first: a subscriber that closes during the claim (from a handler of the run's first events) stops the run.
    subscriber.add(hold);
    hold.enter(session.lock ?? lockOf(session), onBusy, input);
  });
}

function lockOf(session: Session): ConversationLock {
  let lock = localLocks.get(session);
  if (!lock) localLocks.set(session, (lock = localConversationLock(session.id)));
  return lock;
}

/**
 * One subscription's hold on the conversation, and the subscriber of its run:
 * takes the claim (one: a lock emits one), runs or follows, publishes the run's
 * events to the runs steered into it, hands other runs' requests to the run
 * (as its {@link RunRequests}), and releases the claim when unsubscribed: at once
 * if the run ended (its writes are done: the terminal event comes after them), or
 * never started; else only once its writes to the session have settled (a run
 * unsubscribed mid-way still writes its history, in the background, and the next
 * run on the conversation, in any process, must see it).
 *
 * One object per run rather than `switchMap`/`endWith`/`takeWhile` over the claim
 * and `filter`/`map` over its requests: every session run in flight holds it, so
 * its layers count in the run's heap and time. A local lock tells it directly
 * ({@link LocalHolder}); another lock's claim and requests are subscribed.
 */
class Hold<T> extends Subscriber<StreamEvent<T>> implements LocalHolder, RunRequests {
  /** Ends the claim: the local claimant, or the subscription to another lock's claim. */
  private claim: Unsubscribable | undefined;
  /** The owner claim the run publishes to. */
  private owner: OwnerClaim | undefined;
  /** The run's, while its controls are on (until its terminal event). */
  private handler: RunRequestHandler | undefined;
  /** Told directly by a local lock (else its claim and requests are subscribed). */
  private local = false;
  private started = false;
  /** The run ended (completed, after its terminal event). */
  private ended = false;
  private releasing = false;

  constructor(
    private readonly out: Subscriber<StreamEvent<T>>,
    private readonly session: Session,
    private readonly start: (requests: RunRequests) => Observable<StreamEvent<T>>,
  ) {
    super();
  }

  enter(lock: ConversationLock, onBusy: OnBusy, input: readonly InputItem[]): void {
    if (lock instanceof LocalLock) {
      this.local = true;
      lock.enter((this.claim = lock.claimant(this)), onBusy, input);
    } else {
      lock.claim(onBusy, input).subscribe((this.claim = new Claims(this)));
    }
  }

  claimed(claim: ConversationClaim): void {
    if (this.started || this.releasing) return;
    this.started = true;
    if (claim.role === 'steered') {
      followed<T>(claim.events$).subscribe(this);
      return;
    }
    this.owner = claim;
    if (!this.local) this.add(claim.requests$.subscribe(new Requests(this)));
    this.start(this).subscribe(this);
  }

  refused(error: unknown): void {
    this.out.error(error);
  }

  /** The claim ended: one that ends before any run started ends this one; a run in flight goes on. */
  claimEnded(): void {
    if (!this.started) this.out.complete();
  }

  connect(handler: RunRequestHandler): () => void {
    this.handler = handler;
    return () => void (this.handler === handler && (this.handler = undefined));
  }

  requested(request: ConversationRequest): void {
    if (request.type === 'inject') this.handler?.inject(request.input);
    else this.handler?.cancel(request.reason);
  }

  takesRequests(): boolean {
    return this.handler !== undefined;
  }

  /** The requests failed: so does the run (requests that end leave it running). */
  requestsFailed(error: unknown): void {
    this.handler?.fail(error);
  }

  protected override _next(event: StreamEvent<T>): void {
    this.owner?.publish(event);
    this.out.next(event);
  }

  protected override _error(error: unknown): void {
    this.out.error(error);
  }

  protected override _complete(): void {
    this.ended = true;
    this.out.complete();
  }

  override unsubscribe(): void {
    if (this.releasing) return;
    this.releasing = true;
    // The run first: its teardown queues its last write, which the release waits for.
    super.unsubscribe();
    if (this.ended || !this.started) this.claim?.unsubscribe();
    else void Promise.resolve().then(() => writesSettled(this.session)).then(() => this.claim?.unsubscribe());
  }
}

/** Another lock's claims, to the hold. */
class Claims extends Subscriber<ConversationClaim> {
  constructor(private readonly hold: Hold<unknown>) {
    super();
  }

  protected override _next(claim: ConversationClaim): void {
    this.hold.claimed(claim);
  }

  protected override _error(error: unknown): void {
    this.hold.refused(error);
  }

  protected override _complete(): void {
    this.hold.claimEnded();
  }
}

/** Another lock's requests to the run holding the conversation, to the hold. */
class Requests extends Subscriber<ConversationRequest> {
  constructor(private readonly hold: Hold<unknown>) {
    super();
  }

  protected override _next(request: ConversationRequest): void {
    this.hold.requested(request);
  }

  protected override _error(error: unknown): void {
    this.hold.requestsFailed(error);
    this.unsubscribe();
  }

  protected override _complete(): void {
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
