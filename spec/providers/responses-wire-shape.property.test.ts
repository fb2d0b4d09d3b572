import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InputItem } from '../../lib/index.js';
import { toResponsesInput } from '../../lib/providers/openai/responses-input.js';

// The fields the Responses API accepts on each input item and part, written out here
// apart from the library's own check: an item with any other field is rejected (400).
const itemFields: Record<string, readonly string[]> = {
  function_call: ['type', 'id', 'call_id', 'name', 'arguments', 'status'],
  function_call_output: ['type', 'call_id', 'output'],
  reasoning: ['type', 'id', 'summary', 'content', 'encrypted_content'],
  input_message: ['type', 'role', 'content'],
  assistant_message: ['type', 'role', 'id', 'status', 'content', 'phase'],
};
const partFields: Record<string, readonly string[]> = {
  input_text: ['type', 'text'],
  input_image: ['type', 'image_url', 'detail'],
  output_text: ['type', 'text', 'annotations'],
  refusal: ['type', 'refusal'],
  summary_text: ['type', 'text'],
  reasoning_text: ['type', 'text'],
};

type Json = Record<string, unknown>;

/** Where an item gets a field the API does not accept, if anywhere. */
type Extra = { readonly at: 'item' | 'part'; readonly key: string; readonly part: number } | undefined;

// Names an application or another library might leave on an item, near misses of accepted ones among them.
const extraKey = fc.constantFrom('agent', 'rawItem', 'callId', 'Type', 'ID', 'texts', 'annotation', 'providerData', 'created', 'toString', 'valueOf', 'image', 'output_text');

/** One item the API accepts as it is, made from a seed: each kind, with and without parts. */
const wireItem = fc.constantFrom(
  (): InputItem => ({ role: 'user', content: 'Weather in Paris?' }),
  (): InputItem => ({ type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Be brief.' }] }),
  (): InputItem => ({ role: 'user', content: [{ type: 'input_text', text: 'This?' }, { type: 'input_image', image_url: 'https://x/y.png', detail: 'low' }] }),
  (): InputItem => ({ role: 'assistant', content: 'Plain text.' }),
  (): InputItem => ({ type: 'message', role: 'assistant', id: 'msg_1', status: 'completed', content: [{ type: 'output_text', text: 'Sunny.', annotations: [] }] }),
  (): InputItem => ({ type: 'message', role: 'assistant', id: 'msg_2', status: 'completed', phase: 'final_answer', content: [{ type: 'refusal', refusal: 'No.' }] }),
  (): InputItem => ({ type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'weather', arguments: '{}', status: 'completed' }),
  (): InputItem => ({ type: 'function_call_output', call_id: 'call_1', output: 'Sunny' }),
);

/** The item with one field added where `extra` says (on one of its parts, for `part`, when it has parts). */
function withExtra(item: InputItem, extra: Extra): InputItem {
  if (!extra) return item;
  const parts = (item as { content?: unknown }).content;
  if (extra.at === 'part' && Array.isArray(parts)) (parts[extra.part % parts.length] as Json)[extra.key] = 'x';
  else (item as unknown as Json)[extra.key] = 'x';
  return item;
}

function kindOf(item: Json): string {
  if (item['type'] === 'function_call' || item['type'] === 'function_call_output' || item['type'] === 'reasoning') return item['type'];
  return item['role'] === 'assistant' ? 'assistant_message' : 'input_message';
}

/** The first field of a sent item, or of one of its parts, that the API would reject. */
function rejectedField(item: Json): string | undefined {
  const unknown = Object.keys(item).find((key) => !itemFields[kindOf(item)]!.includes(key));
  if (unknown) return unknown;
  for (const list of [item['content'], item['summary']]) {
    if (!Array.isArray(list)) continue;
    for (const part of list as Json[]) {
      const bad = Object.keys(part).find((key) => !partFields[String(part['type'])]!.includes(key));
      if (bad) return `${String(part['type'])}.${bad}`;
    }
  }
  return undefined;
}

describe('Responses input: which items go as they are', () => {
  it('sends an item as it is exactly when the API accepts all of its fields; what it sends has no other field', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            make: wireItem,
            extra: fc.option(fc.record({ at: fc.constantFrom<'item' | 'part'>('item', 'part'), key: extraKey, part: fc.nat({ max: 1 }) }), { nil: undefined }),
            // An encrypted reasoning item before the item (sendable when the item is output).
            reasoning: fc.boolean(),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (specs) => {
          const history: InputItem[] = [];
          const expected: { index: number; asIs: boolean }[] = [];
          for (const { make, extra, reasoning } of specs) {
            const item = make();
            const hasParts = Array.isArray((item as { content?: unknown }).content);
            const effective = extra && (extra.at === 'item' || hasParts) ? extra : undefined;
            if (reasoning) {
              const withPart = history.length % 2 === 0;
              history.push({ type: 'reasoning', id: `rs_${history.length}`, summary: [{ type: 'summary_text', text: 'thinking' }], encrypted_content: 'enc', ...(withPart ? { content: [{ type: 'reasoning_text', text: 'step' }] } : {}) });
            }
            expected.push({ index: history.length, asIs: effective === undefined });
            history.push(withExtra(item, effective));
          }
          const sent = toResponsesInput(history, { serverHas: () => false }) as unknown as Json[];
          for (const item of sent) expect(rejectedField(item)).toBeUndefined();
          // Every reasoning item here is followed by output or dropped with the user message it precedes;
          // an item that is sent is sent as it is when nothing on it (or on its parts) is foreign.
          const sentSet = new Set<unknown>(sent);
          for (const { index, asIs } of expected) {
            const original = history[index]!;
            const afterDropped = index > 0 && history[index - 1]!.type === 'reasoning' && !sentSet.has(history[index - 1]);
            if (asIs && !afterDropped) expect(sentSet.has(original)).toBe(true);
            if (!asIs) expect(sentSet.has(original)).toBe(false);
          }
          if (expected.every(({ asIs }) => asIs) && sent.length === history.length) expect(sent).toBe(history);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
