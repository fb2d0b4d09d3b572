import { BehaviorSubject, NEVER, Observable, Subject, delay, finalize, throwError } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, ScriptedModel, UserError, run, tool, type Tool, type ToolOutputRunItem } from '../../lib/index.js';
import { collect, statuses } from '../helpers/collect.js';

const echo = (name: string): Tool =>
  tool({ name, description: `echo ${name}`, parameters: z.object({ text: z.string() }), execute: ({ text }) => `${name}:${text}` });

/** A tool validated by its own function instead of zod, as tools from other schema languages are. */
const upper: Tool = {
  type: 'function',
  name: 'upper',
  description: 'upper-cases text',
  definition: {
    name: 'upper',
    description: 'upper-cases text',
    parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    strict: false,
  },
  parse: (args) => {
    const text = (args as { text?: unknown }).text;
    return typeof text === 'string' ? { success: true, data: text } : { success: false, error: 'text must be a string' };
  },
  execute: (text) => String(text).toUpperCase(),
};

const outputs = (events: readonly { type: string; item?: unknown }[]) =>
  events.flatMap((e) => (e.type === 'item.created' && (e.item as ToolOutputRunItem).type === 'tool_output' ? [e.item as ToolOutputRunItem] : []));

describe('tools with their own validation', () => {
  it('gets what parse returned, and a parse failure becomes an invalid_arguments output naming what was wrong', async () => {
    const model = new ScriptedModel({
      turns: [{ toolCalls: [{ name: 'upper', arguments: { text: 'hi' } }, { name: 'upper', arguments: { text: 3 } }] }, { text: 'done' }],
    });
    const { events } = await collect(run(new Agent({ name: 'A', model, tools: [upper] }), 'go'));
    const [ok, bad] = outputs(events);
    expect(ok!.output).toBe('HI');
    expect(bad!.error?.kind).toBe('invalid_arguments');
    expect(bad!.rawItem.output).toContain('text must be a string');
    expect(model.requests[0]!.tools).toEqual([upper.definition]);
  });
});

describe('tool sources (live tool lists)', () => {
  it('are subscribed while the agent runs, each turn sees the latest list, and they are released when the run ends', async () => {
    const lists = new BehaviorSubject<readonly Tool[]>([echo('one')]);
    let subscribed = 0;
    let released = 0;
    const source$ = new Observable<readonly Tool[]>((subscriber) => {
      subscribed++;
      const sub = lists.subscribe(subscriber);
      return () => {
        released++;
        sub.unsubscribe();
      };
    });
    const model = new ScriptedModel({
      turns: [
        () => {
          // The server's list changes while the model answers: the next turn sees it.
          lists.next([echo('two')]);
          return { toolCalls: [{ name: 'one', arguments: { text: 'a' } }] };
        },
        { toolCalls: [{ name: 'two', arguments: { text: 'b' } }] },
        { text: 'done' },
      ],
    });
    const agent = new Agent({ name: 'A', model, tools: [upper, source$] });
    const { events } = await collect(run(agent, 'go'));
    expect(statuses(events)).toEqual(['running', 'completed']);
    expect(model.requests.map((r) => r.tools.map((t) => t.name))).toEqual([['upper', 'one'], ['upper', 'two'], ['upper', 'two']]);
    // The first call was to a tool the source no longer lists by the time it ran: a tool-call error, not a hang.
    expect(outputs(events).map((o) => o.error?.kind ?? o.output)).toEqual(['unknown_tool', 'two:b']);
    expect([subscribed, released]).toEqual([1, 1]);
  });

  it.each([
    ['a source that lists at once', false],
    ['a source that lists later', true],
  ])('are released after the running tools are torn down, when the run is unsubscribed (%s)', async (_name, later) => {
    const order: string[] = [];
    const hanging = tool({
      name: 'hang',
      description: 'never ends',
      parameters: z.object({}),
      execute: () => NEVER.pipe(finalize(() => order.push('tool torn down'))),
    });
    const lists$ = new BehaviorSubject<readonly Tool[]>([hanging]);
    const source$ = (later ? lists$.pipe(delay(0)) : lists$).pipe(finalize(() => order.push('source released')));
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'hang' }] }] });
    const started: string[] = [];
    const sub = run(new Agent({ name: 'A', model, tools: [source$] }), 'go').subscribe((e) => started.push(e.type));
    await new Promise((r) => setTimeout(r, 5));
    expect(model.requests).toHaveLength(1);
    sub.unsubscribe();
    expect(order).toEqual(['tool torn down', 'source released']);
  });

  it('that fail fail the run with their error; one that ends without a list fails it with a UserError', async () => {
    const model = new ScriptedModel({ turns: [{ text: 'never asked' }] });
    const failing = await collect(run(new Agent({ name: 'A', model, tools: [throwError(() => new Error('server down'))] }), 'go'));
    expect(statuses(failing.events)).toEqual(['running', 'failed']);
    expect((failing.error as Error).message).toBe('server down');
    const completed = new Subject<readonly Tool[]>();
    const ended = collect(run(new Agent({ name: 'B', model, tools: [completed] }), 'go'));
    completed.complete();
    const result = await ended;
    expect(result.error).toBeInstanceOf(UserError);
    expect((result.error as Error).message).toContain('a tool source completed without a list of tools');
    expect(model.requests).toHaveLength(0);
  });
});
