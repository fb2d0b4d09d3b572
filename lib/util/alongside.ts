import { Observable } from 'rxjs';

/**
 * `merge(main, side)` for a side that emits nothing (a write the step must wait
 * for): `main`'s values pass through; it completes once both have; an error of
 * either errors it, which unsubscribes the other. Two inner subscriptions rather
 * than merge's array source, `mergeAll` and closures: a session run's every
 * model call stores its input alongside the stream.
 */
export function alongside<T>(main: Observable<T>, side: Observable<never>): Observable<T> {
  return new Observable<T>((subscriber) => {
    let open = 2;
    const done = () => {
      if (--open === 0) subscriber.complete();
    };
    const error = (error: unknown) => subscriber.error(error);
    subscriber.add(main.subscribe({ next: (value) => subscriber.next(value), error, complete: done }));
    if (!subscriber.closed) subscriber.add(side.subscribe({ error, complete: done }));
  });
}
