import type { z } from 'zod';
import type { Model } from '../model/model.js';
import type { ModelSettings } from '../model/model-settings.js';
import type { Tool } from '../tools/tool.js';

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
  /** The model; a plain string names an OpenAI model reached with the default client. */
  readonly model?: Model | string;
  readonly tools?: readonly Tool<TContext>[];
  readonly modelSettings?: ModelSettings;
  /** A zod schema the final answer must follow (structured output); `finalOutput` is then parsed and typed. */
  readonly outputType?: z.ZodType<TOutput>;
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
  readonly tools: readonly Tool<TContext>[];
  readonly modelSettings: ModelSettings;
  readonly outputType: z.ZodType<TOutput> | undefined;

  constructor(options: AgentOptions<TContext, TOutput>) {
    this.name = options.name;
    this.instructions = options.instructions;
    this.model = options.model;
    this.tools = options.tools ?? [];
    this.modelSettings = options.modelSettings ?? {};
    this.outputType = options.outputType;
  }

  /** A copy of this agent with some options changed. */
  clone<TOut = TOutput>(changes: Partial<AgentOptions<TContext, TOut>>): Agent<TContext, TOut> {
    return new Agent<TContext, TOut>({ ...(this as unknown as AgentOptions<TContext, TOut>), ...changes });
  }
}

/** An agent of any context and output type, as events and results refer to it. */
export type AnyAgent = Agent<never, unknown>;
