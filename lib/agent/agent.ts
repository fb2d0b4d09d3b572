import type { $ZodType } from 'zod/v4/core';
import type { Model } from '../model/model.js';
import type { ModelSettings } from '../model/model-settings.js';
import type { HostedTool } from '../tools/hosted-tool.js';
import type { Tool, ToolSource } from '../tools/tool.js';
import type { InputGuardrail, OutputGuardrail } from './guardrail.js';
import { agentAsTool, type AgentToolOptions } from './agent-as-tool.js';
import { handoff, type Handoff } from './handoff.js';
import type { RunOutput } from './run-output.js';
import { UserError } from '../errors/agents-error.js';

/** What ends a turn that called tools: another model call (default), or the tools' output as the final answer. */
export type ToolUseBehavior = 'run_llm_again' | 'stop_on_first_tool' | { readonly stopAtToolNames: readonly string[] };

/**
 * What an agent of context `TContext` can hand a run to: an agent, or a configured
 * {@link handoff}. As a list's element type, `HandoffTarget` itself says "any agent":
 * a run that may reach such a list can finish with `unknown` (see {@link RunOutput}).
 */
export type HandoffTarget<TContext = unknown> = AgentFor<TContext> | Handoff<TContext>;

/** Any agent a run with context `TContext` can be given: of any output type, with any handoffs. */
export type AgentFor<TContext = unknown> = Agent<TContext, unknown, HandoffTarget<TContext>>;

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
  | ((runContext: RunContext<TContext>, agent: AgentFor<TContext>) => string | PromiseLike<string>);

/** Options of an {@link Agent}. */
export interface AgentOptions<TContext = unknown, TOutput = string, THandoffs extends HandoffTarget<TContext> = never> {
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
  /**
   * A zod schema the final answer must follow (structured output); `finalOutput` is
   * then parsed and typed. Without it the final output is text. A stopping tool's
   * output (see `toolUseBehavior`) is validated against it too.
   */
  readonly outputType?: $ZodType<TOutput>;
  /**
   * Agents the model may transfer the conversation to. Their output types join the
   * run's (see {@link RunOutput}). A function allows cycles (A hands off to B and
   * back); type its result (`(): HandoffTarget[] => [b]`), the run's output is then `unknown`.
   */
  readonly handoffs?: readonly THandoffs[] | (() => readonly THandoffs[]);
  /** Tells other agents' models when to hand off to this one. */
  readonly handoffDescription?: string;
  /** Checks of the run's input, when this agent starts the run. */
  readonly inputGuardrails?: readonly InputGuardrail<TContext>[];
  /** Checks of this agent's final output. */
  readonly outputGuardrails?: readonly OutputGuardrail<TContext>[];
  /**
   * What follows a turn that called tools. Default `run_llm_again`. A stopping
   * tool's output ends the run as the final output: validated against `outputType`
   * when the agent declares one, otherwise as text (the output the model would
   * have read), so `finalOutput` keeps its type either way. A stopping call that
   * failed (an error, a rejection) does not end the run: the model reads the error.
   */
  readonly toolUseBehavior?: ToolUseBehavior;
}

/**
 * An agent: a model with instructions and tools. Agents are plain immutable
 * configuration; all state lives in a run.
 *
 * @example
 * const agent = new Agent({ name: 'Assistant', instructions: 'Be brief.', model, tools: [getWeather] });
 */
export class Agent<TContext = unknown, TOutput = string, THandoffs extends HandoffTarget<TContext> = never> {
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
  private readonly handoffList: AgentOptions<TContext, TOutput, THandoffs>['handoffs'];

  constructor(options: AgentOptions<TContext, TOutput, THandoffs>) {
    this.name = options.name;
    this.instructions = options.instructions;
    this.model = options.model;
    // Shared empty lists when nothing is given: applications often make an agent per request.
    this.tools = options.tools ?? none;
    this.hostedTools = options.hostedTools ?? none;
    this.modelSettings = options.modelSettings ?? noSettings;
    this.outputType = options.outputType;
    this.handoffList = options.handoffs;
    this.handoffDescription = options.handoffDescription;
    this.inputGuardrails = options.inputGuardrails ?? none;
    this.outputGuardrails = options.outputGuardrails ?? none;
    this.toolUseBehavior = options.toolUseBehavior ?? 'run_llm_again';
  }

  /**
   * The agent's handoffs, each as a {@link Handoff} (agents given directly get the
   * defaults). Read every turn: a fixed list is normalized once, a lazy one each time.
   */
  get handoffs(): readonly Handoff<TContext>[] {
    if (typeof this.handoffList === 'function') return normalizeHandoffs(this.handoffList());
    return (this.fixedHandoffs ??= this.handoffList === undefined ? none : normalizeHandoffs(this.handoffList));
  }

  private fixedHandoffs: readonly Handoff<TContext>[] | undefined;

  /**
   * This agent as a tool another agent can call: each call is a nested run whose
   * events surface as the tool's progress, which is torn down with the caller.
   *
   * @example
   * const translator = spanish.asTool({ toolName: 'translate_to_spanish', toolDescription: 'Translate text to Spanish' });
   */
  asTool<TAgent extends AnyAgent>(this: TAgent, options: AgentToolOptions<RunOutput<TAgent>>): Tool<TContext> {
    return agentAsTool(this as unknown as AgentFor<TContext>, options as AgentToolOptions<unknown>);
  }

  /** A copy of this agent with some options changed. */
  clone<TOut = TOutput, THand extends HandoffTarget<TContext> = THandoffs>(
    changes: Partial<AgentOptions<TContext, TOut, THand>>,
  ): Agent<TContext, TOut, THand> {
    const current = { ...(this as unknown as AgentOptions<TContext, TOut, THand>), handoffs: this.handoffList as unknown as AgentOptions<TContext, TOut, THand>['handoffs'] };
    return new Agent<TContext, TOut, THand>({ ...current, ...changes });
  }
}

const none: readonly never[] = Object.freeze([]);
const noSettings: ModelSettings = Object.freeze({});

function normalizeHandoffs<TContext>(targets: readonly HandoffTarget<TContext>[]): readonly Handoff<TContext>[] {
  if (!Array.isArray(targets)) throw new UserError(`handoffs must be a list of agents or handoff() results, got ${String(targets)}.`);
  return targets.map((target, index) => {
    if (target === null || typeof target !== 'object' || typeof target.name !== 'string' && !('type' in target)) {
      throw new UserError(`handoffs[${index}] is not an agent or a handoff() result (got ${String(target)}).`);
    }
    return 'type' in target && target.type === 'handoff' ? target : handoff<TContext>(target);
  });
}

/** An agent of any context, output type and handoffs, as events and results refer to it. */
export type AnyAgent = AgentFor<never>;
