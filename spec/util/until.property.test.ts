import fc from 'fast-check';
import { type Observable, takeUntil } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { until } from '../../lib/util/until.js';

/** A marble of up to 8 frames of values a–d or nothing, then maybe an end (`|` or `#`). */
const marble = fc
  .tuple(fc.array(fc.constantFrom('-', 'a', 'b', 'c', 'd'), { maxLength: 8 }), fc.constantFrom('', '|', '#'))
  .map(([frames, end]) => frames.join('') + end);

describe('until', () => {
  it('behaves as takeUntil: same values, same end, same subscription of source and notifier, whatever the timing', () => {
    fc.assert(
      fc.property(
        marble,
        fc.boolean(),
        marble,
        fc.nat({ max: 10 }),
        (sourceMarble, hot, notifierMarble, unsubscribeAt) => {
          const results = [takeUntil, until].map((operator) => {
            const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
            let log: unknown;
            scheduler.run(({ cold, hot: makeHot }) => {
              const source = hot ? makeHot(`^${sourceMarble}`) : cold(sourceMarble);
              const notifier = cold(notifierMarble);
              const frames: { frame: number; kind: string; value?: unknown }[] = [];
              const out = (source as Observable<string>).pipe(operator(notifier));
              scheduler.schedule(() => {
                const subscription = out.subscribe({
                  next: (value) => frames.push({ frame: scheduler.now(), kind: 'N', value }),
                  error: (error) => frames.push({ frame: scheduler.now(), kind: 'E', value: error }),
                  complete: () => frames.push({ frame: scheduler.now(), kind: 'C' }),
                });
                scheduler.schedule(() => subscription.unsubscribe(), unsubscribeAt);
              });
              scheduler.schedule(() => {
                log = { frames, source: source.subscriptions.map((s) => [s.subscribedFrame, s.unsubscribedFrame]), notifier: notifier.subscriptions.map((s) => [s.subscribedFrame, s.unsubscribedFrame]) };
              }, 20);
            });
            return log;
          });
          expect(results[1]).toEqual(results[0]);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
