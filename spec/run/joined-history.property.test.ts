import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InputItem } from '../../lib/index.js';
import { JoinedHistory } from '../../lib/run/joined-history.js';
import { propertyRuns } from '../helpers/property-runs.js';

const item = fc.nat({ max: 999 }).map((n): InputItem => ({ role: 'user', content: `m${n}` }));

/** A session's array, how much of it the view covers (the rest came later), and the items after. */
const parts = fc
  .tuple(fc.array(item, { maxLength: 12 }), fc.nat({ max: 12 }), fc.array(item, { maxLength: 6 }))
  .map(([stored, cut, after]) => ({ stored, length: Math.min(cut, stored.length), after }));

describe('JoinedHistory', () => {
  it('reads as the view and the items after it joined in one array: length, every index, every slice', () => {
    fc.assert(
      fc.property(parts, fc.boolean(), ({ stored, length, after }, joinFirst) => {
        const joined = new JoinedHistory({ items: stored, length }, after);
        const expected = [...stored.slice(0, length), ...after];
        if (joinFirst) expect(joined.toArray()).toEqual(expected);
        expect(joined.length).toBe(expected.length);
        for (let i = -expected.length - 1; i <= expected.length; i++) expect(joined.at(i)).toBe(expected.at(i));
        for (let start = -expected.length - 2; start <= expected.length + 1; start++) expect(joined.slice(start)).toEqual(expected.slice(start));
        expect(joined.at(0.5)).toBe(expected.at(0.5));
        expect(joined.slice(1.5)).toEqual(expected.slice(1.5));
        const whole = joined.toArray();
        expect(whole).toEqual(expected);
        expect(joined.toArray()).toBe(whole);
        // Slices are new arrays: changing one changes nothing else.
        if (expected.length > 0) {
          joined.slice(0).pop();
          expect(joined.toArray()).toEqual(expected);
          expect(stored.slice(0, length).concat(after)).toEqual(expected);
        }
      }),
      { numRuns: propertyRuns },
    );
  });
});
