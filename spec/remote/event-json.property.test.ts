import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WireEvent } from '../../lib/index.js';
import { eventJson } from '../../lib/server/event-json.js';

// Text that JSON escapes or must keep as it is: quotes, backslashes, control characters,
// paired and lone surrogates, line and paragraph separators, plain words.
const text = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('', 'plain words ', 'say "hi"', 'C:\\path', 'line\nbreak\ttab\u0000nul', '\ud83c\udf0d', '\ud800 lone', 'lone \udfff', '\u2028\u2029', '\u007f\u0080'),
);

describe('eventJson', () => {
  it('writes exactly what JSON.stringify writes, for text deltas of any text and for other events', () => {
    fc.assert(
      fc.property(text, text, (delta, agent) => {
        const delta$ = { type: 'text.delta', delta, agent } as WireEvent;
        expect(eventJson(delta$)).toBe(JSON.stringify(delta$));
        // Other fields, or the same in another order: still the text JSON.stringify writes.
        const other = { type: 'text.delta', delta, agent, extra: agent } as WireEvent;
        expect(eventJson(other)).toBe(JSON.stringify(other));
        const reordered = { agent, type: 'text.delta', delta } as WireEvent;
        expect(eventJson(reordered)).toBe(JSON.stringify(reordered));
        const reasoning = { type: 'reasoning.delta', delta, agent } as WireEvent;
        expect(eventJson(reasoning)).toBe(JSON.stringify(reasoning));
      }),
      { numRuns: 3000 },
    );
  });
});
