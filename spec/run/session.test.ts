import { firstValueFrom, Subject } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { Agent, MemorySession, ScriptedModel, SessionError, run, toResult, tool, type InputItem, type Session } from '../../lib/index.js';
import { collect, expectPaired, statuses } from '../helpers/collect.js';
import { echoTool, ToolProbe, until, waitingTool } from '../helpers/probe-tools.js';

const kinds = (items: readonly InputItem[]) => items.map((i) => (i.type === undefined || i.type === 'message' ? `${i.role}` : i.type));

describe('sessions: nothing lost', () => {
  it('a completed run appends its input and every item, and the next run reads them', async () => {
    const session = new MemorySession('conv-1');
    const model = new ScriptedModel({
      turns: [{ toolCalls: [{ name: 'echo', arguments: { text: 'hi' } }] }, { text: 'first' }, { text: 'second' }],
    });
    const agent = new Agent({ name: 'A', model, tools: [echoTool] });
    await firstValueFrom(run(agent, 'one', { session }).pipe(toResult()));
    expect(kinds(await session.getItems())).toEqual(['user', 'function_call', 'function_call_output', 'assistant']);
    await firstValueFrom(run(agent, 'two', { session }).pipe(toResult()));
    expect(kinds(model.requests[2]!.input)).toEqual(['user', 'function_call', 'function_call_output', 'assistant', 'user']);
    expect(kinds(await session.getItems())).toHaveLength(6);
  });

  it('a MemorySession subclass that reads a window of its history: the model sees the window, not the whole', async () => {
    class LastTwo extends MemorySession {
      override async getItems(): Promise<readonly InputItem[]> {
        return (await super.getItems()).slice(-2);
      }
    }
    const session = new LastTwo(undefined, [
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b' },
      { role: 'user', content: 'c' },
      { role: 'assistant', content: 'd' },
    ]);
    const model = new ScriptedModel({ turns: [{ text: 'e' }] });
    const result = await firstValueFrom(run(new Agent({ name: 'A', model }), 'f', { session }).pipe(toResult()));
    expect(model.requests[0]!.input).toEqual([
      { role: 'user', content: 'c' },
      { role: 'assistant', content: 'd' },
      { role: 'user', content: 'f' },
    ]);
    expect(kinds(result.history)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  it('a spy put on MemorySession.prototype.getItems sees the run read the history, and answers for it', async () => {
    const spy = vi.spyOn(MemorySession.prototype, 'getItems').mockRejectedValue(new Error('db down'));
    try {
      const session = new MemorySession('s', [{ role: 'user', content: 'old' }]);
      const model = new ScriptedModel({ turns: [{ text: 'never' }] });
      const { events, error } = await collect(run(new Agent({ name: 'A', model }), 'hi', { session }));
      expect(spy).toHaveBeenCalledTimes(1);
      expect(statuses(events)).toEqual(['running', 'failed']);
      expect(error).toBeInstanceOf(SessionError);
      expect(model.requests).toHaveLength(0);
    } finally {
      spy.mockRestore();
    }
  });

  it('a spy put on MemorySession.prototype.addItems sees the run write its items, and answers for it', async () => {
    const spy = vi.spyOn(MemorySession.prototype, 'addItems').mockRejectedValue(new Error('disk full'));
    try {
      const session = new MemorySession('s');
      const model = new ScriptedModel({ turns: [{ text: 'hello' }] });
      const { events, error } = await collect(run(new Agent({ name: 'A', model }), 'hi', { session }));
      expect(spy).toHaveBeenCalled();
      expect(statuses(events)).toEqual(['running', 'failed']);
      expect(error).toBeInstanceOf(SessionError);
      expect((error as Error).message).toContain('disk full');
    } finally {
      spy.mockRestore();
    }
  });

  it('a MemorySession subclass that stores its own way is written through its addItems', async () => {
    const stored: string[] = [];
    class Recorded extends MemorySession {
      override addItems(items: readonly InputItem[]): Promise<void> {
        stored.push(...items.map((i) => ('role' in i ? i.role : i.type)));
        return super.addItems(items);
      }
    }
    const session = new Recorded();
    const model = new ScriptedModel({ turns: [{ text: 'hello' }] });
    await collect(run(new Agent({ name: 'A', model }), 'hi', { session }));
    expect(stored).toEqual(['user', 'assistant']);
    expect(kinds(await session.getItems())).toEqual(['user', 'assistant']);
  });

  it('a consumer that leaves at the first event stops a session run before any user code or model call; its input is kept', async () => {
    const calls: string[] = [];
    const session = new MemorySession('s');
    const model = new ScriptedModel({ turns: [{ text: 'an answer nobody asked for' }] });
    const agent = new Agent({
      name: 'A',
      model,
      instructions: () => (calls.push('instructions'), 'be brief'),
      inputGuardrails: [{ name: 'g', execute: async () => (calls.push('guardrail'), { tripwireTriggered: false, outputInfo: null }) }],
    });
    const first = await firstValueFrom(run(agent, 'hi', { session }));
    expect(first).toMatchObject({ type: 'run.updated', status: 'running' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toEqual([]);
    expect(model.requests).toHaveLength(0);
    expect(kinds(await session.getItems())).toEqual(['user']);
  });

  it('a failed run keeps its input and completed items, with open calls paired', async () => {
    const session = new MemorySession();
    const model = new ScriptedModel({
      turns: [{ text: 'Let me look.', toolCalls: [{ name: 'echo', arguments: { text: 'x' } }] }, { text: 'half', fail: 'socket hang up' }],
    });
    const { events, error } = await collect(run(new Agent({ name: 'A', model, tools: [echoTool] }), 'go', { session }));
    expect(error).toBeDefined();
    expect(statuses(events)).toEqual(['running', 'failed']);
    const items = await session.getItems();
    expect(kinds(items)).toEqual(['user', 'assistant', 'function_call', 'function_call_output']);
    expectPaired(items);
    // The half-written second answer is not kept.
    expect(JSON.stringify(items)).not.toContain('half');
  });

  it.each([
    ['while the model streams', 'stream'],
    ['while tools run', 'tools'],
    ['after some tools finished', 'partial'],
  ] as const)('a cancel %s leaves a paired, continuable history', async (_what, when) => {
    const session = new MemorySession();
    const probe = new ToolProbe();
    const cancel$ = new Subject<string>();
    const turns =
      when === 'stream'
        ? [{ toolCalls: [{ name: 'echo', arguments: { text: 'a' } }] }, { text: 'still typing', hang: true }]
        : [{ toolCalls: [{ name: 'echo', arguments: { text: 'a' } }, { name: 'wait' }] }];
    const model = new ScriptedModel({ turns: [...turns, { text: 'continued' }] });
    const agent = new Agent({ name: 'A', model, tools: [echoTool, waitingTool(probe)] });
    const done = collect(run(agent, 'go', { session, cancel$ }));
    await until(() => (when === 'stream' ? model.openStreams === 1 && model.requests.length === 2 : probe.started.length === 1));
    cancel$.next('user pressed stop');
    const { events } = await done;
    expect(statuses(events)).toEqual(['running', 'cancelled']);

    const items = await session.getItems();
    expectPaired(items);
    const echoOutput = items.find((i) => i.type === 'function_call_output' && i.call_id === 'call_1_1');
    expect(echoOutput?.type === 'function_call_output' && echoOutput.output).toBe('echo: a');
    if (when !== 'stream') {
      const cut = items.find((i) => i.type === 'function_call_output' && i.call_id === 'call_1_2');
      expect(cut?.type === 'function_call_output' && cut.output).toContain('cancelled');
      expect(cut?.type === 'function_call_output' && cut.output).toContain('user pressed stop');
    }
    // What the event stream reported matches what the session holds.
    const last = events.at(-1);
    expect(last?.type === 'run.updated' && last.result?.history).toEqual(items);

    // The next run on the same session sends a valid history.
    const next = await firstValueFrom(run(agent, 'again', { session }).pipe(toResult()));
    expect(next.finalOutput).toBe('continued');
    expectPaired(model.requests.at(-1)!.input);
  });

  it('the session is written before the terminal event is delivered', async () => {
    let written = false;
    const slowSession: Session = {
      getItems: () => Promise.resolve([]),
      addItems: () => new Promise<void>((resolve) => setImmediate(() => ((written = true), resolve()))),
      clear: () => Promise.resolve(),
    };
    const model = new ScriptedModel({ turns: [{ text: 'ok' }] });
    let writtenAtEnd: boolean | undefined;
    await new Promise<void>((resolve) =>
      run(new Agent({ name: 'A', model }), 'hi', { session: slowSession }).subscribe({
        next: (e) => {
          if (e.type === 'run.updated' && e.status === 'completed') writtenAtEnd = written;
        },
        complete: resolve,
      }),
    );
    expect(writtenAtEnd).toBe(true);
  });

  it('a session write that fails makes the run fail, saying so', async () => {
    const broken: Session = {
      getItems: () => Promise.resolve([]),
      addItems: () => Promise.reject(new Error('disk full')),
      clear: () => Promise.resolve(),
    };
    const model = new ScriptedModel({ turns: [{ text: 'ok' }] });
    const { events, error } = await collect(run(new Agent({ name: 'A', model }), 'hi', { session: broken }));
    expect(statuses(events)).toEqual(['running', 'failed']);
    // Typed: a SessionError naming the call, with the store's error as its cause.
    expect(error).toBeInstanceOf(SessionError);
    expect(error).toMatchObject({ operation: 'addItems', message: 'Session: addItems rejected: disk full' });
    expect(((error as Error).cause as Error).message).toBe('disk full');
    const last = events.at(-1);
    expect(last?.type === 'run.updated' && last.error).toBe(error);
  });

  it('each item is written once, as it happens, even if the subscriber leaves during a write', async () => {
    const batches: string[][] = [];
    const session: Session = {
      getItems: () => Promise.resolve([]),
      addItems: (items) => (batches.push(kinds(items)), new Promise<void>((resolve) => setImmediate(resolve))),
      clear: () => Promise.resolve(),
    };
    const model = new ScriptedModel({ turns: [{ text: 'ok' }] });
    const subscription = run(new Agent({ name: 'A', model }), 'hi', { session }).subscribe();
    // The input when it reached the model, then the answer.
    await until(() => batches.length === 2);
    subscription.unsubscribe();
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([['user'], ['assistant']]);
  });

  it('a tool with zod defaults receives them', async () => {
    const withDefault = tool({
      name: 'd',
      description: 'd',
      parameters: z.object({ n: z.number().default(3) }),
      execute: ({ n }) => n,
    });
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'd', arguments: {} }] }, { text: 'ok' }] });
    const result = await firstValueFrom(run(new Agent({ name: 'A', model, tools: [withDefault] }), 'go').pipe(toResult()));
    expect(result.items.find((i) => i.type === 'tool_output')).toMatchObject({ output: 3 });
  });
});
