import { Observable, Subject } from 'rxjs';
import { ConversationBusyError } from '../errors/conversation-busy-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { ConversationLock, ConversationRequest } from './conversation-lock.js';

interface Owner {
  readonly requests: Subject<ConversationRequest>;
  readonly events: Subject<StreamEvent<unknown>>;
}

/**
 * A {@link ConversationLock} for one process: no store round trip. Waiting runs
 * are served in order (`interrupt` goes first); a steered run gets the owner's
 * events directly.
 */
export function localConversationLock(conversationId?: string): ConversationLock {
  let owner: Owner | undefined;
  const waiters: (() => void)[] = [];

  return {
    claim: (onBusy, input) =>
      new Observable((subscriber) => {
        let mine: Owner | undefined;
        const take = () => {
          mine = owner = { requests: new Subject(), events: new Subject() };
          subscriber.next({ role: 'owner', requests$: mine.requests.asObservable(), publish: (e) => mine?.events.next(e) });
        };
        if (!owner) {
          take();
        } else if (onBusy === 'reject') {
          subscriber.error(new ConversationBusyError(conversationId));
          return;
        } else if (onBusy === 'steer') {
          const running = owner;
          subscriber.next({ role: 'steered', events$: running.events.asObservable() });
          running.requests.next({ type: 'inject', input });
          return;
        } else if (onBusy === 'interrupt') {
          waiters.unshift(take);
          owner.requests.next({ type: 'cancel', reason: 'interrupted by a newer run on the conversation' });
        } else {
          waiters.push(take);
        }
        return () => {
          const waiting = waiters.indexOf(take);
          if (waiting >= 0) waiters.splice(waiting, 1);
          if (!mine || owner !== mine) return;
          owner = undefined;
          mine.requests.complete();
          mine.events.complete();
          waiters.shift()?.();
        };
      }),
  };
}
