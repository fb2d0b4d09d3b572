import fc from 'fast-check';
import { merge, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { alongside } from '../../lib/util/alongside.js';

/** A marble of up to 8 frames of `values` or nothing, then maybe an end (`|` or `#`). */
const marble = (values: readonly string[]) =>
  fc.tuple(fc.array(fc.constantFrom('-', ...values), { maxLength: 8 }), fc.constantFrom('', '|', '#')).map(([frames, end]) => frames.join('') + end);

describe('alongside', () => {
  it('behaves as merge with a side that emits nothing: same values, same end, same subscriptions, whatever the timing', () => {
    fc.assert(
      fc.property(marble(['a', 'b', 'c']), fc.boolean(), marble([]), fc.nat({ max: 10 }), (mainMarble, hot, sideMarble, unsubscribeAt) => {
        const results = [(m: Observable<string>, s: Observable<never>) => merge(m, s), alongside].map((operator) => {
          const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
          let log: unknown;
          scheduler.run(({ cold, hot: makeHot }) => {
            const main = hot ? makeHot(`^${mainMarble}`) : cold(mainMarble);
            const side = cold(sideMarble);
            const frames: { frame: number; kind: string; value?: unknown }[] = [];
            const out = operator(main as Observable<string>, side as unknown as Observable<never>);
            scheduler.schedule(() => {
              const subscription = out.subscribe({
                next: (value) => frames.push({ frame: scheduler.now(), kind: 'N', value }),
                error: (error) => frames.push({ frame: scheduler.now(), kind: 'E', value: error }),
                complete: () => frames.push({ frame: scheduler.now(), kind: 'C' }),
              });
              scheduler.schedule(() => subscription.unsubscribe(), unsubscribeAt);
            });
            scheduler.schedule(() => {
              log = {
                frames,
                main: main.subscriptions.map((s) => [s.subscribedFrame, s.unsubscribedFrame]),
                side: side.subscriptions.map((s) => [s.subscribedFrame, s.unsubscribedFrame]),
              };
            }, 20);
          });
          return log;
        });
        expect(results[1]).toEqual(results[0]);
      }),
      { numRuns: 2000 },
    );
  });
});
