import { firstValueFrom, Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  ScriptedModel,
  ToolCallError,
  run,
  toResult,
  tool,
  type StreamEvent,
  type ToolOutputRunItem,
} from '../../lib/index.js';
import { collect, expectPaired, label } from '../helpers/collect.js';
import { echoTool, ToolProbe, waitingTool } from '../helpers/probe-tools.js';

const outputs = (events: readonly StreamEvent[]): ToolOutputRunItem[] =>
  events.flatMap((e) => (e.type === 'item.created' && e.item.type === 'tool_output' ? [e.item] : []));

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('tools', () => {
  it('run concurrently, and their outputs keep the calls’ order', async () => {
    const gates = { a: deferred<string>(), b: deferred<string>(), c: deferred<string>() };
    const started: string[] = [];
    const gated = tool({
      name: 'gated',
      description: 'waits for its gate',
      parameters: z.object({ id: z.enum(['a', 'b', 'c']) }),
      execute: ({ id }) => {
        started.push(id);
        return gates[id].promise;
      },
    });
    const model = new ScriptedModel({
      turns: [
        { toolCalls: [{ name: 'gated', arguments: { id: 'a' } }, { name: 'gated', arguments: { id: 'b' } }, { name: 'gated', arguments: { id: 'c' } }] },
        { text: 'done' },
      ],
    });
    const done = collect(run(new Agent({ name: 'A', model, tools: [gated] }), 'go'));
    await Promise.resolve();
    // All three started before any finished: concurrent.
    expect(started).toEqual(['a', 'b', 'c']);
    gates.c.resolve('C');
    gates.b.resolve('B');
    gates.a.resolve('A');
    const { events } = await done;
    expect(outputs(events).map((o) => o.output)).toEqual(['A', 'B', 'C']);
    const input = model.requests[1]!.input;
    expect(input.filter((i) => i.type === 'function_call_output').map((i) => i.call_id)).toEqual([
      'call_1_1',
      'call_1_2',
      'call_1_3',
    ]);
  });

  it('an Observable tool reports every value but the last as progress; the last is the output', async () => {
    const steps = tool({
      name: 'steps',
      description: 'counts',
      parameters: z.object({}),
      execute: () =>
        new Observable<string>((s) => {
          s.next('10%');
          s.next('60%');
          s.next('result');
          s.complete();
        }),
    });
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'steps' }] }, { text: 'ok' }] });
    const { events } = await collect(run(new Agent({ name: 'A', model, tools: [steps] }), 'go'));
    expect(events.map(label).slice(2, 6)).toEqual(['item:tool_call', 'progress:10%', 'progress:60%', 'item:tool_output']);
    expect(events.find((e) => e.type === 'tool.progress')).toMatchObject({ callId: 'call_1_1', toolName: 'steps' });
    expect(outputs(events)[0]?.rawItem.output).toBe('result');
  });

  it('a Promise tool reports progress at once through ctx.progress', async () => {
    let release!: () => void;
    const slow = tool({
      name: 'slow',
      description: 'reports progress',
      parameters: z.object({}),
      execute: (_args, { progress }) => {
        progress('halfway');
        return new Promise<string>((resolve) => (release = () => resolve('finished')));
      },
    });
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'slow' }] }, { text: 'ok' }] });
    const events: StreamEvent[] = [];
    const done = new Promise<void>((resolve) =>
      run(new Agent({ name: 'A', model, tools: [slow] }), 'go').subscribe({ next: (e) => events.push(e), complete: resolve }),
    );
    // Reported before the tool settles.
    expect(events.find((e) => e.type === 'tool.progress')).toMatchObject({ value: 'halfway', toolName: 'slow' });
    release();
    await done;
    expect(outputs(events)[0]?.output).toBe('finished');
  });

  it('gives execute validated arguments, the call id, the agent and the run context', async () => {
    const seen: unknown[] = [];
    const probe = tool({
      name: 'probe',
      description: 'records',
      parameters: z.object({ n: z.coerce.number() }),
      execute: (args, ctx) => {
        seen.push(args, ctx.callId, ctx.toolName, ctx.agentName, ctx.context, ctx.signal.aborted);
        return { doubled: args.n * 2 };
      },
    });
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'probe', arguments: { n: '21' }, callId: 'c1' }] }, { text: 'ok' }] });
    const { events } = await collect(run(new Agent({ name: 'Bot', model, tools: [probe] }), 'go', { context: { user: 7 } }));
    expect(seen).toEqual([{ n: 21 }, 'c1', 'probe', 'Bot', { user: 7 }, false]);
    expect(outputs(events)[0]?.rawItem.output).toBe('{"doubled":42}');
  });

  describe('bad calls become outputs that tell the model what went wrong, and the run goes on', () => {
    const cases: [string, { name: string; arguments: unknown }, string, RegExp][] = [
      ['invalid JSON arguments', { name: 'echo', arguments: '{"text": ' }, 'invalid_json', /not valid JSON/],
      ['arguments that fail the schema', { name: 'echo', arguments: { text: 42 } }, 'invalid_arguments', /invalid arguments for "echo"[\s\S]*text/],
      ['an unknown tool', { name: 'launch_rockets', arguments: {} }, 'unknown_tool', /no tool named "launch_rockets".*Available tools: echo, boom/],
      ['a tool that throws', { name: 'boom', arguments: {} }, 'execution_failed', /tool "boom" failed: kaboom/],
    ];
    const boom = tool({
      name: 'boom',
      description: 'throws',
      parameters: z.object({}),
      execute: () => {
        throw new Error('kaboom');
      },
    });
    for (const [what, call, kind, message] of cases) {
      it(what, async () => {
        const model = new ScriptedModel({ turns: [{ toolCalls: [call] }, { text: 'recovered' }] });
        const result = await firstValueFrom(run(new Agent({ name: 'A', model, tools: [echoTool, boom] }), 'go').pipe(toResult()));
        expect(result.status).toBe('completed');
        expect(result.finalOutput).toBe('recovered');
        const output = result.items.find((i): i is ToolOutputRunItem => i.type === 'tool_output');
        expect(output?.error).toBeInstanceOf(ToolCallError);
        expect(output?.error?.kind).toBe(kind);
        expect(output?.rawItem.output).toMatch(message);
        // The model's next request carries the explanation.
        const sent = model.requests[1]!.input.find((i) => i.type === 'function_call_output');
        expect(sent?.type === 'function_call_output' && sent.output).toMatch(message);
        expectPaired(model.requests[1]!.input);
      });
    }

    it('a tool that rejects with a non-Error', async () => {
      const rejects = tool({ name: 'r', description: 'r', parameters: z.object({}), execute: () => Promise.reject('nope') });
      const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'r' }] }, { text: 'ok' }] });
      const result = await firstValueFrom(run(new Agent({ name: 'A', model, tools: [rejects] }), 'go').pipe(toResult()));
      const output = result.items.find((i): i is ToolOutputRunItem => i.type === 'tool_output');
      expect(output?.rawItem.output).toBe('Error: tool "r" failed: nope');
    });
  });

  it('a tool past its timeoutMs is aborted, onCancel is called, and the model is told (virtual time)', () => {
    const probe = new ToolProbe();
    const waiting = waitingTool(probe);
    const timed = { ...waiting, timeoutMs: 50 };
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'wait' }] }, { text: 'moved on' }] });
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      const ends$ = run(new Agent({ name: 'A', model, tools: [timed] }), 'go');
      const shown = new Observable<string>((subscriber) =>
        ends$.subscribe({
          next: (e) => {
            if (e.type === 'item.created' && e.item.type === 'tool_output') subscriber.next(e.item.error?.kind ?? 'ok');
            if (e.type === 'run.updated' && e.status !== 'running') subscriber.next(e.status);
          },
          complete: () => subscriber.complete(),
        }),
      );
      expectObservable(shown).toBe('50ms (ab|)', { a: 'timeout', b: 'completed' });
    });
    expect(probe.aborted).toHaveLength(1);
    expect(probe.aborted[0]?.reason).toBeInstanceOf(ToolCallError);
    expect(probe.cancelled).toEqual(['call_1_1']);
    const sent = model.requests[1]!.input.find((i) => i.type === 'function_call_output');
    expect(sent?.type === 'function_call_output' && sent.output).toContain('timed out after 50 ms');
  });

  it('sends each tool to the model as a JSON schema, strict when the schema allows it', () => {
    const strictTool = tool({ name: 's', description: 'd', parameters: z.object({ a: z.string() }), execute: () => '' });
    const looseTool = tool({ name: 'l', description: 'd', parameters: z.object({ a: z.string().optional() }), execute: () => '' });
    expect(strictTool.definition).toEqual({
      name: 's',
      description: 'd',
      strict: true,
      parameters: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false },
    });
    expect(looseTool.definition.strict).toBe(false);
  });

  it('leaves out the safe-integer range zod gives every integer, keeps the bounds the tool sets, and still checks the range', () => {
    const counter = tool({
      name: 'count',
      description: 'd',
      parameters: z.object({ n: z.int(), page: z.int().min(1), big: z.number().max(Number.MAX_SAFE_INTEGER) }),
      execute: ({ n }) => n,
    });
    expect(counter.definition.parameters).toEqual({
      type: 'object',
      properties: { n: { type: 'integer' }, page: { type: 'integer', minimum: 1 }, big: { type: 'number' } },
      required: ['n', 'page', 'big'],
      additionalProperties: false,
    });
    expect(counter.parse({ n: 2 ** 60, page: 1, big: 1 }).success).toBe(false);
    expect(counter.parse({ n: 3, page: 0, big: 1 }).success).toBe(false);
    expect(counter.parse({ n: 3, page: 1, big: 1 }).success).toBe(true);
  });
});
