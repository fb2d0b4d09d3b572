import type { Context } from '@opentelemetry/api';
import type { MonoTypeOperatorFunction } from 'rxjs';
import type { AnyAgent } from '../agent/agent.js';
import type { GuardrailResult } from '../agent/guardrail.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { FunctionCallItem } from '../items/input-item.js';
import type { Model, ModelEvent, ModelRequest } from '../model/model.js';
import type { Tool } from '../tools/tool.js';
import type { ToolCallUpdate } from '../tools/invoke-tool-call.js';

/**
 * What the run loop asks of tracing: one operator per traced operation. Each
 * wraps the Observable of that operation, so its span lives exactly as long as
 * the subscription does.
 */
export interface RunTracing {
  /** The whole run (named after its starting agent). */
  run(agentName: string): MonoTypeOperatorFunction<StreamEvent<unknown>>;
  /** A stretch of the run one agent is in charge of. */
  agent(agent: AnyAgent, model: () => Model | undefined): MonoTypeOperatorFunction<StreamEvent<unknown>>;
  /** One model call. */
  model(model: Model, request: ModelRequest): MonoTypeOperatorFunction<ModelEvent>;
  /** One tool call. */
  tool(call: FunctionCallItem, tool: Tool<never> | undefined): MonoTypeOperatorFunction<ToolCallUpdate>;
  /** A handoff from one agent to another (including its `onHandoff`). */
  handoff<T>(from: string, to: string): MonoTypeOperatorFunction<T>;
  /** The context of a tool call's span, for nested runs to parent their spans on. */
  toolContext(callId: string): Context | undefined;
  /** One guardrail check. */
  guardrail(kind: 'input' | 'output', name: string, agentName: string): MonoTypeOperatorFunction<GuardrailResult>;
}

const identity = <T>(source: T): T => source;

/** Tracing turned off: every operator is the identity. */
export const noTracing: RunTracing = {
  run: () => identity,
  agent: () => identity,
  model: () => identity,
  tool: () => identity,
  handoff: () => identity,
  guardrail: () => identity,
  toolContext: () => undefined,
};
