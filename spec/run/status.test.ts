import { firstValueFrom, lastValueFrom, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  MaxTurnsExceededError,
  ModelBehaviorError,
  ModelError,
  ScriptedModel,
  UserCodeError,
  UserError,
  run,
  runStatus,
  textDeltas,
  toResult,
  tool,
  toArray,
} from '../helpers/imports.js';
import { collect, label, statuses } from '../helpers/collect.js';

const loopTool = tool({ name: 'again', description: 'again', parameters: z.object({}), execute: () => 'ok' });

describe('run status', () => {
  it('starts with running and ends with exactly one completed, carrying the result', async () => {
    const model = new ScriptedModel({ turns: [{ text: 'Hello there' }] });
    const { events, error } = await collect(run(new Agent({ name: 'A', model }), 'hi'));
    expect(error).toBeUndefined();
    expect(events.map(label)).toEqual([
      'run:running',
      'agent:A',
      'text:Hello ',
      'text:there',
      'item:message_output',
      'run:completed',
    ]);
    const last = events.at(-1);
    expect(last?.type === 'run.updated' && last.result?.finalOutput).toBe('Hello there');
  });

  it('fails with MaxTurnsExceededError after maxTurns, then errors the Observable', async () => {
    const model = new ScriptedModel({ turns: () => ({ toolCalls: [{ name: 'again' }] }) });
    const { events, error } = await collect(run(new Agent({ name: 'A', model, tools: [loopTool] }), 'go', { maxTurns: 3 }));
    expect(error).toBeInstanceOf(MaxTurnsExceededError);
    expect(statuses(events)).toEqual(['running', 'failed']);
    const failed = events.at(-1);
    expect(failed?.type === 'run.updated' && failed.error).toBe(error);
    expect(model.requests).toHaveLength(3);
  });

  it('defaults maxTurns to 10', async () => {
    const model = new ScriptedModel({ turns: () => ({ toolCalls: [{ name: 'again' }] }) });
    const { error } = await collect(run(new Agent({ name: 'A', model, tools: [loopTool] }), 'go'));
    expect(error).toBeInstanceOf(MaxTurnsExceededError);
    expect(model.requests).toHaveLength(10);
  });

  it('fails with a ModelError when the model stream fails', async () => {
    const model = new ScriptedModel({ turns: [{ text: 'partial', fail: 'connection reset' }] });
    const { events, error } = await collect(run(new Agent({ name: 'A', model }), 'hi'));
    expect(error).toBeInstanceOf(ModelError);
    expect((error as Error).message).toContain('connection reset');
    expect(statuses(events)).toEqual(['running', 'failed']);
  });

  it('fails with ModelBehaviorError when the model returns neither text nor tool call', async () => {
    const model = new ScriptedModel({ turns: [{ reasoning: 'hmm' }] });
    const { error } = await collect(run(new Agent({ name: 'A', model }), 'hi'));
    expect(error).toBeInstanceOf(ModelBehaviorError);
  });

  it('fails with UserError when the agent has no model', async () => {
    const { events, error } = await collect(run(new Agent({ name: 'NoModel' }), 'hi'));
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain('NoModel');
    expect(statuses(events)).toEqual(['running', 'failed']);
  });

  it('parses structured output with outputType, and fails with ModelBehaviorError naming the problem', async () => {
    const outputType = z.object({ city: z.string(), temperature: z.number() });
    const good = new Agent({ name: 'A', outputType, model: new ScriptedModel({ turns: [{ text: '{"city":"Paris","temperature":21}' }] }) });
    const result = await firstValueFrom(run(good, 'hi').pipe(toResult()));
    expect(result.finalOutput).toEqual({ city: 'Paris', temperature: 21 });

    const bad = new Agent({ name: 'A', outputType, model: new ScriptedModel({ turns: [{ text: '{"city":"Paris"}' }] }) });
    const { error } = await collect(run(bad, 'hi'));
    expect(error).toBeInstanceOf(ModelBehaviorError);
    expect((error as Error).message).toContain('temperature');
  });

  it('sends the output schema to the model as a strict JSON schema', async () => {
    const model = new ScriptedModel({ turns: [{ text: '{"ok":true}' }] });
    await lastValueFrom(run(new Agent({ name: 'A', model, outputType: z.object({ ok: z.boolean() }) }), 'hi'));
    expect(model.requests[0]?.outputSchema).toMatchObject({
      strict: true,
      schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'], additionalProperties: false },
    });
  });

  it('offers operators for text, status and result', async () => {
    const model = new ScriptedModel({ turns: [{ text: 'a b c' }, { text: 'x' }] });
    const agent = new Agent({ name: 'A', model });
    expect(await firstValueFrom(run(agent, 'hi').pipe(textDeltas(), toArray()))).toEqual(['a ', 'b ', 'c']);
    expect(await firstValueFrom(run(agent, 'hi').pipe(runStatus(), toArray()))).toEqual(['running', 'completed']);
  });

  it('runStatus() reports a failed run as its last status and completes, so it can feed a signal', async () => {
    const model = new ScriptedModel({ turns: [{ text: 'partial', fail: 'connection reset' }] });
    expect(await lastValueFrom(run(new Agent({ name: 'A', model }), 'hi').pipe(runStatus(), toArray()))).toEqual(['running', 'failed']);
  });

  it('toResult errors with the run error on failure', async () => {
    const model = new ScriptedModel({ turns: [{ fail: 'boom' }] });
    await expect(firstValueFrom(run(new Agent({ name: 'A', model }), 'hi').pipe(toResult()))).rejects.toBeInstanceOf(ModelError);
  });

  it('passes dynamic instructions the run context and the turn number', async () => {
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'again' }] }, { text: 'done' }] });
    const agent = new Agent<{ user: string }>({
      name: 'A',
      model,
      tools: [loopTool],
      instructions: async ({ context, turn }) => `Help ${context.user} (turn ${turn})`,
    });
    await lastValueFrom(run(agent, 'hi', { context: { user: 'Ada' } }));
    expect(model.requests.map((r) => r.instructions)).toEqual(['Help Ada (turn 1)', 'Help Ada (turn 2)']);
  });

  it('reports a refusal as the final output', async () => {
    const model = new ScriptedModel({ turns: [{ refusal: 'I cannot help with that.' }] });
    const result = await firstValueFrom(run(new Agent({ name: 'A', model }), 'hi').pipe(toResult()));
    expect(result.finalOutput).toBe('I cannot help with that.');
    expect(result.items[0]).toMatchObject({ type: 'message_output', refusal: 'I cannot help with that.' });
  });

  it.each(['cancel$', 'inject$'] as const)('a %s that errors fails the run and stops the model stream', async (which) => {
    const broken$ = new Subject<never>();
    const model = new ScriptedModel({ turns: [{ text: 'streaming', hang: true }] });
    const done = collect(run(new Agent({ name: 'A', model }), 'hi', which === 'cancel$' ? { cancel$: broken$ } : { inject$: broken$ }));
    broken$.error(new Error('control stream broke'));
    const { events, error } = await done;
    // Typed, naming the stream, with the original as cause.
    expect(error).toBeInstanceOf(UserCodeError);
    expect(error).toMatchObject({ component: which, message: `${which} failed: control stream broke` });
    expect(((error as Error).cause as Error).message).toBe('control stream broke');
    expect(statuses(events)).toEqual(['running', 'failed']);
    expect(model.openStreams).toBe(0);
  });
});
