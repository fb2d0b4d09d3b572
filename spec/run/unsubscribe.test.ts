import { map, Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { Agent, MemorySession, ScriptedModel, run, type StreamEvent } from '../../lib/index.js';
import { expectPaired, label } from '../helpers/collect.js';
import { deafTool, endlessObservableTool, ToolProbe, until, waitingTool } from '../helpers/probe-tools.js';

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('unsubscribe is a hard stop', () => {
  it('delivers nothing after the instant of unsubscribe and closes the model stream (virtual time)', () => {
    const model = new ScriptedModel({ turns: [{ text: 'one two three four' }], delayMs: 10 });
    testScheduler().run(({ expectObservable }) => {
      const labels$ = run(new Agent({ name: 'A', model }), 'hi').pipe(map(label));
      // Chunks are due at 10, 20, 30 and 40 ms; the subscriber leaves at 25 ms.
      expectObservable(labels$, '^ 25ms !').toBe('(ab) 6ms c 9ms d', {
        a: 'run:running',
        b: 'agent:A',
        c: 'text:one ',
        d: 'text:two ',
      });
    });
    expect(model.openStreams).toBe(0);
  });

  it('aborts running tools, calls onCancel, unsubscribes Observable tools, drops late results', async () => {
    const probe = new ToolProbe();
    const model = new ScriptedModel({
      turns: [{ toolCalls: [{ name: 'wait' }, { name: 'deaf' }, { name: 'stream' }] }, { text: 'never' }],
    });
    const agent = new Agent({
      name: 'A',
      model,
      tools: [waitingTool(probe), deafTool(probe), endlessObservableTool(probe)],
    });
    const events: StreamEvent[] = [];
    const subscription = run(agent, 'go').subscribe((e) => events.push(e));
    await until(() => probe.started.length === 3);
    const seen = events.length;

    subscription.unsubscribe();

    expect(probe.aborted.map((a) => a.callId)).toEqual(['call_1_1']);
    expect(String(probe.aborted[0]?.reason)).toContain('unsubscribed');
    expect(probe.aborted[0]?.reason).toBeInstanceOf(Error);
    expect(probe.cancelled.sort()).toEqual(['call_1_1', 'call_1_2', 'call_1_3']);
    expect(probe.unsubscribed).toEqual(['call_1_3']);
    expect(probe.running.size).toBe(0);
    expect(model.openStreams).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(events.length).toBe(seen);
    expect(model.requests).toHaveLength(1);
  });

  it('still saves the session, with every cut-off call paired', async () => {
    const probe = new ToolProbe();
    const session = new MemorySession();
    const model = new ScriptedModel({ turns: [{ text: 'Checking.', toolCalls: [{ name: 'wait' }] }] });
    const subscription = run(new Agent({ name: 'A', model, tools: [waitingTool(probe)] }), 'go', { session }).subscribe();
    await until(() => probe.started.length === 1);
    subscription.unsubscribe();
    const items = await session.getItems();
    expect(items.map((i) => i.type ?? 'message')).toEqual(['message', 'message', 'function_call', 'function_call_output']);
    expectPaired(items);
    const output = items[3];
    expect(output?.type === 'function_call_output' && output.output).toContain('cancelled');
  });

  it('leaves no listener on the caller signal or subscription on cancel$ and inject$', async () => {
    const controller = new AbortController();
    const cancel$ = new Subject<string>();
    const inject$ = new Subject<string>();
    let added = 0;
    let removed = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<typeof add>) => (added++, add(...args))) as typeof add;
    controller.signal.removeEventListener = ((...args: Parameters<typeof remove>) => (removed++, remove(...args))) as typeof remove;

    const model = new ScriptedModel({ turns: [{ text: 'x', hang: true }] });
    const subscription = run(new Agent({ name: 'A', model }), 'go', { signal: controller.signal, cancel$, inject$ }).subscribe();
    expect(cancel$.observed).toBe(true);
    expect(inject$.observed).toBe(true);
    subscription.unsubscribe();
    expect(cancel$.observed).toBe(false);
    expect(inject$.observed).toBe(false);
    expect(added).toBe(1);
    expect(removed).toBe(1);
  });
});
