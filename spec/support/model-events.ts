import { lastValueFrom, type Observable, type Subscription, toArray } from 'rxjs';
import type { ModelEvent, ModelRequest } from '../../lib/index.js';

/** A model request with nothing set but what the test gives. */
export function modelRequest(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return { input: [{ role: 'user', content: 'Hello' }], tools: [], settings: {}, ...overrides };
}

/** Every event of a stream that completes. */
export function collect(events$: Observable<ModelEvent>): Promise<ModelEvent[]> {
  return lastValueFrom(events$.pipe(toArray()));
}

/** The error a stream fails with (the test fails if it completes instead). */
export async function failure(events$: Observable<unknown>): Promise<unknown> {
  try {
    await lastValueFrom(events$, { defaultValue: undefined });
  } catch (error) {
    return error;
  }
  throw new Error('The stream completed; it was expected to fail.');
}

/** The events of a stream without the `raw` ones. */
export function translated(events: readonly ModelEvent[]): Exclude<ModelEvent, { type: 'raw' }>[] {
  return events.filter((e): e is Exclude<ModelEvent, { type: 'raw' }> => e.type !== 'raw');
}

/** The provider events carried by `raw` events. */
export function rawEvents(events: readonly ModelEvent[]): { type?: string; [key: string]: unknown }[] {
  return events.flatMap((e) => (e.type === 'raw' ? [e.event as { type?: string }] : []));
}

/** A subscription the test keeps open, with what it received so far. */
export interface Watched<T> {
  readonly events: readonly T[];
  readonly subscription: Subscription;
  /** Resolves with the first event (received or to come) that matches; rejects if the stream ends first. */
  when(predicate: (event: T) => boolean): Promise<T>;
  /** Resolves when the stream ends, with its error if it failed. */
  readonly ended: Promise<unknown>;
}

/** Subscribes and records events, so a test can act mid-stream (unsubscribe, cancel, inject). */
export function watch<T>(events$: Observable<T>): Watched<T> {
  const events: T[] = [];
  const waiters: { predicate: (event: T) => boolean; resolve: (event: T) => void; reject: (error: unknown) => void }[] = [];
  let finished: { error: unknown } | undefined;
  let end!: (error: unknown) => void;
  const ended = new Promise<unknown>((resolve) => (end = resolve));
  const settle = (error: unknown) => {
    finished = { error };
    for (const w of waiters.splice(0)) w.reject(error ?? new Error('The stream completed before the awaited event.'));
    end(error);
  };
  const subscription = events$.subscribe({
    next: (event) => {
      events.push(event);
      for (const w of [...waiters]) {
        if (w.predicate(event)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(event);
        }
      }
    },
    error: (error: unknown) => settle(error),
    complete: () => settle(undefined),
  });
  return {
    events,
    subscription,
    ended,
    when: (predicate) => {
      const seen = events.find(predicate);
      if (seen !== undefined) return Promise.resolve(seen);
      if (finished) return Promise.reject(finished.error ?? new Error('The stream completed before the awaited event.'));
      return new Promise<T>((resolve, reject) => waiters.push({ predicate, resolve, reject }));
    },
  };
}
