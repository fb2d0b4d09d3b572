import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InputItem, OutputItem } from '../../lib/index.js';
import { toResponsesInput } from '../../lib/providers/openai/responses-input.js';
import { checkResponsesRequest } from '../support/request-checks.js';
import { ResponsesStore } from '../support/responses-store.js';
import { namedFrame, type WireStep } from '../support/wire-step.js';

/** One item a response may produce, before ids are given. */
type Shape = 'reasoning' | 'encrypted_reasoning' | 'message' | 'call' | 'web_search_call';

/** A response: its items, and where a cancel cut its stream (items after it never arrived). */
const responseArb = fc.record({
  shapes: fc.array(fc.constantFrom<Shape>('reasoning', 'encrypted_reasoning', 'message', 'call', 'web_search_call'), { minLength: 1, maxLength: 6 }),
  cutAt: fc.option(fc.nat({ max: 6 }), { nil: undefined }),
});

function outputItem(shape: Shape, n: number, i: number): OutputItem {
  const id = `${n}_${i}`;
  switch (shape) {
    case 'reasoning':
      return { type: 'reasoning', id: `rs_${id}`, summary: [{ type: 'summary_text', text: 'thinking' }] };
    case 'encrypted_reasoning':
      return { type: 'reasoning', id: `rs_${id}`, summary: [], encrypted_content: `enc_${id}` };
    case 'message':
      return { type: 'message', role: 'assistant', id: `msg_${id}`, status: 'completed', content: [{ type: 'output_text', text: 'ok' }] };
    case 'call':
      return { type: 'function_call', id: `fc_${id}`, call_id: `call_${id}`, name: 'f', arguments: '{}', status: 'completed' };
    case 'web_search_call':
      return {
        type: 'provider_item',
        api: 'openai.responses',
        itemType: 'web_search_call',
        item: { id: `ws_${id}`, type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'q' } },
      };
  }
}

/** The wire form of an output item, as the server streamed it. */
function wireItem(item: OutputItem): unknown {
  return item.type === 'provider_item' ? item.item : item;
}

describe('Responses history with store: false', () => {
  it('whatever the responses held and wherever a cancel cut them, the history sent back is accepted', () => {
    fc.assert(
      fc.property(fc.array(responseArb, { minLength: 1, maxLength: 5 }), (responses) => {
        const store = new ResponsesStore();
        const history: InputItem[] = [];
        responses.forEach(({ shapes, cutAt }, r) => {
          history.push({ role: 'user', content: `question ${r}` });
          const output = shapes.map((shape, i) => outputItem(shape, r, i));
          // The server knows the whole output's order, whatever reached the client.
          const steps: WireStep[] = output.map((item, i) => ({
            kind: 'send',
            frame: namedFrame('response.output_item.done', { type: 'response.output_item.done', output_index: i, item: wireItem(item) }),
          }));
          store.learn({ store: false }, [], steps, false);
          const received = cutAt === undefined ? output : output.slice(0, cutAt);
          history.push(...received);
          // The run answers every call it saw (tool results, or cancelled outputs after a cut).
          for (const item of received) {
            if (item.type === 'function_call') history.push({ type: 'function_call_output', call_id: item.call_id, output: 'done' });
          }
        });
        history.push({ role: 'user', content: 'next' });
        const body = { model: 'o3', stream: true, store: false, input: toResponsesInput(history, { serverHas: () => false }) };
        const rejection = checkResponsesRequest(body, body.input) ?? store.check(body, body.input);
        expect(rejection).toBeUndefined();
        // Nothing is dropped that could go: with every reasoning item encrypted, followed, and nothing cut, all go back.
        const whole = responses.every(
          ({ shapes, cutAt }) => (cutAt === undefined || cutAt >= shapes.length) && !shapes.includes('reasoning') && shapes.at(-1) !== 'encrypted_reasoning',
        );
        if (whole) {
          const count = (list: readonly { type?: string }[]) => list.filter((i) => i.type === 'reasoning').length;
          expect(count(body.input as { type?: string }[])).toBe(count(history));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('sends a history already in the wire shape as the very array, and copies (leaving the history as it was) only from the first item it must change', () => {
    const onWire: InputItem[] = [
      { role: 'user', content: 'Weather in Paris?' },
      { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'weather', arguments: '{}', status: 'completed' },
      { type: 'function_call_output', call_id: 'call_1', output: 'Sunny' },
      { type: 'message', role: 'assistant', id: 'msg_1', status: 'completed', content: [{ type: 'output_text', text: 'Sunny.', annotations: [] }] },
    ];
    expect(toResponsesInput(onWire, { serverHas: () => false })).toBe(onWire);
    const withOld: InputItem[] = [...onWire, { type: 'reasoning', id: 'rs_1', summary: [] }, { type: 'message', role: 'assistant', id: 'msg_2', status: 'completed', content: [{ type: 'output_text', text: 'More.', annotations: [] }] }];
    const before = structuredClone(withOld);
    const sent = toResponsesInput(withOld, { serverHas: () => false });
    expect(sent).not.toBe(withOld);
    expect(sent.slice(0, 4)).toEqual(onWire);
    expect(sent.slice(0, 4).every((item, i) => item === withOld[i])).toBe(true);
    // The unsendable reasoning item is dropped, and the message after it goes without its id.
    expect(sent.slice(4)).toEqual([{ type: 'message', role: 'assistant', content: 'More.' }]);
    expect(withOld).toEqual(before);
  });
});
