import { type Context, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { MonoTypeOperatorFunction } from 'rxjs';
import type { AnyAgent } from '../agent/agent.js';
import type { GuardrailResult } from '../agent/guardrail.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { FunctionCallItem } from '../items/input-item.js';
import type { Model, ModelEvent, ModelRequest } from '../model/model.js';
import type { Tool } from '../tools/tool.js';
import type { ToolCallUpdate } from '../tools/invoke-tool-call.js';
import type { RunTracing } from './run-tracing.js';
import { markCancelled, recordError, traced } from './traced.js';

/** What OpenTelemetry tracing of one run needs. */
export interface OtelTracingOptions {
  readonly tracer: Tracer;
  /** Record prompts, instructions, tool arguments and results. */
  readonly sensitive: boolean;
  /** The context the run was subscribed in: its span becomes the run's parent. */
  readonly parent: Context;
  readonly conversationId?: string;
  /** Why the run is stopping, for spans that end cancelled. */
  readonly stopReason: () => string;
}

/**
 * Spans per the OpenTelemetry GenAI semantic conventions (Development status):
 * a root run span, `invoke_agent {agent}`, `chat {model}` (CLIENT) and
 * `execute_tool {tool}`. Parents are passed explicitly rather than read from the
 * active context, so nesting is right even when work resumes asynchronously.
 */
export class OtelRunTracing implements RunTracing {
  private runContext: Context;
  private agentContext: Context;
  private agentUsage = { input: 0, output: 0 };
  private readonly toolContexts = new Map<string, Context>();

  constructor(private readonly options: OtelTracingOptions) {
    this.runContext = options.parent;
    this.agentContext = options.parent;
  }

  run(agentName: string): MonoTypeOperatorFunction<StreamEvent<unknown>> {
    let cancelled: string | undefined;
    return traced(
      () => {
        const span = this.options.tracer.startSpan(
          `run ${agentName}`,
          { kind: SpanKind.INTERNAL, attributes: this.conversation({ 'gen_ai.agent.name': agentName }) },
          this.options.parent,
        );
        this.runContext = trace.setSpan(this.options.parent, span);
        this.agentContext = this.runContext;
        return { span, context: this.runContext };
      },
      this.options.stopReason,
      {
        next: (span, event) => {
          if (event.type !== 'run.updated' || event.status === 'running') return;
          span.setAttribute('rxjs_agents.run.status', event.status);
          const usage = event.result?.usage;
          if (usage) {
            span.setAttribute('gen_ai.usage.input_tokens', usage.inputTokens);
            span.setAttribute('gen_ai.usage.output_tokens', usage.outputTokens);
          }
          if (event.status === 'cancelled') cancelled = event.reason ?? 'cancelled';
        },
        complete: (span) => (cancelled !== undefined ? markCancelled(span, cancelled) : span.setStatus({ code: SpanStatusCode.OK })),
      },
    );
  }

  agent(agent: AnyAgent, agentModel: () => Model | undefined): MonoTypeOperatorFunction<StreamEvent<unknown>> {
    return traced(
      () => {
        const model = agentModel();
        this.agentUsage = { input: 0, output: 0 };
        const attributes = this.conversation({
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.agent.name': agent.name,
          ...(model ? { 'gen_ai.provider.name': model.provider, 'gen_ai.request.model': model.modelName } : {}),
          ...(this.options.sensitive && typeof agent.instructions === 'string'
            ? { 'gen_ai.system_instructions': agent.instructions }
            : {}),
        });
        const span = this.options.tracer.startSpan(
          `invoke_agent ${agent.name}`,
          { kind: SpanKind.INTERNAL, attributes },
          this.runContext,
        );
        this.agentContext = trace.setSpan(this.runContext, span);
        return { span, context: this.agentContext };
      },
      this.options.stopReason,
      {
        complete: (span) => {
          span.setAttribute('gen_ai.usage.input_tokens', this.agentUsage.input);
          span.setAttribute('gen_ai.usage.output_tokens', this.agentUsage.output);
          span.setStatus({ code: SpanStatusCode.OK });
        },
      },
    );
  }

  model(model: Model, request: ModelRequest): MonoTypeOperatorFunction<ModelEvent> {
    let started = 0;
    let firstChunk = false;
    let output = '';
    return traced(
      () => {
        started = performance.now();
        const s = request.settings;
        const attributes = this.conversation({
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': model.provider,
          'gen_ai.request.model': model.modelName,
          'gen_ai.request.stream': true,
          ...(s.temperature !== undefined ? { 'gen_ai.request.temperature': s.temperature } : {}),
          ...(s.topP !== undefined ? { 'gen_ai.request.top_p': s.topP } : {}),
          ...(s.maxOutputTokens !== undefined ? { 'gen_ai.request.max_tokens': s.maxOutputTokens } : {}),
          ...(model.serverAddress !== undefined ? { 'server.address': model.serverAddress } : {}),
          ...(model.serverPort !== undefined ? { 'server.port': model.serverPort } : {}),
          ...(this.options.sensitive
            ? {
                ...(request.instructions !== undefined ? { 'gen_ai.system_instructions': request.instructions } : {}),
                'gen_ai.input.messages': JSON.stringify(request.input),
                'gen_ai.tool.definitions': JSON.stringify(request.tools),
              }
            : {}),
        });
        const span = this.options.tracer.startSpan(
          `chat ${model.modelName}`,
          { kind: SpanKind.CLIENT, attributes },
          this.agentContext,
        );
        return { span, context: trace.setSpan(this.agentContext, span) };
      },
      this.options.stopReason,
      {
        next: (span, event) => {
          if (!firstChunk && (event.type === 'text.delta' || event.type === 'item.done')) {
            firstChunk = true;
            span.setAttribute('gen_ai.response.time_to_first_chunk', (performance.now() - started) / 1000);
          }
          if (event.type === 'text.delta' && this.options.sensitive) output += event.delta;
          if (event.type === 'response.started') {
            if (event.responseId) span.setAttribute('gen_ai.response.id', event.responseId);
            if (event.model) span.setAttribute('gen_ai.response.model', event.model);
          }
          if (event.type === 'response.completed') this.completed(span, event, output);
        },
      },
    );
  }

  tool(call: FunctionCallItem, tool: Tool<never> | undefined): MonoTypeOperatorFunction<ToolCallUpdate> {
    let failed = false;
    return traced(
      () => {
        const attributes = {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': call.name,
          'gen_ai.tool.call.id': call.call_id,
          'gen_ai.tool.type': 'function',
          ...(tool ? { 'gen_ai.tool.description': tool.description } : {}),
          ...(this.options.sensitive ? { 'gen_ai.tool.call.arguments': call.arguments } : {}),
        };
        const span = this.options.tracer.startSpan(
          `execute_tool ${call.name}`,
          { kind: SpanKind.INTERNAL, attributes },
          this.agentContext,
        );
        const context = trace.setSpan(this.agentContext, span);
        this.toolContexts.set(call.call_id, context);
        return { span, context };
      },
      this.options.stopReason,
      {
        next: (span, update) => {
          if (update.type !== 'output') return;
          const { item } = update;
          if (this.options.sensitive) span.setAttribute('gen_ai.tool.call.result', item.rawItem.output);
          if (item.error) {
            failed = true;
            recordError(span, item.error, item.error.kind);
          }
        },
        // A call that failed (bad arguments, timeout, exception) already set ERROR.
        complete: (span) => !failed && span.setStatus({ code: SpanStatusCode.OK }),
      },
    );
  }

  toolContext(callId: string): Context | undefined {
    return this.toolContexts.get(callId);
  }

  handoff<T>(from: string, to: string): MonoTypeOperatorFunction<T> {
    return traced<T>(
      () => {
        const attributes = { 'rxjs_agents.handoff.from_agent': from, 'rxjs_agents.handoff.to_agent': to };
        const span = this.options.tracer.startSpan(`handoff ${to}`, { kind: SpanKind.INTERNAL, attributes }, this.agentContext);
        return { span, context: trace.setSpan(this.agentContext, span) };
      },
      this.options.stopReason,
    );
  }

  guardrail(kind: 'input' | 'output', name: string, agentName: string): MonoTypeOperatorFunction<GuardrailResult> {
    return traced<GuardrailResult>(
      () => {
        const attributes = { 'rxjs_agents.guardrail.name': name, 'rxjs_agents.guardrail.kind': kind, 'gen_ai.agent.name': agentName };
        const span = this.options.tracer.startSpan(`guardrail ${name}`, { kind: SpanKind.INTERNAL, attributes }, this.agentContext);
        return { span, context: trace.setSpan(this.agentContext, span) };
      },
      this.options.stopReason,
      { next: (span, result) => span.setAttribute('rxjs_agents.guardrail.triggered', result.output.tripwireTriggered) },
    );
  }

  private completed(span: Span, event: Extract<ModelEvent, { type: 'response.completed' }>, output: string): void {
    if (event.responseId) span.setAttribute('gen_ai.response.id', event.responseId);
    if (event.model) span.setAttribute('gen_ai.response.model', event.model);
    if (event.finishReasons) span.setAttribute('gen_ai.response.finish_reasons', [...event.finishReasons]);
    const u = event.usage;
    if (u) {
      span.setAttribute('gen_ai.usage.input_tokens', u.inputTokens ?? 0);
      span.setAttribute('gen_ai.usage.output_tokens', u.outputTokens ?? 0);
      if (u.cachedInputTokens !== undefined) span.setAttribute('gen_ai.usage.cache_read.input_tokens', u.cachedInputTokens);
      if (u.reasoningTokens !== undefined) span.setAttribute('gen_ai.usage.reasoning.output_tokens', u.reasoningTokens);
      this.agentUsage.input += u.inputTokens ?? 0;
      this.agentUsage.output += u.outputTokens ?? 0;
    }
    if (this.options.sensitive) {
      span.setAttribute('gen_ai.output.messages', JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: output }] }]));
    }
  }

  private conversation(attributes: Record<string, string | number | boolean>): Record<string, string | number | boolean> {
    return this.options.conversationId ? { ...attributes, 'gen_ai.conversation.id': this.options.conversationId } : attributes;
  }
}
