import { Observable, Subject, type Subscriber } from 'rxjs';
import { ConversationBusyError } from '../errors/conversation-busy-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { ConversationClaim, ConversationLock, ConversationRequest, OwnerClaim } from './conversation-lock.js';

/**
 * A {@link ConversationLock} for one process: no store round trip. Waiting runs
 * are served in order (`interrupt` goes first); a steered run gets the owner's
 * events directly.
 */
export function localConversationLock(conversationId?: string): ConversationLock {
  let owner: Claimant | undefined;
  const waiters: Claimant[] = [];

  const take = (claimant: Claimant) => {
    owner = claimant;
    claimant.subscriber.next(claimant);
  };
  const leave = (claimant: Claimant) => {
    const waiting = waiters.indexOf(claimant);
    if (waiting >= 0) waiters.splice(waiting, 1);
    if (owner !== claimant) return;
    owner = undefined;
    claimant.end();
    const next = waiters.shift();
    if (next) take(next);
  };

  return {
    claim: (onBusy, input) =>
      new Observable((subscriber) => {
        if (owner && onBusy === 'reject') return subscriber.error(new ConversationBusyError(conversationId));
        if (owner && onBusy === 'steer') {
          subscriber.next({ role: 'steered', events$: owner.followers$ });
          return owner.request({ type: 'inject', input });
        }
        const claimant = new Claimant(subscriber, leave);
        if (!owner) {
          take(claimant);
        } else if (onBusy === 'interrupt') {
          waiters.unshift(claimant);
          owner.request({ type: 'cancel', reason: 'interrupted by a newer run on the conversation' });
        } else {
          waiters.push(claimant);
        }
        // Unsubscribing leaves the queue, or releases the conversation to the next in line.
        return claimant;
      }),
  };
}

/**
 * A claim that holds the conversation, or waits to. Its Subjects are made when
 * first needed: a run that nobody steers into publishes to nobody.
 */
class Claimant implements OwnerClaim {
  readonly role = 'owner';
  private requests: Subject<ConversationRequest> | undefined;
  private followers: Subject<StreamEvent<unknown>> | undefined;

  constructor(
    readonly subscriber: Subscriber<ConversationClaim>,
    private readonly leave: (claimant: Claimant) => void,
  ) {}

  get requests$(): Observable<ConversationRequest> {
    return (this.requests ??= new Subject()).asObservable();
  }

  /** The events it publishes, for a run steered into it. */
  get followers$(): Observable<StreamEvent<unknown>> {
    return (this.followers ??= new Subject()).asObservable();
  }

  request(request: ConversationRequest): void {
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
    this.leave(this);
  }
}
