import { Observable, type MonoTypeOperatorFunction } from 'rxjs';

/**
 * Keeps `side$` subscribed exactly as long as the source is: subscribed first (so
 * nothing it emits early is missed), unsubscribed when the source ends or is
 * unsubscribed. Its values are ignored; its error errors the result.
 */
export function alongside<T>(side$: Observable<unknown> | undefined): MonoTypeOperatorFunction<T> {
  if (!side$) return (source) => source;
  return (source) =>
    new Observable<T>((subscriber) => {
      const side = side$.subscribe({ error: (error: unknown) => subscriber.error(error) });
      subscriber.add(side);
      subscriber.add(source.subscribe(subscriber));
    });
}
