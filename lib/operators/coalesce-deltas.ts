import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import type { ReasoningDeltaEvent, StreamEvent, TextDeltaEvent } from '../events/stream-event.js';

type DeltaEvent = TextDeltaEvent | ReasoningDeltaEvent;

/**
 * Joins the text (and reasoning) deltas of one agent that come in one burst into one
 * event: a burst is what arrives in one synchronous pass, as a read of the model's
 * stream delivers its events. The joined delta is emitted at the end of the burst (a
 * microtask later), or before the next event of another kind, the source's end or
 * its error: the text and the order of events stay as they were.
 *
 * A model read slowly gives one delta per read, and nothing changes; a fast model, or
 * a process behind on its reads, gives hundreds per read, which then cost one event
 * downstream instead of hundreds: a frame on the wire, an entry in a log, a render.
 * `serveRuns` applies it to what it sends.
 *
 * @example
 * // One DOM update per burst instead of one per token:
 * run(agent, 'Write a story.').pipe(coalesceDeltas(), textDeltas()).subscribe((text) => output.append(text));
 */
export function coalesceDeltas<T>(): MonoTypeOperatorFunction<StreamEvent<T>> {
  return (source) =>
    new Observable<StreamEvent<T>>((subscriber) => {
      let held: DeltaEvent | undefined;
      let delta = '';
      let flushing = false;
      const flush = () => {
        if (held === undefined) return;
        const event = held.delta === delta ? held : { type: held.type, delta, agent: held.agent };
        held = undefined;
        delta = '';
        subscriber.next(event);
      };
      return source.subscribe({
        next(event) {
          if (event.type === 'text.delta' || event.type === 'reasoning.delta') {
            if (held !== undefined && (held.type !== event.type || held.agent !== event.agent)) flush();
            if (held === undefined) held = event;
            delta += event.delta;
            if (!flushing) {
              flushing = true;
              queueMicrotask(() => {
                flushing = false;
                if (!subscriber.closed) flush();
              });
            }
            return;
          }
          flush();
          subscriber.next(event);
        },
        error(error: unknown) {
          flush();
          subscriber.error(error);
        },
        complete() {
          flush();
          subscriber.complete();
        },
      });
    });
}
