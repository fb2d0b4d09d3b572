import { Observable, Subscriber } from 'rxjs';

/**
 * `merge(main, side)` for a side that emits nothing (a write the step must wait
 * for): `main`'s values pass through; it completes once both have; an error of
 * either errors it, which unsubscribes the other. Two small subscribers rather
 * than merge's array source, `mergeAll` and closures: a session run's every
 * model call stores its input alongside the stream, and its every event passes here.
 */
export function alongside<T>(main: Observable<T>, side: Observable<never>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const first = new Part<T>(subscriber);
    const second = new Part<never>(subscriber);
    first.other = second;
    second.other = first;
    subscriber.add(main.subscribe(first));
    if (!subscriber.closed) subscriber.add(side.subscribe(second));
  });
}

/**
 * One of the two sources' subscriber: values and errors go straight out; the second
 * completion completes (the other part is closed only once it completed: an error or
 * an unsubscribe of the output ends both).
 */
class Part<T> extends Subscriber<T> {
  other: Part<unknown> | undefined;

  constructor(private readonly out: Subscriber<T>) {
    super();
  }

  protected override _next(value: T): void {
    this.out.next(value);
  }

  protected override _error(error: unknown): void {
    this.unsubscribe();
    this.out.error(error);
  }

  protected override _complete(): void {
    this.unsubscribe();
    if (this.other?.closed) this.out.complete();
  }
}
