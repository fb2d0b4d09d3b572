import { map, Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, MemorySession, ScriptedModel, run, tool, type InputItem, type RunInput } from '../../lib/index.js';
import { collect, expectPaired, label, statuses } from '../helpers/collect.js';
import { until } from '../helpers/probe-tools.js';

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const userTexts = (input: readonly InputItem[]) =>
  input.flatMap((i) => ('role' in i && i.role === 'user' && typeof i.content === 'string' ? [i.content] : []));

describe('inject$', () => {
  it('joins the next model call, reported as injected_input when consumed', async () => {
    const inject$ = new Subject<RunInput>();
    let release!: () => void;
    const slow = tool({
      name: 'slow',
      description: 'slow',
      parameters: z.object({}),
      execute: () => new Promise<string>((resolve) => (release = () => resolve('done'))),
    });
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'slow' }] }, { text: 'Paris and Rome.' }] });
    const done = collect(run(new Agent({ name: 'A', model, tools: [slow] }), 'Weather in Paris?', { inject$ }));
    await until(() => release !== undefined);
    inject$.next('Also in Rome, please.');
    // Not consumed yet: the model has not been called again.
    expect(model.requests).toHaveLength(1);
    release();
    const { events } = await done;
    expect(events.map(label)).toEqual([
      'run:running',
      'agent:A',
      'item:tool_call',
      'item:tool_output',
      'item:injected_input',
      'text:Paris ',
      'text:and ',
      'text:Rome.',
      'item:message_output',
      'run:completed',
    ]);
    expect(userTexts(model.requests[0]!.input)).toEqual(['Weather in Paris?']);
    expect(userTexts(model.requests[1]!.input)).toEqual(['Weather in Paris?', 'Also in Rome, please.']);
    // The injection comes after the tool output, keeping the call/output pair adjacent.
    expect(model.requests[1]!.input.map((i) => i.type ?? 'message')).toEqual([
      'message',
      'function_call',
      'function_call_output',
      'message',
    ]);
  });

  it('accepts an item and a list of items', async () => {
    const inject$ = new Subject<RunInput>();
    const model = new ScriptedModel({ turns: [{ text: 'a', delayMs: 1 }, { text: 'b' }] });
    const done = collect(run(new Agent({ name: 'A', model }), 'start', { inject$ }));
    inject$.next({ role: 'user', content: 'one' });
    inject$.next([{ role: 'user', content: 'two' }, { role: 'developer', content: 'three' }]);
    await done;
    expect(model.requests[1]!.input.slice(-3)).toEqual([
      { role: 'user', content: 'one' },
      { role: 'user', content: 'two' },
      { role: 'developer', content: 'three' },
    ]);
  });

  it('is never dropped: a final answer with input waiting takes another turn', () => {
    const model = new ScriptedModel({ turns: [{ text: 'first answer' }, { text: 'second' }], delayMs: 10 });
    testScheduler().run(({ cold, expectObservable }) => {
      const inject$ = cold<string>('15ms i', { i: 'and another thing' });
      const labels$ = run(new Agent({ name: 'A', model }), 'hi', { inject$ }).pipe(map(label));
      // 'answer' and the message complete at 20 ms with input waiting: the second turn starts at once.
      expectObservable(labels$).toBe('(ab) 6ms c 9ms (def) 5ms (ghi|)', {
        a: 'run:running',
        b: 'agent:A',
        c: 'text:first ',
        d: 'text:answer',
        e: 'item:message_output',
        f: 'item:injected_input',
        g: 'text:second',
        h: 'item:message_output',
        i: 'run:completed',
      });
    });
  });

  it('input that arrives with no turn left to take it is kept, in the result and the session', async () => {
    const inject$ = new Subject<string>();
    const cancel$ = new Subject<string>();
    const session = new MemorySession();
    const model = new ScriptedModel({ turns: [{ text: 'x', hang: true }] });
    const done = collect(run(new Agent({ name: 'A', model }), 'hi', { inject$, cancel$, session }));
    inject$.next('are you there?');
    cancel$.next('stop');
    const { events } = await done;
    const last = events.at(-1);
    expect(last?.type === 'run.updated' && last.result?.unconsumedInput).toEqual([{ role: 'user', content: 'are you there?' }]);
    expect(userTexts(await session.getItems())).toEqual(['hi', 'are you there?']);
  });

  describe("injectMode 'interrupt'", () => {
    it('aborts the stream in flight, reports the discarded output, and restarts the turn with the input', () => {
      const model = new ScriptedModel({
        turns: [{ text: 'I will tell you about Paris' }, { text: 'Rome it is' }],
        delayMs: 10,
      });
      testScheduler().run(({ cold, expectObservable }) => {
        const inject$ = cold<string>('25ms i', { i: 'Actually, Rome.' });
        const labels$ = run(new Agent({ name: 'A', model }), 'Tell me about Paris', { inject$, injectMode: 'interrupt' }).pipe(
          map((e) => (e.type === 'turn.interrupted' ? `interrupted:${e.partialText}` : label(e))),
        );
        expectObservable(labels$).toBe('(ab) 6ms c 9ms d 4ms (ef) 6ms g 9ms h 9ms (ijk|)', {
          a: 'run:running',
          b: 'agent:A',
          c: 'text:I ',
          d: 'text:will ',
          e: 'interrupted:I will ',
          f: 'item:injected_input',
          g: 'text:Rome ',
          h: 'text:it ',
          i: 'text:is',
          j: 'item:message_output',
          k: 'run:completed',
        });
      });
    });

    it('the restarted call sees the injected input and none of the discarded output', async () => {
      const inject$ = new Subject<string>();
      const model = new ScriptedModel({ turns: [{ text: 'Paris is', hang: true }, { text: 'Rome!' }] });
      const session = new MemorySession();
      const done = collect(run(new Agent({ name: 'A', model }), 'Paris?', { inject$, injectMode: 'interrupt', session }));
      await until(() => model.openStreams === 1);
      inject$.next('Rome instead');
      const { events } = await done;
      expect(statuses(events)).toEqual(['running', 'completed']);
      expect(model.openStreams).toBe(0);
      expect(model.requests[1]!.input).toEqual([
        { role: 'user', content: 'Paris?' },
        { role: 'user', content: 'Rome instead' },
      ]);
      const interrupted = events.find((e) => e.type === 'turn.interrupted');
      expect(interrupted).toMatchObject({ partialText: 'Paris is', discardedItems: [] });
      const history = await session.getItems();
      expect(userTexts(history)).toEqual(['Paris?', 'Rome instead']);
      expect(JSON.stringify(history)).not.toContain('Paris is');
    });

    it('does not interrupt running tools: the input waits for the next turn', async () => {
      const inject$ = new Subject<string>();
      let release!: () => void;
      const slow = tool({
        name: 'slow',
        description: 'slow',
        parameters: z.object({}),
        execute: () => new Promise<string>((resolve) => (release = () => resolve('ok'))),
      });
      const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'slow' }] }, { text: 'done' }] });
      const done = collect(run(new Agent({ name: 'A', model, tools: [slow] }), 'go', { inject$, injectMode: 'interrupt' }));
      await until(() => release !== undefined);
      inject$.next('hurry');
      release();
      const { events } = await done;
      expect(events.some((e) => e.type === 'turn.interrupted')).toBe(false);
      expect(events.filter((e) => e.type === 'item.created' && e.item.type === 'tool_output')).toHaveLength(1);
      expect(userTexts(model.requests[1]!.input)).toEqual(['go', 'hurry']);
      expectPaired(model.requests[1]!.input);
    });
  });
});
