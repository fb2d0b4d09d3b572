import { asapScheduler, Observable, type MonoTypeOperatorFunction } from 'rxjs';
import type { ReasoningDeltaEvent, StreamEvent, TextDeltaEvent } from '../events/stream-event.js';

type DeltaEvent = TextDeltaEvent | ReasoningDeltaEvent;

/**
 * Joins the text (and reasoning) deltas of one agent that come in one burst into one
 * event: a burst is what arrives in one synchronous pass, as a read of the model's
 * stream delivers its events. The joined delta is emitted at the end of the burst (on
 * `asapScheduler`: a microtask later, or the same frame in virtual time), or before
 * the next event of another kind, the source's end or its error: the text and the
 * order of events stay as they were.
 *
 * A model read slowly gives one delta per read, and nothing changes; a fast model, or
 * a process behind on its reads, gives hundreds per read, which then cost one event
 * downstream instead of hundreds: a frame on the wire, an entry in a log, a render.
 * `serveRuns` applies it to what it sends. Only adjacent deltas are joined: the
 * provider's raw `model.event` chunks, which come between them, keep them apart, so
 * drop those first.
 *
 * @example
 * // One DOM update per burst instead of one per token:
 * run(agent, 'Write a story.')
 *   .pipe(filter((e) => e.type !== 'model.event'), coalesceDeltas(), textDeltas())
 *   .subscribe((text) => output.append(text));
 */
export function coalesceDeltas<T>(): MonoTypeOperatorFunction<StreamEvent<T>> {
  return (source) =>
    new Observable<StreamEvent<T>>((subscriber) => {
      let held: DeltaEvent | undefined;
      let delta = '';
      let scheduled = false;
      // Until nothing is held: a consumer that makes the source emit while it gets a delta may leave another.
      const flush = () => {
        while (held !== undefined) {
          const event = held.delta === delta ? held : { type: held.type, delta, agent: held.agent };
          held = undefined;
          delta = '';
          subscriber.next(event);
        }
      };
      const atBurstEnd = () => {
        scheduled = false;
        if (!subscriber.closed) flush();
      };
      return source.subscribe({
        next(event) {
          if (event.type !== 'text.delta' && event.type !== 'reasoning.delta') {
            flush();
            subscriber.next(event);
            return;
          }
          if (held !== undefined && (held.type !== event.type || held.agent !== event.agent)) flush();
          if (held === undefined) held = event;
          delta += event.delta;
          if (!scheduled) {
            scheduled = true;
            asapScheduler.schedule(atBurstEnd);
          }
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
