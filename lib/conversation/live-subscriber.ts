import type { Subscriber } from 'rxjs';

/** The subscriber, unless it is closed: what goes to a listener that left goes nowhere (not to RxJS's stopped-notification hook). */
export function live<T>(subscriber: Subscriber<T> | undefined): Subscriber<T> | undefined {
  return subscriber?.closed === false ? subscriber : undefined;
}
