import { Observable, Subscriber } from 'rxjs';

/**
 * RxJS `concat` for the run loop's spine: subscribes to each source when the one
 * before it completes, and errors or completes as `concat` does. Each stage is one
 * small subscriber (no closures, buffer or merge machinery as in `concat`): every
 * run in flight holds several of these, so they count in its heap. Sources that
 * complete synchronously are taken in a loop, not by recursion.
 */
export function sequence<T>(...sources: readonly Observable<T>[]): Observable<T> {
  return new Observable<T>((subscriber) => {
    let index = 0;
    let subscribing = false;
    let completedWhileSubscribing = false;
    const advance = (): void => {
      if (subscribing) {
        completedWhileSubscribing = true;
        return;
      }
      do {
        completedWhileSubscribing = false;
        if (subscriber.closed) return;
        if (index === sources.length) return subscriber.complete();
        subscribing = true;
        sources[index++]!.subscribe(new Stage(subscriber, advance));
        subscribing = false;
      } while (completedWhileSubscribing);
    };
    advance();
  });
}

/** One source's subscriber: values and errors go to the destination; completion moves on. */
class Stage<T> extends Subscriber<T> {
  constructor(
    destination: Subscriber<T>,
    private readonly done: () => void,
  ) {
    // A Subscriber destination adds this stage to its teardown: unsubscribing the sequence stops the stage.
    super(destination);
  }

  protected override _complete(): void {
    this.unsubscribe();
    this.done();
  }
}
