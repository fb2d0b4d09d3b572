import { Observable, Subject, type Subscriber, type Subscription } from 'rxjs';
import { ConversationBusyError } from '../errors/conversation-busy-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { InputItem } from '../items/input-item.js';
import { live } from './live-subscriber.js';
import type { ConversationClaim, ConversationLock, ConversationRequest, OnBusy, OwnerClaim } from './conversation-lock.js';

/**
 * A {@link ConversationLock} for one process: no store round trip. Waiting runs
 * are served in order (`interrupt` goes first); a steered run gets the owner's
 * events directly.
 */
export function localConversationLock(conversationId?: string): ConversationLock {
  return new LocalLock(conversationId);
}

// Classes rather than closures: every session holds a lock, and every run in flight a claim.

class LocalLock implements ConversationLock {
  owner: Claimant | undefined;
  private readonly waiters: Claimant[] = [];

  constructor(private readonly conversationId: string | undefined) {}

  claim(onBusy: OnBusy, input: readonly InputItem[]): Observable<ConversationClaim> {
    return new Observable((subscriber) => this.enter(subscriber, onBusy, input));
  }

  private enter(subscriber: Subscriber<ConversationClaim>, onBusy: OnBusy, input: readonly InputItem[]): Claimant | undefined {
    const { owner } = this;
    if (owner && onBusy === 'reject') {
      subscriber.error(new ConversationBusyError(this.conversationId));
      return undefined;
    }
    if (owner && onBusy === 'steer') {
      subscriber.next({ role: 'steered', events$: owner.followers$ });
      owner.request({ type: 'inject', input });
      return undefined;
    }
    const claimant = new Claimant(this, subscriber);
    if (!owner) {
      this.take(claimant);
    } else if (onBusy === 'interrupt') {
      this.waiters.unshift(claimant);
      owner.request({ type: 'cancel', reason: 'interrupted by a newer run on the conversation' });
    } else {
      this.waiters.push(claimant);
    }
    // Unsubscribing leaves the queue, or releases the conversation to the next in line.
    return claimant;
  }

  private take(claimant: Claimant): void {
    this.owner = claimant;
    claimant.subscriber.next(claimant);
  }

  leave(claimant: Claimant): void {
    const waiting = this.waiters.indexOf(claimant);
    if (waiting >= 0) this.waiters.splice(waiting, 1);
    if (this.owner !== claimant) return;
    this.owner = undefined;
    claimant.end();
    const next = this.waiters.shift();
    if (next) this.take(next);
  }
}

/**
 * A claim that holds the conversation, or waits to; it is its own `requests$`
 * (one listener: the run holding the conversation; more share a Subject) and its
 * own teardown. Nothing is made for followers until a run steers into it.
 */
class Claimant extends Observable<ConversationRequest> implements OwnerClaim {
  readonly role = 'owner';
  private listener: Subscriber<ConversationRequest> | undefined;
  private listeners: Subject<ConversationRequest> | undefined;
  private followers: Subject<StreamEvent<unknown>> | undefined;

  constructor(
    private readonly lock: LocalLock,
    readonly subscriber: Subscriber<ConversationClaim>,
  ) {
    super(listen);
  }

  get requests$(): Observable<ConversationRequest> {
    return this;
  }

  /** The events it publishes, for a run steered into it. */
  get followers$(): Observable<StreamEvent<unknown>> {
    return (this.followers ??= new Subject()).asObservable();
  }

  listen(subscriber: Subscriber<ConversationRequest>): Subscription | undefined {
    if (!live(this.listener)) {
      this.listener = subscriber;
      return undefined;
    }
    return (this.listeners ??= new Subject()).subscribe(subscriber);
  }

  request(request: ConversationRequest): void {
    live(this.listener)?.next(request);
    this.listeners?.next(request);
  }

  publish(event: StreamEvent<unknown>): void {
    this.followers?.next(event);
  }

  /** Released: requests and followed events end. */
  end(): void {
    live(this.listener)?.complete();
    this.listeners?.complete();
    this.followers?.complete();
  }

  /** The claim's teardown. */
  unsubscribe(): void {
    this.lock.leave(this);
  }
}

/** Subscribes to a claimant's requests (`this` is the claimant: no closure per claim). */
function listen(this: Observable<ConversationRequest>, subscriber: Subscriber<ConversationRequest>): Subscription | undefined {
  return (this as Claimant).listen(subscriber);
}
