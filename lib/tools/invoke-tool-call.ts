import type { Context } from '@opentelemetry/api';
import {
  catchError,
  concat,
  defer,
  map,
  switchMap,
  merge,
  mergeMap,
  type Observable,
  of,
  type SchedulerLike,
  takeUntil,
  takeWhile,
  throwError,
  timer,
} from 'rxjs';
import { describe, RunCancelledError } from '../errors/agents-error.js';
import { ToolCallError, type ToolCallErrorKind } from '../errors/tool-call-error.js';
import type { FunctionCallItem } from '../items/input-item.js';
import type { ToolOutputRunItem } from '../items/run-item.js';
import type { ApprovalDesk } from './approval-desk.js';
import { callWithSignal } from '../util/call-with-signal.js';
import { executeTool, toolContext, type ToolCallInfo } from './execute-tool.js';
import type { NestedRunner, Tool } from './tool.js';
import { toolOutputText } from './tool-output-text.js';

/** What a tool call reports to the run: progress values, then its output item. */
export type ToolCallUpdate =
  | { readonly type: 'progress'; readonly value: unknown }
  | { readonly type: 'approval'; readonly arguments: unknown }
  | { readonly type: 'output'; readonly item: ToolOutputRunItem };

/** What a tool call needs from the run. */
export interface ToolCallEnvironment<TContext> {
  readonly agentName: string;
  readonly context: TContext;
  readonly scheduler: SchedulerLike;
  /** Why the run is stopping the call; read only when it does. */
  readonly stopReason: () => string;
  /** Where approval decisions arrive. */
  readonly approvals: ApprovalDesk;
  /** Starts runs nested in a call (see `ToolContext.runNested`). */
  readonly runNested?: (callId: string) => NestedRunner<TContext>;
  /** The OpenTelemetry context of a call's span, when traced (see `ToolContext.traceContext`). */
  readonly traceContext?: (callId: string) => Context | undefined;
  /** Emits when the run is to end after this turn: calls still waiting for approval stop waiting. */
  readonly afterTurn$: Observable<unknown>;
  /** Most characters of output text sent to the model. */
  readonly maxOutputChars: number;
  /** Told when a tool's `onCancel` throws (the call is being stopped anyway). */
  readonly onCancelFailed: (callId: string, error: Error) => void;
}

/**
 * Carries out one function call: find the tool, parse and validate the arguments,
 * run it under its timeout. Every failure becomes an output that tells the model
 * what went wrong, so the Observable never errors.
 */
