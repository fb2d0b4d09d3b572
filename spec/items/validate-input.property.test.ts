import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { UserError } from '../../lib/index.js';
import { schemaFor, validateRunInput, wellFormed } from '../../lib/items/validate-input.js';
import { propertyRuns, propertyTimeoutMs } from '../helpers/property-runs.js';

// Valid items of every kind, then, mostly, one field (of the item or of one of its parts)
// set to a wrong or near-miss value or removed: the hand-written check in front of the
// schemas must never let through what they reject.
class Thing {
  readonly text = 'hi';
}
const odd = fc.constantFrom<unknown>(undefined, null, 0, true, '', [], {}, Object.create(null), new Thing(), ['a'], 'medium', 'robot', 'assistant', 'message', 'input_text', 'summary', 'output_text');
const str = fc.string({ maxLength: 3 });
const inputPart = fc.oneof(
  fc.record({ type: fc.constant('input_text'), text: str }),
  fc.record({ type: fc.constant('input_image'), image_url: str, detail: fc.constantFrom('low', 'high', 'auto') }, { requiredKeys: ['type', 'image_url'] }),
);
const outputPart = fc.oneof(fc.record({ type: fc.constant('output_text'), text: str, annotations: fc.constant([]) }), fc.record({ type: fc.constant('refusal'), refusal: str }));
const content = (part: fc.Arbitrary<Record<string, unknown>>) => fc.oneof(str, fc.array(part, { maxLength: 3 }));
const valid: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ type: fc.constant('message'), role: fc.constantFrom('user', 'system', 'developer'), content: content(inputPart) }, { requiredKeys: ['role', 'content'] }),
  fc.record({ type: fc.constant('message'), role: fc.constant('assistant'), id: str, content: content(outputPart) }, { requiredKeys: ['role', 'content'] }),
  fc.record({ type: fc.constant('function_call'), call_id: str, name: str, arguments: str, id: str }, { requiredKeys: ['type', 'call_id', 'name', 'arguments'] }),
  fc.record({ type: fc.constant('function_call_output'), call_id: str, output: str }),
  fc.record({ type: fc.constant('reasoning'), id: str, summary: fc.array(fc.record({ type: fc.constant('summary_text'), text: str }), { maxLength: 2 }) }, { requiredKeys: ['type', 'summary'] }),
  fc.record({ type: fc.constant('provider_item'), api: str, itemType: str, item: fc.dictionary(str, fc.anything({ maxDepth: 1 }), { maxKeys: 2 }) }),
  fc.record({ type: fc.constantFrom('web_search_call', 'constructor', 'toString'), id: str }),
);
/** Wrong values that look right, by field. */
const nearMiss: Record<string, readonly unknown[]> = {
  type: ['messages', 'function_call_outputs', 'input_txt', 'output', 'summary', 'reasoning_text', 5],
  role: ['robot', 'tool', 'User'],
  detail: ['medium', 'LOW', null],
  content: [5, { type: 'input_text', text: 'x' }, [{ type: 'output_text', text: 1 }], [{ type: 'input_text' }]],
  summary: [[{ type: 'summary_text' }], [{ type: 'summary', text: 'x' }], 'x'],
  item: [[], 'x', new Thing()],
};
const itemKeys = ['type', 'role', 'content', 'call_id', 'name', 'arguments', 'output', 'id', 'summary', 'api', 'itemType', 'item'];
const partKeys = ['type', 'text', 'image_url', 'detail', 'refusal'];
/** Where a field is broken: the item itself, or one of its parts (`content` or `summary`). */
function fieldsOf(item: Record<string, unknown>, inPart: boolean, where: number): Record<string, unknown> {
  const parts = [item['content'], item['summary']].find((p) => Array.isArray(p) && p.length > 0) as Record<string, unknown>[] | undefined;
  return inPart && parts ? parts[where % parts.length]! : item;
}
/** A valid item with one field set to a wrong value (removed, for undefined). */
const broken = fc.tuple(valid, fc.boolean(), fc.nat()).chain(([base, inPart, where]) =>
  fc.constantFrom(...(fieldsOf(base, inPart, where) === base ? itemKeys : partKeys)).chain((key) =>
    fc.oneof(odd, fc.constantFrom(...(nearMiss[key] ?? ['x']))).map((value) => {
      const item = structuredClone(base);
      const fields = fieldsOf(item, inPart, where);
      if (value === undefined) delete fields[key];
      else fields[key] = value;
      return item;
    }),
  ),
);
const item = fc.oneof({ arbitrary: valid, weight: 1 }, { arbitrary: broken, weight: 4 }, { arbitrary: fc.anything({ maxDepth: 2 }), weight: 1 });

describe('property: run input is checked by hand first, the schemas deciding whatever the hand check does not accept', () => {
  it(
    'the hand check accepts no item the schemas reject, and validateRunInput answers as the schemas do',
    () => {
      let accepted = 0;
      fc.assert(
        fc.property(item, (value) => {
          const schema = schemaFor(value);
          const bySchema = schema !== undefined && z.safeParse(schema, value).success;
          if (wellFormed(value)) {
            expect(bySchema).toBe(true);
            accepted++;
          }
          const result = validateRunInput([value]);
          expect(result instanceof UserError).toBe(!bySchema);
          if (result instanceof UserError) expect(result.message).toMatch(/^Invalid run input\[0\]/);
        }),
        { numRuns: propertyRuns * 10 },
      );
      // The generator reaches valid items too, not only broken ones.
      expect(accepted).toBeGreaterThan(propertyRuns / 10);
    },
    propertyTimeoutMs,
  );

  it('history items as the run and the provider write them all pass the hand check', () => {
    const history = [
      { role: 'user', content: 'Hi' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Look' }, { type: 'input_image', image_url: 'data:,', detail: 'auto' }] },
      { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'lookup', arguments: '{}', status: 'completed' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"value":1}' },
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'thinking' }], encrypted_content: 'e' },
      { type: 'message', role: 'assistant', id: 'msg_1', status: 'completed', content: [{ type: 'output_text', text: 'Done.', annotations: [] }] },
      { type: 'provider_item', api: 'openai.responses', itemType: 'web_search_call', item: { type: 'web_search_call', id: 'ws_1' } },
    ];
    for (const value of history) expect(wellFormed(value)).toBe(true);
    expect(validateRunInput(history)).toEqual(history);
  });
});
