import { firstValueFrom, map, Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, MemorySession, RunCancelledError, ScriptedModel, run, toResult, tool } from '../../lib/index.js';
import { collect, expectPaired, label, statuses } from '../helpers/collect.js';
import { echoTool, ToolProbe, until, waitingTool } from '../helpers/probe-tools.js';

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('graceful cancel', () => {
  it('cancel$ ends the run with cancelled and the reason at that instant (virtual time)', () => {
    const model = new ScriptedModel({ turns: [{ text: 'one two three' }], delayMs: 10 });
    testScheduler().run(({ cold, expectObservable }) => {
      const cancel$ = cold<string>('15ms s', { s: 'user pressed stop' });
      const labels$ = run(new Agent({ name: 'A', model }), 'hi', { cancel$ }).pipe(
        map((e) => (e.type === 'run.updated' && e.reason ? `${label(e)}:${e.reason}` : label(e))),
      );
      // The first chunk is due at 10 ms, the cancel comes at 15 ms: no later chunk, no half message.
      expectObservable(labels$).toBe('(ab) 6ms c 4ms (d|)', {
        a: 'run:running',
        b: 'agent:A',
        c: 'text:one ',
        d: 'run:cancelled:user pressed stop',
      });
    });
    expect(model.openStreams).toBe(0);
  });

  it('the cancelled result holds the items so far and no final output', async () => {
    const cancel$ = new Subject<string>();
    const probe = new ToolProbe();
    const model = new ScriptedModel({ turns: [{ text: 'Looking.', toolCalls: [{ name: 'wait' }] }] });
    const result$ = firstValueFrom(run(new Agent({ name: 'A', model, tools: [waitingTool(probe)] }), 'go', { cancel$ }).pipe(toResult()));
    await until(() => probe.started.length === 1);
    cancel$.next('stop');
    const result = await result$;
    expect(result.status).toBe('cancelled');
    expect(result.reason).toBe('stop');
    expect(result.finalOutput).toBeUndefined();
    expect(result.items.map((i) => i.type)).toEqual(['message_output', 'tool_call', 'tool_output']);
    expectPaired(result.history);
  });

  it('aborts running tools with the reason and calls onCancel', async () => {
    const cancel$ = new Subject<{ reason: string }>();
    const probe = new ToolProbe();
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'wait' }, { name: 'wait' }] }] });
    const done = collect(run(new Agent({ name: 'A', model, tools: [waitingTool(probe)] }), 'go', { cancel$ }));
    await until(() => probe.started.length === 2);
    cancel$.next({ reason: 'closing the tab' });
    const { events, error } = await done;
    expect(error).toBeUndefined();
    expect(statuses(events)).toEqual(['running', 'cancelled']);
    expect(probe.aborted.map((a) => a.callId)).toEqual(['call_1_1', 'call_1_2']);
    expect(probe.aborted[0]?.reason).toBeInstanceOf(RunCancelledError);
    expect((probe.aborted[0]?.reason as RunCancelledError).reason).toBe('closing the tab');
    expect(probe.cancelled).toEqual(['call_1_1', 'call_1_2']);
    expect(probe.running.size).toBe(0);
  });

  it('an AbortSignal cancels like cancel$, with its reason', async () => {
    const controller = new AbortController();
    const probe = new ToolProbe();
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'wait' }] }] });
    const done = collect(run(new Agent({ name: 'A', model, tools: [waitingTool(probe)] }), 'go', { signal: controller.signal }));
    await until(() => probe.started.length === 1);
    controller.abort(new Error('request closed'));
    const { events } = await done;
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'run.updated', status: 'cancelled', reason: 'request closed' });
    expect(probe.aborted).toHaveLength(1);
  });

  it('a tool that reads its signal only after the cancel finds it aborted, with the reason', async () => {
    const cancel$ = new Subject<string>();
    let resume!: () => void;
    const seen: { aborted: boolean; reason: unknown }[] = [];
    const late = tool({
      name: 'late',
      description: 'Reads its signal once it wakes up.',
      parameters: z.object({}),
      execute: async (_args, ctx) => {
        await new Promise<void>((resolve) => (resume = resolve));
        seen.push({ aborted: ctx.signal.aborted, reason: ctx.signal.reason });
        return 'done';
      },
    });
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'late' }] }, { text: 'never' }] });
    const done = collect(run(new Agent({ name: 'A', model, tools: [late] }), 'go', { cancel$ }));
    await until(() => resume !== undefined);
    cancel$.next('user pressed stop');
    const { events } = await done;
    resume();
    await until(() => seen.length === 1);
    expect(events.at(-1)).toMatchObject({ type: 'run.updated', status: 'cancelled', reason: 'user pressed stop' });
    expect(seen[0]!.aborted).toBe(true);
    expect((seen[0]!.reason as RunCancelledError).reason).toBe('user pressed stop');
  });

  it('an already-aborted signal yields a cancelled run with no model call', async () => {
    const model = new ScriptedModel({ turns: [{ text: 'x' }] });
    const session = new MemorySession();
    const { events } = await collect(
      run(new Agent({ name: 'A', model }), 'hi', { signal: AbortSignal.abort('too late'), session }),
    );
    expect(events.map(label)).toEqual(['run:running', 'run:cancelled']);
    expect(events.at(-1)).toMatchObject({ reason: 'too late' });
    expect(model.requests).toHaveLength(0);
    expect(await session.getItems()).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('after_turn lets the model response and its tool calls finish, then cancels', async () => {
    const cancel$ = new Subject<{ reason: string; mode: 'after_turn' }>();
    let release!: () => void;
    const slow = tool({
      name: 'slow',
      description: 'slow',
      parameters: z.object({}),
      execute: () => new Promise<string>((resolve) => (release = () => resolve('finished'))),
    });
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'slow' }] }, { text: 'never asked' }] });
    const done = collect(run(new Agent({ name: 'A', model, tools: [slow] }), 'go', { cancel$ }));
    await until(() => release !== undefined);
    cancel$.next({ reason: 'wrap up', mode: 'after_turn' });
    release();
    const { events } = await done;
    expect(events.map(label)).toEqual(['run:running', 'agent:A', 'item:tool_call', 'item:tool_output', 'run:cancelled']);
    const output = events.find((e) => e.type === 'item.created' && e.item.type === 'tool_output');
    expect(output?.type === 'item.created' && output.item.type === 'tool_output' && output.item.output).toBe('finished');
    expect(model.requests).toHaveLength(1);
  });

  it('after_turn during the final answer lets the run complete', async () => {
    const model = new ScriptedModel({ turns: [{ text: 'the answer' }] });
    const cancel$ = new Subject<{ mode: 'after_turn' }>();
    const done = collect(run(new Agent({ name: 'A', model }), 'go', { cancel$ }));
    cancel$.next({ mode: 'after_turn' });
    expect(statuses((await done).events)).toEqual(['running', 'completed']);
  });

  it('an immediate cancel overrides a pending after_turn cancel', async () => {
    const probe = new ToolProbe();
    const cancel$ = new Subject<{ reason: string; mode?: 'after_turn' }>();
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'wait' }] }] });
    const done = collect(run(new Agent({ name: 'A', model, tools: [waitingTool(probe)] }), 'go', { cancel$ }));
    await until(() => probe.started.length === 1);
    cancel$.next({ reason: 'soon', mode: 'after_turn' });
    expect(probe.aborted).toHaveLength(0);
    cancel$.next({ reason: 'now' });
    const { events } = await done;
    expect(events.at(-1)).toMatchObject({ status: 'cancelled', reason: 'now' });
    expect(probe.aborted).toHaveLength(1);
  });

  it('a cancel after the run ended changes nothing', async () => {
    const cancel$ = new Subject<string>();
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'echo', arguments: { text: 'a' } }] }, { text: 'ok' }] });
    const { events } = await collect(run(new Agent({ name: 'A', model, tools: [echoTool] }), 'go', { cancel$ }));
    cancel$.next('late');
    expect(statuses(events)).toEqual(['running', 'completed']);
    expect(cancel$.observed).toBe(false);
  });

  it.each(['completed', 'failed', 'cancelled'] as const)('removes its abort listener from the caller signal when the run ends %s', async (end) => {
    const controller = new AbortController();
    const listeners = new Set<unknown>();
    const add = controller.signal.addEventListener.bind(controller.signal);
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((type: string, listener: unknown, ...rest: unknown[]) => {
      listeners.add(listener);
      return (add as (...a: unknown[]) => void)(type, listener, ...rest);
    }) as typeof add;
    controller.signal.removeEventListener = ((type: string, listener: unknown, ...rest: unknown[]) => {
      listeners.delete(listener);
      return (remove as (...a: unknown[]) => void)(type, listener, ...rest);
    }) as typeof remove;
    const cancel$ = new Subject<string>();
    const turns = end === 'failed' ? [{ fail: 'boom' }] : end === 'cancelled' ? [{ text: 'x', hang: true }] : [{ text: 'done' }];
    const done = collect(run(new Agent({ name: 'A', model: new ScriptedModel({ turns }) }), 'hi', { signal: controller.signal, cancel$ }));
    expect(listeners.size).toBe(end === 'cancelled' ? 1 : 0);
    cancel$.next('stop');
    expect(statuses((await done).events).at(-1)).toBe(end);
    expect(listeners.size).toBe(0);
  });

  it('a cancelled run keeps the usage of the model calls it made', async () => {
    const probe = new ToolProbe();
    const cancel$ = new Subject<string>();
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'wait' }], usage: { inputTokens: 12, outputTokens: 5 } }] });
    const result$ = firstValueFrom(run(new Agent({ name: 'A', model, tools: [waitingTool(probe)] }), 'go', { cancel$ }).pipe(toResult()));
    await until(() => probe.started.length === 1);
    cancel$.next('stop');
    expect((await result$).usage).toMatchObject({ requests: 1, inputTokens: 12, outputTokens: 5 });
  });
});
