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
 * {@link BoundedCallFailure}. The timer is cleared as soon as the call settles.
 */
export function boundedCall<T>(call: () => PromiseLike<T>, timeoutMs: number, scheduler: SchedulerLike): Promise<T> {
  let answer: PromiseLike<T>;
  try {
    answer = call();
  } catch (cause) {
    return Promise.reject(new BoundedCallFailure('threw', cause));
  }
  return new Promise<T>((resolve, reject) => {
    const timer = scheduler.schedule(() => reject(new BoundedCallFailure('timeout', undefined)), timeoutMs);
    Promise.resolve(answer).then(
      (value) => {
        timer.unsubscribe();
        resolve(value);
      },
      (cause: unknown) => {
        timer.unsubscribe();
        reject(new BoundedCallFailure('rejected', cause));
      },
    );
  });
}
