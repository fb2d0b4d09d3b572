import { filter, map, type OperatorFunction } from 'rxjs';
import type { StreamEvent, TextDeltaEvent } from '../events/stream-event.js';

/**
 * The streamed text of a run, piece by piece.
 *
 * @example
 * run(agent, 'Hi').pipe(textDeltas()).subscribe((text) => process.stdout.write(text));
 */
export function textDeltas<T>(): OperatorFunction<StreamEvent<T>, string> {
  return (events$) =>
    events$.pipe(
      filter((e): e is TextDeltaEvent => e.type === 'text.delta'),
      map((e) => e.delta),
    );
}
