import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WireEvent } from '../../lib/index.js';
import { eventFrame } from '../../lib/server/event-frame.js';

/** The frame of an event, as written from `JSON.stringify`. */
const frameOf = (id: string, event: WireEvent) => `id: ${id}\ndata: ${JSON.stringify(event)}\n\n`;

// Text that JSON escapes or must keep as it is: quotes, backslashes, control characters,
// paired and lone surrogates, line and paragraph separators, plain words.
const text = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('', 'plain words ', 'say "hi"', 'C:\\path', 'line\nbreak\ttab\u0000nul', '\ud83c\udf0d', '\ud800 lone', 'lone \udfff', '\u2028\u2029', '\u007f\u0080'),
);

describe('eventFrame', () => {
  it('writes the JSON that JSON.stringify writes, for text deltas of any text and for other events', () => {
    fc.assert(
      fc.property(text, text, fc.nat().map(String), (delta, agent, id) => {
        const delta$ = { type: 'text.delta', delta, agent } as WireEvent;
        expect(eventFrame(id, delta$)).toBe(frameOf(id, delta$));
        // Other fields, or the same in another order: still the text JSON.stringify writes.
        const other = { type: 'text.delta', delta, agent, extra: agent } as WireEvent;
        expect(eventFrame(id, other)).toBe(frameOf(id, other));
        const reordered = { agent, type: 'text.delta', delta } as WireEvent;
        expect(eventFrame(id, reordered)).toBe(frameOf(id, reordered));
        const reasoning = { type: 'reasoning.delta', delta, agent } as WireEvent;
        expect(eventFrame(id, reasoning)).toBe(frameOf(id, reasoning));
      }),
      { numRuns: 3000 },
    );
  });
});
