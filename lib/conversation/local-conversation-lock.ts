import { Observable, Subject, type Subscriber } from 'rxjs';
import { ConversationBusyError } from '../errors/conversation-busy-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { InputItem } from '../items/input-item.js';
import type { ConversationClaim, ConversationLock, ConversationRequest, OnBusy, OwnerClaim } from './conversation-lock.js';

/**
 * A {@link ConversationLock} for one process: no store round trip. Waiting runs
 * are served in order (`interrupt` goes first); a steered run gets the owner's
 * events directly.
 */
export function localConversationLock(conversationId?: string): ConversationLock {
  return new LocalLock(conversationId);
}

/**
 * Who holds or waits for a local claim, told directly: `withConversation` holds
 * local claims this way, without the claim and request Observables (every
 * session run in flight holds one); `claim()` adapts a subscriber to it.
 */
export interface LocalHolder {
  /** The conversation is held (an owner claim), or the input went into the running run (a steered one). */
  claimed(claim: ConversationClaim): void;
  /** `reject` on a busy conversation. */
  refused(error: ConversationBusyError): void;
  /** A request from another run, while this holder owns the conversation. */
  requested(request: ConversationRequest): void;
  /** Whether its run still takes requests (not once it is ending: its terminal event is decided). */
  takesRequests(): boolean;
}

// Classes rather than closures: every session holds a lock, and every run in flight a claim.

/** The lock behind {@link localConversationLock}. */
export class LocalLock implements ConversationLock {
  private owner: Claimant | undefined;
  private readonly waiters: Claimant[] = [];

  constructor(private readonly conversationId: string | undefined) {}

  claim(onBusy: OnBusy, input: readonly InputItem[]): Observable<ConversationClaim> {
    return new Observable((subscriber) => {
      const claimant = this.claimant(new Subscribed(subscriber));
      this.enter(claimant, onBusy, input);
      // Unsubscribing leaves the queue, or releases the conversation to the next in line.
      return claimant;
    });
  }

  /** A claim for `holder`, not entered yet; unsubscribing it leaves the queue or releases the conversation. */
  claimant(holder: LocalHolder): Claimant {
    return new Claimant(this, holder);
  }

  /** Claims the conversation for `claimant` under `onBusy` (see {@link ConversationLock.claim}). */
  enter(claimant: Claimant, onBusy: OnBusy, input: readonly InputItem[]): void {
    const { owner } = this;
    if (!owner) return this.take(claimant);
    switch (onBusy) {
      case 'reject':
        return claimant.holder.refused(new ConversationBusyError(this.conversationId));
      case 'steer':
        // A run that is ending takes no more input: this one waits for it, then runs with its own.
        if (!owner.holder.takesRequests()) return void this.waiters.push(claimant);
        claimant.holder.claimed({ role: 'steered', events$: owner.followers$ });
        return owner.request({ type: 'inject', input });
      case 'interrupt':
        this.waiters.unshift(claimant);
        return owner.request({ type: 'cancel', reason: 'interrupted by a newer run on the conversation' });
      default:
        this.waiters.push(claimant);
    }
  }

  private take(claimant: Claimant): void {
    this.owner = claimant;
    claimant.holder.claimed(claimant);
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
 * A claim that holds the conversation, or waits to; it is its own teardown. Its
 * Subjects are made when first needed: a holder told directly never needs
 * `requests$`, and a run nobody steers into publishes to nobody.
 */
export class Claimant implements OwnerClaim {
  readonly role = 'owner';
  private requests: Subject<ConversationRequest> | undefined;
  private followers: Subject<StreamEvent<unknown>> | undefined;

  constructor(
    private readonly lock: LocalLock,
    readonly holder: LocalHolder,
  ) {}

  get requests$(): Observable<ConversationRequest> {
    return (this.requests ??= new Subject()).asObservable();
  }

  /** The events it publishes, for a run steered into it. */
  get followers$(): Observable<StreamEvent<unknown>> {
    return (this.followers ??= new Subject()).asObservable();
  }

  request(request: ConversationRequest): void {
    this.holder.requested(request);
    this.requests?.next(request);
  }

  publish(event: StreamEvent<unknown>): void {
    this.followers?.next(event);
  }

  /** Released: requests and followed events end. */
  end(): void {
    this.requests?.complete();
    this.followers?.complete();
  }

  unsubscribe(): void {
    this.lock.leave(this);
  }
}

/** A subscriber of `claim()` as a holder: its requests come through `requests$`. */
class Subscribed implements LocalHolder {
  constructor(private readonly subscriber: Subscriber<ConversationClaim>) {}

  claimed(claim: ConversationClaim): void {
    this.subscriber.next(claim);
  }

  refused(error: ConversationBusyError): void {
    this.subscriber.error(error);
  }

  requested(): void {}

  /** Its requests go to `requests$`, whose subscriber decides. */
  takesRequests(): boolean {
    return true;
  }
}
