import type { $ZodType } from 'zod/v4/core';
import type { Model } from '../model/model.js';
import type { ModelSettings } from '../model/model-settings.js';
import type { HostedTool } from '../tools/hosted-tool.js';
import type { Tool, ToolSource } from '../tools/tool.js';
import type { InputGuardrail, OutputGuardrail } from './guardrail.js';
import { agentAsTool, type AgentToolOptions } from './agent-as-tool.js';
import { handoff, type Handoff } from './handoff.js';
import { UserError } from '../errors/agents-error.js';

/** What ends a turn that called tools: another model call (default), or the tools' output as the final answer. */
export type ToolUseBehavior = 'run_llm_again' | 'stop_on_first_tool' | { readonly stopAtToolNames: readonly string[] };

/** An agent or a configured handoff; a list of them may be given lazily, so agents can hand off to each other. */
export type HandoffTarget<TContext> = Agent<TContext, unknown> | Agent<TContext, never> | Handoff<TContext>;

/** What an agent's dynamic instructions can read. */
export interface RunContext<TContext = unknown> {
  /** The run's `context` option. */
  readonly context: TContext;
  /** The number of the model turn about to start (1-based). */
  readonly turn: number;
}

/** Instructions: fixed text, or text computed for each model call. */
export type Instructions<TContext> =
  | string
  | ((runContext: RunContext<TContext>, agent: Agent<TContext, unknown>) => string | PromiseLike<string>);

/** Options of an {@link Agent}. */
export interface AgentOptions<TContext = unknown, TOutput = string> {
  /** Shown in events, traces and handoff tool names. */
  readonly name: string;
  /** The system prompt. */
  readonly instructions?: Instructions<TContext>;
  /** The model; a plain string is a name, resolved by the run's `modelProvider` or the one set by `setDefaultModelProvider`. */
  readonly model?: Model | string;
  /** Tools, and live tool lists (an MCP server's tools) the run subscribes to while this agent is in charge. */
  readonly tools?: readonly (Tool<TContext> | ToolSource<TContext>)[];
  /**
   * Tools the model's provider runs itself (web search, file search, code
   * interpreter, image generation, remote MCP), made with the provider's helpers
   * (`webSearchTool()`…). Their calls and results arrive as `provider_item` items.
   */
  readonly hostedTools?: readonly HostedTool[];
  readonly modelSettings?: ModelSettings;
  /** A zod schema the final answer must follow (structured output); `finalOutput` is then parsed and typed. */
  readonly outputType?: $ZodType<TOutput>;
  /** Agents the model may transfer the conversation to; a function allows cycles (A hands off to B and back). */
  readonly handoffs?: readonly HandoffTarget<TContext>[] | (() => readonly HandoffTarget<TContext>[]);
  /** Tells other agents' models when to hand off to this one. */
  readonly handoffDescription?: string;
  /** Checks of the run's input, when this agent starts the run. */
  readonly inputGuardrails?: readonly InputGuardrail<TContext>[];
  /** Checks of this agent's final output. */
  readonly outputGuardrails?: readonly OutputGuardrail<TContext>[];
  /** What follows a turn that called tools. Default `run_llm_again`. */
  readonly toolUseBehavior?: ToolUseBehavior;
}

/**
 * An agent: a model with instructions and tools. Agents are plain immutable
 * configuration; all state lives in a run.
 *
 * @example
 * const agent = new Agent({ name: 'Assistant', instructions: 'Be brief.', model, tools: [getWeather] });
 */
export class Agent<TContext = unknown, TOutput = string> {
  readonly name: string;
  readonly instructions: Instructions<TContext> | undefined;
  readonly model: Model | string | undefined;
  readonly tools: readonly (Tool<TContext> | ToolSource<TContext>)[];
  readonly hostedTools: readonly HostedTool[];
  readonly modelSettings: ModelSettings;
  readonly outputType: $ZodType<TOutput> | undefined;
  readonly handoffDescription: string | undefined;
  readonly inputGuardrails: readonly InputGuardrail<TContext>[];
  readonly outputGuardrails: readonly OutputGuardrail<TContext>[];
  readonly toolUseBehavior: ToolUseBehavior;
  private readonly handoffList: AgentOptions<TContext, TOutput>['handoffs'];

  constructor(options: AgentOptions<TContext, TOutput>) {
    this.name = options.name;
    this.instructions = options.instructions;
    this.model = options.model;
    this.tools = options.tools ?? [];
    this.hostedTools = options.hostedTools ?? [];
    this.modelSettings = options.modelSettings ?? {};
    this.outputType = options.outputType;
    this.handoffList = options.handoffs;
    this.handoffDescription = options.handoffDescription;
    this.inputGuardrails = options.inputGuardrails ?? [];
    this.outputGuardrails = options.outputGuardrails ?? [];
    this.toolUseBehavior = options.toolUseBehavior ?? 'run_llm_again';
  }

  /**
   * The agent's handoffs, each as a {@link Handoff} (agents given directly get the
   * defaults). Read every turn: a fixed list is normalized once, a lazy one each time.
   */
  get handoffs(): readonly Handoff<TContext>[] {
    if (typeof this.handoffList === 'function') return normalizeHandoffs(this.handoffList());
    return (this.fixedHandoffs ??= normalizeHandoffs(this.handoffList ?? []));
  }

  private fixedHandoffs: readonly Handoff<TContext>[] | undefined;

  /**
   * This agent as a tool another agent can call: each call is a nested run whose
   * events surface as the tool's progress, which is torn down with the caller.
   *
   * @example
   * const translator = spanish.asTool({ toolName: 'translate_to_spanish', toolDescription: 'Translate text to Spanish' });
   */
  asTool(options: AgentToolOptions<TOutput>): Tool<TContext> {
    return agentAsTool(this, options);
  }

  /** A copy of this agent with some options changed. */
  clone<TOut = TOutput>(changes: Partial<AgentOptions<TContext, TOut>>): Agent<TContext, TOut> {
    const current = { ...(this as unknown as AgentOptions<TContext, TOut>), handoffs: this.handoffList as AgentOptions<TContext, TOut>['handoffs'] };
    return new Agent<TContext, TOut>({ ...current, ...changes });
  }
}

function normalizeHandoffs<TContext>(targets: readonly HandoffTarget<TContext>[]): readonly Handoff<TContext>[] {
  if (!Array.isArray(targets)) throw new UserError(`handoffs must be a list of agents or handoff() results, got ${String(targets)}.`);
  return targets.map((target, index) => {
    if (target === null || typeof target !== 'object' || typeof target.name !== 'string' && !('type' in target)) {
      throw new UserError(`handoffs[${index}] is not an agent or a handoff() result (got ${String(target)}).`);
    }
    return 'type' in target && target.type === 'handoff' ? target : handoff<TContext>(target as Agent<TContext, unknown>);
  });
}

/** An agent of any context and output type, as events and results refer to it. */
export type AnyAgent = Agent<never, unknown>;
