import { concat, concatMap, defer, endWith, filter, map, merge, Observable, of, switchMap, takeWhile, tap, throwError } from 'rxjs';
import type { StreamEvent } from '../events/stream-event.js';
import type { InputItem, RunInput } from '../items/input-item.js';
import type { CancelRequest } from '../run/cancel-request.js';
import type { Session } from '../session/session.js';
import type { ConversationLock, ConversationRequest, OnBusy, OwnerClaim } from './conversation-lock.js';
import { writesSettled } from '../session/session-writer.js';
import { localConversationLock } from './local-conversation-lock.js';

/** The control streams the conversation adds to a run it owns. */
export interface ConversationControls {
  readonly inject$: Observable<RunInput>;
  readonly cancel$: Observable<CancelRequest>;
}

const END = Symbol('end');
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
  start: (controls: ConversationControls) => Observable<StreamEvent<T>>,
): Observable<StreamEvent<T>> {
  const lock = session.lock ?? lockOf(session);
  return defer(() => {
    let ended = false;
    return heldUntilWritten(session, lock.claim(onBusy, input), () => ended).pipe(
      switchMap((claim) => (claim.role === 'owner' ? owned(claim, start) : followed<T>(claim.events$)).pipe(endWith(END))),
      takeWhile((event): event is StreamEvent<T> => event !== END || !(ended = true)),
    );
  });
}

/**
 * The claim, released only once the run's writes to the session have settled: a
 * run unsubscribed mid-way still writes its history (in the background), and the
 * next run on the conversation, in any process, must see it.
 */
function heldUntilWritten<T>(session: Session, claim$: Observable<T>, ended: () => boolean): Observable<T> {
  return new Observable<T>((subscriber) => {
    const subscription = claim$.subscribe(subscriber);
    return () => {
      // Ended: its writes are done (the terminal event comes after them), so the next run may start at once.
      if (ended()) return subscription.unsubscribe();
      // Unsubscribed: its teardown queues the last write during this unsubscribe; release after it.
      void Promise.resolve().then(() => writesSettled(session)).then(() => subscription.unsubscribe());
    };
  });
}

function lockOf(session: Session): ConversationLock {
  let lock = localLocks.get(session);
  if (!lock) localLocks.set(session, (lock = localConversationLock(session.id)));
  return lock;
}

function owned<T>(claim: OwnerClaim, start: (controls: ConversationControls) => Observable<StreamEvent<T>>): Observable<StreamEvent<T>> {
  const of_ = <K extends ConversationRequest['type']>(type: K) =>
    claim.requests$.pipe(filter((r): r is Extract<ConversationRequest, { type: K }> => r.type === type));
  const controls = {
    inject$: of_('inject').pipe(map((r) => r.input)),
    cancel$: of_('cancel').pipe(map((r) => r.reason)),
  };
  return start(controls).pipe(tap((event) => claim.publish(event)));
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
