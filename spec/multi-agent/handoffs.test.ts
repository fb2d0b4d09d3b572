import { firstValueFrom, lastValueFrom, Subject } from 'rxjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, handoff, type HandoffTarget, MemorySession, removeToolCalls, ScriptedModel, run, toResult, type InputItem } from '../../lib/index.js';
import { collect, expectPaired, label, statuses } from '../helpers/collect.js';
import { echoTool, until } from '../helpers/probe-tools.js';
import { tracingHarness } from '../helpers/tracing.js';

const harness = tracingHarness();
beforeEach(() => harness.reset());

const names = (input: readonly InputItem[]) => input.flatMap((i) => (i.type === 'function_call' ? [i.name] : []));

describe('handoffs', () => {
  it('the model sees one transfer tool per handoff and the run continues with the new agent', async () => {
    const billingModel = new ScriptedModel({ turns: [{ text: 'Your invoice is paid.' }] });
    const billing = new Agent({ name: 'Billing', handoffDescription: 'Invoices and payments', model: billingModel });
    const refunds = new Agent({ name: 'Refunds', model: new ScriptedModel({ turns: [] }) });
    const triageModel = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'transfer_to_billing' }] }] });
    const triage = new Agent({ name: 'Triage', model: triageModel, handoffs: [billing, handoff(refunds, { toolName: 'refund_desk' })] });

    const { events } = await collect(run(triage, 'Is my invoice paid?', { tracer: harness.tracer }));
    expect(triageModel.requests[0]!.tools.map((t) => t.name)).toEqual(['transfer_to_billing', 'refund_desk']);
    expect(triageModel.requests[0]!.tools[0]!.description).toContain('Invoices and payments');
    expect(events.map(label)).toEqual([
      'run:running',
      'agent:Triage',
      'item:tool_call',
      'item:handoff',
      'agent:Billing',
      'text:Your ',
      'text:invoice ',
      'text:is ',
      'text:paid.',
      'item:message_output',
      'run:completed',
    ]);
    const handoffItem = events.find((e) => e.type === 'item.created' && e.item.type === 'handoff');
    expect(handoffItem).toMatchObject({ item: { agentName: 'Triage', targetAgent: 'Billing' } });
    const last = events.at(-1);
    const result = last?.type === 'run.updated' ? last.result : undefined;
    expect(result?.lastAgent).toBe('Billing');
    // Billing sees the whole conversation, transfer paired.
    expect(names(billingModel.requests[0]!.input)).toEqual(['transfer_to_billing']);
    expectPaired(billingModel.requests[0]!.input);

    const agentSpans = harness.spans().filter((s) => s.name.startsWith('invoke_agent'));
    expect(agentSpans.map((s) => s.name)).toEqual(['invoke_agent Triage', 'invoke_agent Billing']);
    const handoffSpan = harness.one('handoff Billing');
    expect(harness.parentOf(handoffSpan)?.name).toBe('invoke_agent Triage');
    expect(handoffSpan.attributes).toMatchObject({ 'rxjs_agents.handoff.from_agent': 'Triage', 'rxjs_agents.handoff.to_agent': 'Billing' });
    harness.expectAllEndedChildrenFirst();
  });

  it('agents can hand off to each other (a lazy handoff list allows the cycle)', async () => {
    const model = new ScriptedModel({
      turns: [{ toolCalls: [{ name: 'transfer_to_b' }] }, { toolCalls: [{ name: 'transfer_to_a' }] }, { text: 'back at A' }],
    });
    // A cycle cannot be inferred: the agents are typed as handing off to any agent.
    const a: Agent<unknown, string, HandoffTarget> = new Agent({ name: 'A', model, handoffs: () => [b] });
    const b: Agent<unknown, string, HandoffTarget> = new Agent({ name: 'B', model, handoffs: () => [a] });
    const result = await firstValueFrom(run(a, 'ping').pipe(toResult()));
    expect(result.lastAgent).toBe('A');
    expect(result.items.filter((i) => i.type === 'handoff').map((i) => i.type === 'handoff' && i.targetAgent)).toEqual(['B', 'A']);
  });

  it('inputFilter shapes what the next agent sees; removeToolCalls drops tool traffic; the session keeps everything', async () => {
    const specialistModel = new ScriptedModel({ turns: [{ text: 'done' }] });
    const specialist = new Agent({ name: 'Specialist', model: specialistModel });
    const model = new ScriptedModel({
      turns: [{ toolCalls: [{ name: 'echo', arguments: { text: 'x' } }] }, { toolCalls: [{ name: 'transfer_to_specialist' }] }],
    });
    const session = new MemorySession();
    const front = new Agent({ name: 'Front', model, tools: [echoTool], handoffs: [handoff(specialist, { inputFilter: removeToolCalls })] });
    await lastValueFrom(run(front, 'help', { session }));
    expect(specialistModel.requests[0]!.input).toEqual([{ role: 'user', content: 'help' }]);
    const stored = await session.getItems();
    expect(names(stored)).toEqual(['echo', 'transfer_to_specialist']);
    expectPaired(stored);
  });

  it('with several handoff calls the first wins and the others are answered as ignored', async () => {
    const a = new Agent({ name: 'A', model: new ScriptedModel({ turns: [{ text: 'A here' }] }) });
    const b = new Agent({ name: 'B', model: new ScriptedModel({ turns: [] }) });
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'transfer_to_a' }, { name: 'transfer_to_b' }] }] });
    const result = await firstValueFrom(run(new Agent({ name: 'T', model, handoffs: [a, b] }), 'hi').pipe(toResult()));
    expect(result.lastAgent).toBe('A');
    expectPaired(result.history);
    const ignored = result.history.find((i) => i.type === 'function_call_output' && i.call_id === 'call_1_2');
    expect(ignored?.type === 'function_call_output' && ignored.output).toContain('Ignored');
  });

  it('inputType validates the handoff arguments and onHandoff receives them; invalid ones keep the agent', async () => {
    const seen: unknown[] = [];
    const target = new Agent({ name: 'Escalation', model: new ScriptedModel({ turns: [{ text: 'escalated' }] }) });
    const h = handoff<unknown, { reason: string }>(target, {
      inputType: z.object({ reason: z.string() }),
      onHandoff: async (ctx, input) => void seen.push(ctx.fromAgent, ctx.toAgent, input),
    });
    const model = new ScriptedModel({
      turns: [{ toolCalls: [{ name: 'transfer_to_escalation', arguments: { why: 1 } }] }, { toolCalls: [{ name: 'transfer_to_escalation', arguments: { reason: 'angry' } }] }],
    });
    const result = await firstValueFrom(run(new Agent({ name: 'Front', model, handoffs: [h] }), 'hi').pipe(toResult()));
    expect(model.requests[0]!.tools[0]!.parameters).toMatchObject({ required: ['reason'] });
    const firstOutput = model.requests[1]!.input.find((i) => i.type === 'function_call_output');
    expect(firstOutput?.type === 'function_call_output' && firstOutput.output).toContain('invalid arguments');
    expect(seen).toEqual(['Front', 'Escalation', { reason: 'angry' }]);
    expect(result.finalOutput).toBe('escalated');
  });

  it('a cancel during a handoff (onHandoff pending) leaves a valid session and ends every span', async () => {
    let onHandoffSignal: AbortSignal | undefined;
    const target = new Agent({ name: 'Slow', model: new ScriptedModel({ turns: [{ text: 'never' }] }) });
    const h = handoff(target, { onHandoff: ({ signal }) => new Promise<void>(() => void (onHandoffSignal = signal)) });
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'transfer_to_slow' }] }, { text: 'continued' }] });
    const front = new Agent({ name: 'Front', model, handoffs: [h] });
    const session = new MemorySession();
    const cancel$ = new Subject<string>();
    const done = collect(run(front, 'hi', { session, cancel$, tracer: harness.tracer }));
    await until(() => onHandoffSignal !== undefined);
    cancel$.next('stop');
    const { events } = await done;
    expect(statuses(events)).toEqual(['running', 'cancelled']);
    expect(onHandoffSignal?.aborted).toBe(true);
    expectPaired(await session.getItems());
    harness.expectAllEndedChildrenFirst();
    expect(harness.one('handoff Slow').attributes['rxjs_agents.cancelled']).toBe(true);
    const next = await firstValueFrom(run(front, 'again', { session }).pipe(toResult()));
    expect(next.finalOutput).toBe('continued');
    expectPaired(model.requests.at(-1)!.input);
  });
});
