import { firstValueFrom, Subject } from 'rxjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { Agent, MemorySession, ScriptedModel, run, toResult, type StreamEvent } from '../../lib/index.js';
import { collect, expectPaired, statuses } from '../helpers/collect.js';
import { until } from '../helpers/probe-tools.js';
import { tracingHarness } from '../helpers/tracing.js';

const harness = tracingHarness();
beforeEach(() => harness.reset());

describe('agents as tools', () => {
  it('runs a nested run whose events surface as tool progress and whose final output is the tool output', async () => {
    const spanishModel = new ScriptedModel({ turns: [{ text: 'Hola mundo' }] });
    const spanish = new Agent({ name: 'Spanish', instructions: 'Translate to Spanish.', model: spanishModel });
    const model = new ScriptedModel({
      turns: [{ toolCalls: [{ name: 'translate_to_spanish', arguments: { input: 'Hello world' } }] }, { text: 'It is "Hola mundo".' }],
    });
    const orchestrator = new Agent({
      name: 'Orchestrator',
      model,
      tools: [spanish.asTool({ toolName: 'translate_to_spanish', toolDescription: 'Translate text to Spanish' })],
    });
    const { events } = await collect(run(orchestrator, 'Say hello in Spanish', { tracer: harness.tracer }));
    const progress = events.flatMap((e) => (e.type === 'tool.progress' ? [e.value as StreamEvent] : []));
    expect(progress.filter((e) => e.type === 'text.delta').map((e) => e.type === 'text.delta' && e.delta)).toEqual(['Hola ', 'mundo']);
    expect(progress.at(-1)).toMatchObject({ type: 'run.updated', status: 'completed' });
    expect(spanishModel.requests[0]!.input).toEqual([{ role: 'user', content: 'Hello world' }]);
    const sent = model.requests[1]!.input.find((i) => i.type === 'function_call_output');
    expect(sent?.type === 'function_call_output' && sent.output).toBe('Hola mundo');

    // The nested run's spans nest under the outer execute_tool span.
    const nestedRun = harness.one('run Spanish');
    expect(harness.parentOf(nestedRun)?.name).toBe('execute_tool translate_to_spanish');
    expect(harness.parentOf(harness.one('invoke_agent Spanish'))).toBe(nestedRun);
    harness.expectAllEndedChildrenFirst();
  });

  it('unsubscribing the outer run tears the nested run down (its model stream closes, its spans end)', async () => {
    const innerModel = new ScriptedModel({ turns: [{ text: 'thinking very slowly', hang: true }] });
    const inner = new Agent({ name: 'Inner', model: innerModel });
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'ask_inner', arguments: { input: 'q' } }] }, { text: 'outer done' }] });
    const outer = new Agent({ name: 'Outer', model, tools: [inner.asTool({ toolName: 'ask_inner', toolDescription: 'asks' })] });
    const session = new MemorySession();
    const cancel$ = new Subject<string>();
    const done = collect(run(outer, 'go', { tracer: harness.tracer, session, cancel$ }));
    await until(() => innerModel.openStreams === 1);
    cancel$.next('stop');
    const { events } = await done;
    expect(statuses(events)).toEqual(['running', 'cancelled']);
    expect(innerModel.openStreams).toBe(0);
    expectPaired(await session.getItems());
    harness.expectAllEndedChildrenFirst();
    expect(harness.one('run Inner').attributes['rxjs_agents.cancelled']).toBe(true);
    const next = await firstValueFrom(run(outer, 'again', { session }).pipe(toResult()));
    expect(next.finalOutput).toBe('outer done');
  });

  it('a nested run that fails becomes a tool error output; the outer run goes on', async () => {
    const inner = new Agent({ name: 'Inner', model: new ScriptedModel({ turns: [{ fail: 'inner broke' }] }) });
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'ask', arguments: { input: 'q' } }] }, { text: 'coped' }] });
    const outer = new Agent({ name: 'Outer', model, tools: [inner.asTool({ toolName: 'ask', toolDescription: 'asks' })] });
    const result = await firstValueFrom(run(outer, 'go').pipe(toResult()));
    expect(result.finalOutput).toBe('coped');
    const output = result.items.find((i) => i.type === 'tool_output');
    expect(output?.type === 'tool_output' && output.error?.kind).toBe('execution_failed');
    expect(output?.rawItem.output).toContain('inner broke');
  });
});
