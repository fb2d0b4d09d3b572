import type { Context } from '@opentelemetry/api';
import type { Observable } from 'rxjs';
import type { AgentFor } from '../agent/agent.js';
import type { RunOutput } from '../agent/run-output.js';
import { UserError } from '../errors/agents-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import { $ZodObject, prettifyError, safeParse, toJSONSchema, type output } from 'zod/v4/core';
import type { JsonSchema, ToolDefinition } from '../model/model.js';
import { isStrictSchema, toModelJsonSchema } from './strict-schema.js';

/** What a tool's `execute` receives besides its arguments. */
export interface ToolContext<TContext = unknown> {
  /** Fires when the call is interrupted: the run was cancelled or failed, or the call timed out. */
  readonly signal: AbortSignal;
  /** The model's id for this call. */
  readonly callId: string;
  /** The tool's name. */
  readonly toolName: string;
  /** The name of the agent that called the tool. */
  readonly agentName: string;
  /** The run's `context` option. */
  readonly context: TContext;
  /** Reports a progress value now (a `tool.progress` event), whatever the tool returns. */
  readonly progress: (value: unknown) => void;
  /**
   * Starts a run nested in this call (what `agent.asTool()` does). It inherits the
   * run's model provider, tracing (its spans nest under this call's) and approvals
   * (its approval requests surface on this run and are answered there), and its
   * usage adds to this run's. Unsubscribing it, or this call ending, stops it.
   */
  readonly runNested?: NestedRunner<TContext>;
  /**
   * The OpenTelemetry context of this call's `execute_tool` span, when the run is
   * traced: for tools that add attributes to it or start spans under it.
   */
  readonly traceContext?: Context;
}

/** Starts a run nested in a tool call; see {@link ToolContext.runNested}. */
export type NestedRunner<TContext = unknown> = <TAgent extends AgentFor<TContext>>(
  agent: TAgent,
  input: string,
  options?: { readonly maxTurns?: number },
) => Observable<StreamEvent<RunOutput<TAgent>>>;

/**
 * What `execute` may return: a value, a Promise of one, or an Observable whose
 * last value is the output and whose earlier values are progress reports.
 */
export type ToolResult<TOut> = TOut | PromiseLike<TOut> | Observable<TOut>;

/** Options of {@link tool}. */
export interface ToolOptions<TParams extends $ZodObject, TOut, TContext = unknown> {
  /** Name the model calls the tool by: letters, digits, `_` and `-`. */
  readonly name: string;
  /** What the tool does, for the model. */
  readonly description: string;
  /** The arguments' schema; arguments are validated with it before `execute` runs. */
  readonly parameters: TParams;
  /** Runs the tool. Respect `ctx.signal`: the run does not wait for a tool that ignores it. */
  readonly execute: (args: output<TParams>, ctx: ToolContext<TContext>) => ToolResult<TOut>;
  /** Abort the call (and tell the model it timed out) after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Called once when a running call is interrupted (cancel, failure elsewhere, timeout). */
  readonly onCancel?: (ctx: ToolContext<TContext>, reason: unknown) => void;
  /**
   * Whether a human must approve each call first. The run emits `tool.approval_requested`
   * and the call waits (nothing else does) for `approve()` / `reject()` or `approvals$`.
   */
  readonly needsApproval?: boolean | ((args: output<TParams>, ctx: ToolContext<TContext>) => boolean | PromiseLike<boolean>);
  /**
   * Ask the provider to enforce the schema exactly. Defaults to true when the schema
   * allows it (every property required, no open objects).
   */
  readonly strict?: boolean;
}

/** A call's arguments after validation: the value `execute` receives, or what was wrong, for the model. */
export type ToolArguments =
  | { readonly success: true; readonly data: unknown }
  | { readonly success: false; readonly error: string; readonly cause?: unknown };

/**
 * A function tool, made by {@link tool} (zod parameters) or from another schema
 * language (an MCP server's JSON Schema): the run only needs its definition and `parse`.
 */
export interface Tool<TContext = unknown> {
  readonly type: 'function';
  readonly name: string;
  readonly description: string;
  /** The definition the model sees, computed once. */
  readonly definition: ToolDefinition;
  /** Validates the model's arguments (already parsed from JSON) before `execute` runs. */
  parse(args: unknown): ToolArguments;
  readonly timeoutMs?: number;
  /** Whether a call needs a human's approval before it runs. */
  readonly needsApproval?: boolean | ((args: unknown, ctx: ToolContext<TContext>) => boolean | PromiseLike<boolean>);
  /** Runs the tool on the arguments `parse` returned. */
  execute(args: unknown, ctx: ToolContext<TContext>): ToolResult<unknown>;
  onCancel?(ctx: ToolContext<TContext>, reason: unknown): void;
}

/**
 * A list of tools that may change while it is used (an MCP server's tools). A run
 * subscribes to it while the agent holding it is in charge, waits for the first
 * list, and uses the latest one at each turn; unsubscribing releases what it holds.
 */
export type ToolSource<TContext = unknown> = Observable<readonly Tool<TContext>[]>;

/**
 * Defines a function tool.
 *
 * @example
 * const getWeather = tool({
 *   name: 'get_weather',
 *   description: 'Current weather for a city',
 *   parameters: z.object({ city: z.string() }),
 *   execute: ({ city }, { signal }) => fetchWeather(city, { signal }),
 * });
 */
export function tool<TParams extends $ZodObject, TOut, TContext = unknown>(
  options: ToolOptions<TParams, TOut, TContext>,
): Tool<TContext> {
  if (!(options.parameters instanceof $ZodObject)) {
    throw new UserError(
      `Tool "${options?.name}": parameters must be a zod object schema (z.object({ … })), got ${options.parameters === null ? 'null' : typeof options.parameters === 'object' ? 'a plain object (a JSON schema?)' : typeof options.parameters}.`,
    );
  }
  const parameters: JsonSchema = toModelJsonSchema(toJSONSchema(options.parameters, { io: 'input' }));
  return {
    type: 'function',
    name: options.name,
    description: options.description,
    definition: {
      name: options.name,
      description: options.description,
      parameters,
      strict: options.strict ?? isStrictSchema(parameters),
    },
    parse: (args) => {
      const parsed = safeParse(options.parameters, args);
      return parsed.success ? { success: true, data: parsed.data } : { success: false, error: prettifyError(parsed.error), cause: parsed.error };
    },
    timeoutMs: options.timeoutMs,
    needsApproval: options.needsApproval as Tool<TContext>['needsApproval'],
    execute: (args, ctx) => options.execute(args as output<TParams>, ctx),
    onCancel: options.onCancel,
  };
}
