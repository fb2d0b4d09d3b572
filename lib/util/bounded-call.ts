import type { SchedulerLike } from 'rxjs';

/** Why a bounded call failed: it threw, its Promise rejected, or it did not settle in time. */
export class BoundedCallFailure {
  constructor(
    readonly kind: 'threw' | 'rejected' | 'timeout',
    readonly cause: unknown,
  ) {}
}

/**
 * Calls `call` (user code returning a Promise) and settles within `timeoutMs` on
 * `scheduler`: a synchronous throw, a rejection and a timeout all reject with a
 * {@link BoundedCallFailure}. The timer starts only if no answer came within a
 * microtask (an in-memory store answers at once: no timer per call), and is
 * cleared as soon as the call settles.
 */
export function boundedCall<T>(call: () => PromiseLike<T>, timeoutMs: number, scheduler: SchedulerLike): Promise<T> {
  let answer: PromiseLike<T>;
  try {
    answer = call();
  } catch (cause) {
    return Promise.reject(new BoundedCallFailure('threw', cause));
  }
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let timer: { unsubscribe(): void } | undefined;
    Promise.resolve(answer).then(
      (value) => {
        settled = true;
        timer?.unsubscribe();
        resolve(value);
      },
      (cause: unknown) => {
        settled = true;
        timer?.unsubscribe();
        reject(new BoundedCallFailure('rejected', cause));
      },
    );
    // An answer already there (an in-memory store) needs no timer: start it only if a microtask passed without one.
    queueMicrotask(() => {
      if (!settled) timer = scheduler.schedule(() => reject(new BoundedCallFailure('timeout', undefined)), timeoutMs);
    });
  });
}
