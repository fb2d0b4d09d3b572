import { type MonoTypeOperatorFunction, Observable } from 'rxjs';

/**
 * RxJS `takeUntil` without its subscriber between the source and the destination:
 * the source is subscribed with the destination itself, so its values reach it
 * directly (every event of a run with controls would pass one more subscriber).
 * The notifier's first value completes the destination, which tears the source
 * down; its error errors the destination; a notifier that emits at once leaves
 * the source unsubscribed, as with `takeUntil`.
 */
export function until<T>(notifier: Observable<unknown>): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      subscriber.add(notifier.subscribe({ next: () => subscriber.complete(), error: (error: unknown) => subscriber.error(error) }));
      if (!subscriber.closed) source.subscribe(subscriber);
    });
}
