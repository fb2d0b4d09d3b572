import { trace } from '@opentelemetry/api';
import { asyncScheduler, finalize, ignoreElements, merge, mergeMap, Observable, type ObservableInput, Subject, switchMap, takeUntil, tap, timer } from 'rxjs';
import { ToolCallError } from '../errors/tool-call-error.js';
import type { StreamEvent, ToolApprovalRequestedEvent } from '../events/stream-event.js';
import type { ToolCallRunItem } from '../items/run-item.js';
import { cancelledOutput } from '../session/pair-tool-calls.js';
import { invokeToolCall } from '../tools/invoke-tool-call.js';
import { sequence } from '../util/sequence.js';
import type { RunState } from './run-state.js';
import type { NestedRunner } from '../tools/tool.js';

/** Default of `maxToolOutputChars`. */
const defaultMaxToolOutputChars = 100_000;

/**
 * Runs a response's tool calls concurrently. Progress is reported as it happens;
 * outputs are reported (and enter history) in the calls' order, so a fast call
 * waits in `heldOutputs` for the slower calls before it. A call that ends
 * without output (its approval wait cut by an `after_turn` cancel) is answered as
 * cancelled, in its place.
 */
export function runTools<TContext>(
  state: RunState<TContext>,
  calls: readonly ToolCallRunItem[],
  /** The response's whole batch of calls (a resumed run runs only the waiting ones). */
  batch: readonly ToolCallRunItem[] = calls,
): Observable<StreamEvent<unknown>> {
  const agent = state.agent;
  const env = {
    agentName: agent.name,
    context: state.options.context as TContext,
    scheduler: state.options.scheduler ?? asyncScheduler,
    stopReason: () => state.stopReason,
    approvals: state.approvals,
    afterTurn$: state.afterTurn$,
    maxOutputChars: state.options.maxToolOutputChars ?? defaultMaxToolOutputChars,
    runNested: nestedRunner(state),
    traceContext: (callId: string) => state.tracing.toolContext(callId),
    onCancelFailed: (callId: string, error: Error) => {
      state.cancelFailures.set(callId, error);
      // The call's span is still open here (a span ends after its source is torn down).
      const context = state.tracing.toolContext(callId);
      if (context) trace.getSpan(context)?.recordException(error);
    },
  };
  let next = 0;
  // Outputs whose turn came, each leaving `heldOutputs` as its event goes out: one a
  // stop (from a handler) kept from going out stays held, for `pairOpenCalls`.
  const released$ = new Observable<StreamEvent<unknown>>((subscriber) => {
    for (let output; !subscriber.closed && next < calls.length && (output = state.heldOutputs.get(calls[next]!.rawItem.call_id)); next++) {
      state.heldOutputs.delete(output.rawItem.call_id);
      subscriber.next({ type: 'item.created', item: output });
    }
    subscriber.complete();
  });
  const cutOff = (): Observable<StreamEvent<unknown>> => {
    for (const { rawItem: call } of calls.slice(next)) {
      if (state.heldOutputs.has(call.call_id)) continue;
      const rawItem = cancelledOutput(call, state.afterTurn ?? state.stopReason);
      state.heldOutputs.set(call.call_id, {
        type: 'tool_output',
        agentName: agent.name,
        toolName: call.name,
        output: undefined,
        error: new ToolCallError('cancelled', call.name, call.call_id, rawItem.output),
        rawItem,
      });
    }
    return released$;
  };

  // Suspension (`suspendOnApproval`): once every call has finished or waits for a decision.
  // Nothing is made for it in a run that does not suspend (most runs; this is every turn).
  const finished = new Set<string>();
  const waiting = new Map<string, unknown>();
  const suspend = state.options.suspendOnApproval;
  const suspendAfterMs = suspend === true ? 0 : suspend ? suspend.afterMs : undefined;
  const updated = suspendAfterMs === undefined ? undefined : new Subject<void>();
  const done = updated && new Subject<void>();
  const suspender$ =
    updated === undefined
      ? undefined
      : updated.pipe(
          // The call registers its wait just after asking: look once the dust settles (and after `afterMs`).
          switchMap(() => timer(suspendAfterMs!, env.scheduler)),
          tap(() => {
            const open = calls.filter((c) => !finished.has(c.rawItem.call_id));
            if (open.length > 0 && open.every((c) => state.approvals.isWaiting(c.rawItem.call_id))) state.suspend(batch, waiting);
          }),
          ignoreElements(),
          takeUntil(done!),
        );

  const tools$ = merge(
    ...calls.map((call) =>
      invokeToolCall(call.rawItem, state.tools, env).pipe(
        state.tracing.tool(call.rawItem, state.tools.find((t) => t.name === call.rawItem.name) as never),
        mergeMap((update): ObservableInput<StreamEvent<unknown>> => {
          const { call_id: callId, name: toolName } = call.rawItem;
          if (update.type === 'progress') {
            const progress: StreamEvent<unknown> = { type: 'tool.progress', callId, toolName, value: update.value };
            // A nested run's approval request surfaces on this run too, answerable here.
            return isNestedApproval(update.value) ? [progress, update.value] : [progress];
          }
          if (update.type === 'approval') {
            waiting.set(callId, update.arguments);
            updated?.next();
            return [
              {
                type: 'tool.approval_requested',
                callId,
                toolName,
                arguments: update.arguments,
                approve: () => state.approvals.decide({ callId, approved: true }),
                reject: (message?: string) => state.approvals.decide({ callId, approved: false, message }),
              },
            ];
          }
          state.heldOutputs.set(call.rawItem.call_id, update.item);
          finished.add(callId);
          updated?.next();
          return released$;
        }),
      ),
    ),
  );

  return sequence(suspender$ ? merge(suspender$, tools$.pipe(finalize(() => done!.next()))) : tools$, cutOff);
}

function isNestedApproval(value: unknown): value is ToolApprovalRequestedEvent {
  return (value as { type?: unknown } | null)?.type === 'tool.approval_requested' && nestedApprovals.has(value as object);
}

/** Approval events of nested runs (marked by the nested run's loop), to surface them on the outer run. */
export const nestedApprovals = new WeakSet<object>();

/** The tool calls' way to start nested runs, made when tools run rather than held by every run. */
function nestedRunner<TContext>(state: RunState<TContext>): ((callId: string) => NestedRunner<TContext>) | undefined {
  const nested = state.nested;
  return nested && ((callId) => nested.runnerFor(callId));
}
