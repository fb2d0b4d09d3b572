import type { Observable } from 'rxjs';
import { toJSONSchema, type $ZodObject } from 'zod/v4/core';
import type { InputItem } from '../items/input-item.js';
import type { ToolDefinition } from '../model/model.js';
import { isStrictSchema, toModelJsonSchema } from '../tools/strict-schema.js';
import type { AnyAgent } from './agent.js';

/** Shapes the history the next agent sees (it does not change what is stored in the session). */
export type HandoffInputFilter = (history: readonly InputItem[]) => readonly InputItem[];

/** What `onHandoff` receives. */
export interface HandoffContext<TContext = unknown> {
  readonly context: TContext;
  readonly fromAgent: string;
  readonly toAgent: string;
  readonly signal: AbortSignal;
}

/** Options of {@link handoff}. */
export interface HandoffOptions<TContext = unknown, TInput = unknown> {
  /** Tool name the model calls; default `transfer_to_<agent name>`. */
  readonly toolName?: string;
  readonly toolDescription?: string;
  /** Arguments the model must give when handing off (e.g. a reason), validated with zod. */
  readonly inputType?: $ZodObject;
  readonly inputFilter?: HandoffInputFilter;
  /** Called when the handoff happens, with the validated arguments; the run waits for it. */
  readonly onHandoff?: (ctx: HandoffContext<TContext>, input: TInput | undefined) => void | PromiseLike<void> | Observable<unknown>;
}

/** A handoff: the model may transfer the conversation to `agent` by calling `definition.name`. */
export interface Handoff<TContext = unknown, TAgent extends AnyAgent = AnyAgent> {
  readonly type: 'handoff';
  readonly agent: TAgent;
  readonly definition: ToolDefinition;
  readonly inputType?: $ZodObject;
  readonly inputFilter?: HandoffInputFilter;
  readonly onHandoff?: HandoffOptions<TContext, unknown>['onHandoff'];
}

/** The default transfer tool name for an agent: `transfer_to_` and its name in snake case. */
export function handoffToolName(agentName: string): string {
  return `transfer_to_${agentName.toLowerCase().replace(/[^a-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '')}`;
}

/**
 * Configures a handoff to an agent.
 *
 * @example
 * const triage = new Agent({ name: 'Triage', handoffs: [billing, handoff(refunds, { inputFilter: removeToolCalls })] });
 */
export function handoff<TContext = unknown, TInput = unknown, TAgent extends AnyAgent = AnyAgent>(
  agent: TAgent,
  options: HandoffOptions<TContext, TInput> = {},
): Handoff<TContext, TAgent> {
  const parameters = options.inputType
    ? toModelJsonSchema(toJSONSchema(options.inputType, { io: 'input' }))
    : { type: 'object', properties: {}, required: [], additionalProperties: false };
  const description =
    options.toolDescription ??
    `Hand off to the ${agent.name} agent to handle the request.${agent.handoffDescription ? ` ${agent.handoffDescription}` : ''}`;
  return {
    type: 'handoff',
    agent,
    definition: { name: options.toolName ?? handoffToolName(agent.name), description, parameters, strict: isStrictSchema(parameters) },
    inputType: options.inputType,
    inputFilter: options.inputFilter,
    onHandoff: options.onHandoff as Handoff<TContext>['onHandoff'],
  };
}

/** An input filter that drops every tool call and tool output, keeping the conversation's messages. */
export const removeToolCalls: HandoffInputFilter = (history) =>
  history.filter((item) => item.type !== 'function_call' && item.type !== 'function_call_output');
