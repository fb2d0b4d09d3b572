import { isObservable, Observable, type Subscription } from 'rxjs';

/** What user code may answer with: a value, a Promise of one, or an Observable of values. */
export type Answer<T> = T | PromiseLike<T> | Observable<T>;

/**
 * Calls user code that takes an `AbortSignal` (a tool, a guardrail, `onHandoff`,
 * `needsApproval`) as a cold Observable of its answer's values. Unsubscribing
 * before the answer settles aborts the signal with `reason()` and calls
 * `onInterrupt`; a Promise's late answer is dropped. Nothing here waits.
 *
 * `call` gets the signal as a function: the signal is made when first asked for
 * (already aborted if the call was stopped before). Most calls answer without
 * reading it, and an `AbortSignal` is costly to make (an `EventTarget`, made
 * transferable): one per tool call is a visible share of a turn.
 */
export function callWithSignal<T>(
  call: (signal: () => AbortSignal) => Answer<T>,
  reason: () => unknown,
  onInterrupt?: (reason: unknown) => void,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    let controller: AbortController | undefined;
    let stopped: { readonly why: unknown } | undefined;
    const signal = () => {
      if (!controller) {
        controller = new AbortController();
        if (stopped) controller.abort(stopped.why);
      }
      return controller.signal;
    };
    let settled = false;
    let inner: Subscription | undefined;
    const fail = (error: unknown) => {
      settled = true;
      subscriber.error(error);
    };
    const succeed = (value: T) => {
      settled = true;
      subscriber.next(value);
      subscriber.complete();
    };
    try {
      const answer = call(signal);
      if (isObservable(answer)) {
        inner = answer.subscribe({
          next: (value) => subscriber.next(value),
          error: fail,
          complete: () => {
            settled = true;
            subscriber.complete();
          },
        });
      } else if (isPromiseLike(answer)) {
        answer.then(
          (value) => !subscriber.closed && succeed(value),
          (error: unknown) => !subscriber.closed && fail(error),
        );
      } else {
        succeed(answer);
      }
    } catch (error) {
      fail(error);
    }
    return () => {
      inner?.unsubscribe();
      if (settled) return;
      const why = reason();
      stopped = { why };
      controller?.abort(why);
      onInterrupt?.(why);
    };
  });
}

function isPromiseLike<T>(value: Answer<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function';
}