export function invokeToolCall<TContext>(
  call: FunctionCallItem,
  tools: readonly Tool<TContext>[],
  env: ToolCallEnvironment<TContext>,
): Observable<ToolCallUpdate> {
  // An onCancel that threw while a timeout stopped the call is reported on its output item.
  let cancelFailure: Error | undefined;
  const item = (value: unknown, text: string, error?: ToolCallError, truncatedFrom?: number): ToolCallUpdate => ({
    type: 'output',
    item: {
      type: 'tool_output',
      agentName: env.agentName,
      toolName: call.name,
      output: value,
      error,
      ...(truncatedFrom !== undefined ? { truncatedFrom } : {}),
      ...(cancelFailure ? { onCancelError: cancelFailure } : {}),
      rawItem: { type: 'function_call_output', call_id: call.call_id, output: text },
    },
  });
  const errorItem = (error: ToolCallError) => item(undefined, error.message, error);
  const failure = (kind: ToolCallErrorKind, message: string, cause?: unknown) =>
    of(errorItem(new ToolCallError(kind, call.name, call.call_id, message, { cause })));
  // The value as text for the model; a value that cannot be rendered is the call's error, not garbage.
  const output = (value: unknown): ToolCallUpdate => {
    try {
      const { text, truncatedFrom } = toolOutputText(value, env.maxOutputChars);
      return item(value, text, undefined, truncatedFrom);
    } catch (cause) {
      const message = `Error: the output of tool "${call.name}" cannot be sent to the model: ${(cause as Error).message}.`;
      return errorItem(new ToolCallError('invalid_output', call.name, call.call_id, message, { cause }));
    }
  };

  const tool = tools.find((t) => t.name === call.name);
  if (!tool) {
    const names = tools.map((t) => t.name).join(', ') || 'none';
    return failure('unknown_tool', `Error: there is no tool named "${call.name}". Available tools: ${names}.`);
  }

  let json: unknown;
  try {
    json = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch (cause) {
    return failure(
      'invalid_json',
      `Error: the arguments of "${call.name}" are not valid JSON (${(cause as Error).message}). Call the tool again with a JSON object.`,
      cause,
    );
  }
  const parsed = tool.parse(json);
  if (!parsed.success) {
    return failure(
      'invalid_arguments',
      `Error: invalid arguments for "${call.name}":\n${parsed.error}\nCall the tool again with arguments that match its schema.`,
      parsed.cause,
    );
  }

  let timedOut: ToolCallError | undefined;
  const context: ToolCallInfo<TContext> = {
    callId: call.call_id,
    toolName: tool.name,
    agentName: env.agentName,
    context: env.context,
    runNested: env.runNested,
    traceContext: env.traceContext,
  };
  const execution$ = executeTool(
    tool,
    parsed.data,
    context,
    () => timedOut ?? new RunCancelledError(env.stopReason()),
    (error) => {
      cancelFailure = error;
      env.onCancelFailed(call.call_id, error);
    },
  );
  const deadline$ =
    tool.timeoutMs === undefined
      ? execution$
      : merge(
          execution$,
          timer(tool.timeoutMs, env.scheduler).pipe(
            mergeMap(() => {
              timedOut = new ToolCallError(
                'timeout',
                tool.name,
                call.call_id,
                `Error: tool "${tool.name}" timed out after ${tool.timeoutMs} ms and was stopped.`,
              );
              return throwError(() => timedOut);
            }),
          ),
        ).pipe(takeWhile((e) => e.type !== 'output', true));

  const run$ = deadline$.pipe(
    map((e): ToolCallUpdate => (e.type === 'output' ? output(e.value) : e)),
    // Deferred: the failed execution is torn down (its onCancel run) before the item is made.
    catchError((error: unknown) =>
      defer(() =>
        error instanceof ToolCallError ? of(errorItem(error)) : failure('execution_failed', `Error: tool "${tool.name}" failed: ${describe(error)}`, error),
      ),
    ),
  );
  if (!tool.needsApproval) return run$;

  // Ask for approval when the tool says so; only this call waits for the answer.
  const needs = tool.needsApproval;
  const decision$ =
    typeof needs === 'function'
      ? callWithSignal((signal) => needs(parsed.data, toolContext(context, signal, () => undefined)), () => new RunCancelledError(env.stopReason()))
      : of(true);
  return decision$.pipe(
    switchMap((required) =>
      !required
        ? run$
        : concat(
            of<ToolCallUpdate>({ type: 'approval', arguments: parsed.data }),
            // An after-turn cancel ends the wait: the call is then cut off like any other.
            env.approvals.decision$(call.call_id).pipe(
              takeUntil(env.afterTurn$),
              switchMap((decision) =>
                decision.approved
                  ? run$
                  : failure(
                      'rejected',
                      `Error: the call to "${tool.name}" was rejected by the user${decision.message ? `: ${sentence(decision.message)}` : '.'} Do not retry it unless asked to.`,
                    ),
              ),
            ),
          ),
    ),
    // Only the approval check itself can fail here; the call must not run unapproved.
    catchError((error: unknown) =>
      failure('execution_failed', `Error: could not decide whether "${tool.name}" needs approval: ${describe(error)}`, error),
    ),
  );
}

/** `text` ending as a sentence: a full stop added unless it already ends with one (or `!`, `?`). */
function sentence(text: string): string {
  return /[.!?]\s*$/.test(text) ? text.trimEnd() : `${text}.`;
}
