import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { firstValueFrom, lastValueFrom, Subject } from 'rxjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, MemorySession, ScriptedModel, run, toResult, tool } from '../../lib/index.js';
import { collect } from '../helpers/collect.js';
import { echoTool, ToolProbe, until, waitingTool } from '../helpers/probe-tools.js';
import { tracingHarness } from '../helpers/tracing.js';

const harness = tracingHarness();
const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => void context.setGlobalContextManager(contextManager.enable()));
afterAll(() => void (contextManager.disable(), context.disable()));
beforeEach(() => harness.reset());

const nested = (toolName: string) =>
  tool({
    name: toolName,
    description: `the ${toolName} tool`,
    parameters: z.object({ city: z.string() }),
    // User code makes its own span, sync and after an await: both must nest under execute_tool.
    execute: async ({ city }) => {
      trace.getTracer('user').startSpan(`user sync ${city}`).end();
      await new Promise((r) => setTimeout(r, 1));
      trace.getTracer('user').startSpan(`user async ${city}`).end();
      return `${city}: sunny`;
    },
  });

describe('tracing', () => {
  it('builds the span tree of a multi-turn run with parallel tools', async () => {
    const model = new ScriptedModel({
      turns: [
        { toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }, { name: 'weather', arguments: { city: 'Rome' } }], usage: { inputTokens: 10, outputTokens: 4 } },
        { text: 'Both sunny.', usage: { inputTokens: 30, outputTokens: 3, cachedInputTokens: 8, reasoningTokens: 1 } },
      ],
      modelName: 'gpt-test',
    });
    const agent = new Agent({ name: 'Weather', model, tools: [nested('weather')] });
    trace.setGlobalTracerProvider(harness.provider);
    try {
      await lastValueFrom(run(agent, 'Paris and Rome?', { tracer: harness.tracer, session: new MemorySession('conv-9') }));
    } finally {
      trace.disable();
    }

    const root = harness.one('run Weather');
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.status.code).toBe(SpanStatusCode.OK);
    expect(root.attributes).toMatchObject({ 'rxjs_agents.run.status': 'completed', 'gen_ai.usage.input_tokens': 40, 'gen_ai.conversation.id': 'conv-9' });

    const agentSpan = harness.one('invoke_agent Weather');
    expect(harness.parentOf(agentSpan)).toBe(root);
    expect(agentSpan.kind).toBe(SpanKind.INTERNAL);
    expect(agentSpan.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'Weather',
      'gen_ai.provider.name': 'scripted',
      'gen_ai.request.model': 'gpt-test',
      'gen_ai.usage.input_tokens': 40,
      'gen_ai.usage.output_tokens': 7,
    });

    const chats = harness.byName('chat gpt-test');
    expect(chats).toHaveLength(2);
    for (const chat of chats) {
      expect(chat.kind).toBe(SpanKind.CLIENT);
      expect(harness.parentOf(chat)).toBe(agentSpan);
      expect(chat.attributes['gen_ai.request.stream']).toBe(true);
      expect(chat.attributes['gen_ai.response.time_to_first_chunk']).toBeTypeOf('number');
    }
    expect(chats[1]!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.response.id': 'resp_2',
      'gen_ai.response.model': 'gpt-test',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 30,
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.usage.cache_read.input_tokens': 8,
      'gen_ai.usage.reasoning.output_tokens': 1,
    });

    const tools = harness.byName('execute_tool weather');
    expect(tools).toHaveLength(2);
    expect(tools.map((t) => t.attributes['gen_ai.tool.call.id']).sort()).toEqual(['call_1_1', 'call_1_2']);
    for (const t of tools) {
      expect(harness.parentOf(t)).toBe(agentSpan);
      expect(t.attributes).toMatchObject({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.type': 'function', 'gen_ai.tool.description': 'the weather tool' });
      expect(t.status.code).toBe(SpanStatusCode.OK);
    }
    // Parallel tools overlap in time.
    const [a, b] = tools;
    expect(a!.startTime[1] <= b!.endTime[1] || a!.startTime[0] < b!.endTime[0]).toBe(true);

    // User spans nest under their own tool call, even after an await.
    for (const city of ['Paris', 'Rome']) {
      const call = tools.find((t) => String(t.attributes['gen_ai.tool.call.id']) === (city === 'Paris' ? 'call_1_1' : 'call_1_2'))!;
      expect(harness.parentOf(harness.one(`user sync ${city}`))).toBe(call);
      expect(harness.parentOf(harness.one(`user async ${city}`))).toBe(call);
    }
    expect(harness.expectAllEndedChildrenFirst()).toBe(10);
  });

  it('nests the run under the span active where it was subscribed', async () => {
    const model = new ScriptedModel({ turns: [{ text: 'hi' }] });
    const outer = harness.tracer.startSpan('http request');
    await context.with(trace.setSpan(context.active(), outer), () =>
      lastValueFrom(run(new Agent({ name: 'A', model }), 'hi', { tracer: harness.tracer })),
    );
    outer.end();
    expect(harness.one('run A').parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
  });

  it('records no prompts, instructions, arguments or results unless opted in', async () => {
    const turns = [{ toolCalls: [{ name: 'echo', arguments: { text: 'secret-arg' } }] }, { text: 'secret-answer' }];
    const agent = (model: ScriptedModel) => new Agent({ name: 'A', instructions: 'secret-instructions', model, tools: [echoTool] });
    await lastValueFrom(run(agent(new ScriptedModel({ turns })), 'secret-prompt', { tracer: harness.tracer }));
    const plain = JSON.stringify(harness.spans().map((s) => s.attributes));
    for (const secret of ['secret-arg', 'secret-answer', 'secret-instructions', 'secret-prompt']) expect(plain).not.toContain(secret);

    harness.reset();
    await lastValueFrom(run(agent(new ScriptedModel({ turns })), 'secret-prompt', { tracer: harness.tracer, traceSensitiveData: true }));
    const chat = harness.byName('chat scripted')[1]!;
    expect(chat.attributes['gen_ai.system_instructions']).toBe('secret-instructions');
    expect(String(chat.attributes['gen_ai.input.messages'])).toContain('secret-prompt');
    expect(String(chat.attributes['gen_ai.output.messages'])).toContain('secret-answer');
    const echo = harness.one('execute_tool echo');
    expect(echo.attributes['gen_ai.tool.call.arguments']).toBe('{"text":"secret-arg"}');
    expect(echo.attributes['gen_ai.tool.call.result']).toBe('echo: secret-arg');
  });

  it('a failed run ends its spans with ERROR, the exception and error.type', async () => {
    const model = new ScriptedModel({ turns: [{ text: 'partial', fail: 'upstream broke' }] });
    await collect(run(new Agent({ name: 'A', model }), 'hi', { tracer: harness.tracer }));
    for (const name of ['run A', 'invoke_agent A', 'chat scripted']) {
      const span = harness.one(name);
      expect(span.status.code, name).toBe(SpanStatusCode.ERROR);
      expect(span.attributes['error.type'], name).toBe('ModelError');
      expect(span.events.some((e) => e.name === 'exception'), name).toBe(true);
    }
    harness.expectAllEndedChildrenFirst();
  });

  it('a failing tool call is an ERROR execute_tool span, while the run completes', async () => {
    const timed = { ...waitingTool(new ToolProbe()), timeoutMs: 5 };
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'nope' }, { name: 'wait' }] }, { text: 'ok' }] });
    await lastValueFrom(run(new Agent({ name: 'A', model, tools: [timed] }), 'hi', { tracer: harness.tracer }));
    expect(harness.one('execute_tool nope').attributes['error.type']).toBe('unknown_tool');
    expect(harness.one('execute_tool wait').attributes['error.type']).toBe('timeout');
    expect(harness.one('execute_tool wait').status.code).toBe(SpanStatusCode.ERROR);
    expect(harness.one('run A').status.code).toBe(SpanStatusCode.OK);
  });

  it.each(['unsubscribe', 'cancel$', 'signal'] as const)('a run stopped by %s ends every span cancelled, status unset', async (how) => {
    const probe = new ToolProbe();
    const cancel$ = new Subject<string>();
    const controller = new AbortController();
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'wait' }, { name: 'wait' }] }] });
    const events$ = run(new Agent({ name: 'A', model, tools: [waitingTool(probe)] }), 'hi', {
      tracer: harness.tracer,
      cancel$,
      signal: controller.signal,
    });
    const subscription = events$.subscribe({ error: () => undefined });
    await until(() => probe.started.length === 2);
    if (how === 'unsubscribe') subscription.unsubscribe();
    if (how === 'cancel$') cancel$.next('user pressed stop');
    if (how === 'signal') controller.abort('user pressed stop');

    harness.expectAllEndedChildrenFirst();
    const names = how === 'unsubscribe' ? ['invoke_agent A', 'execute_tool wait', 'run A'] : ['invoke_agent A', 'execute_tool wait'];
    for (const span of harness.spans().filter((s) => names.includes(s.name))) {
      expect(span.status.code, span.name).toBe(SpanStatusCode.UNSET);
      expect(span.attributes['rxjs_agents.cancelled'], span.name).toBe(true);
      expect(span.attributes['rxjs_agents.cancel_reason'], span.name).toBe(how === 'unsubscribe' ? 'the run was unsubscribed' : 'user pressed stop');
    }
    if (how !== 'unsubscribe') {
      const root = harness.one('run A');
      expect(root.status.code).toBe(SpanStatusCode.UNSET);
      expect(root.attributes).toMatchObject({ 'rxjs_agents.run.status': 'cancelled', 'rxjs_agents.cancel_reason': 'user pressed stop' });
    }
  });

  it('an interrupted model call ends its chat span cancelled, and the restarted call gets its own', async () => {
    const inject$ = new Subject<string>();
    const model = new ScriptedModel({ turns: [{ text: 'Paris', hang: true }, { text: 'Rome' }] });
    const done = firstValueFrom(run(new Agent({ name: 'A', model }), 'hi', { tracer: harness.tracer, inject$, injectMode: 'interrupt' }).pipe(toResult()));
    await until(() => model.openStreams === 1);
    inject$.next('Rome instead');
    await done;
    const [first, second] = harness.byName('chat scripted');
    expect(first!.attributes['rxjs_agents.cancelled']).toBe(true);
    expect(first!.attributes['rxjs_agents.cancel_reason']).toBe('interrupted by injected input');
    expect(first!.status.code).toBe(SpanStatusCode.UNSET);
    expect(second!.status.code).toBe(SpanStatusCode.OK);
    harness.expectAllEndedChildrenFirst();
  });

  it('tracing: false creates no span; without a tracer the global provider is used', async () => {
    const model = new ScriptedModel({ turns: [{ text: 'a' }, { text: 'b' }] });
    trace.setGlobalTracerProvider(harness.provider);
    try {
      await lastValueFrom(run(new Agent({ name: 'A', model }), 'hi', { tracing: false }));
      expect(harness.spans()).toHaveLength(0);
      await lastValueFrom(run(new Agent({ name: 'A', model }), 'hi'));
      expect(harness.spans().map((s) => s.name).sort()).toEqual(['chat scripted', 'invoke_agent A', 'run A']);
    } finally {
      trace.disable();
    }
  });
});
