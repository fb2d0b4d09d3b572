import { asyncScheduler, merge, mergeMap, type Observable } from 'rxjs';
import type { StreamEvent } from '../events/stream-event.js';
import type { ToolCallRunItem, ToolOutputRunItem } from '../items/run-item.js';
import { invokeToolCall } from '../tools/invoke-tool-call.js';
import type { RunOptions } from './run-options.js';
import type { RunState } from './run-state.js';

/**
 * Runs a response's tool calls concurrently. Progress is reported as it happens;
 * outputs are reported (and enter history) in the calls' order, so a fast call
 * waits in `heldOutputs` for the slower calls before it.
 */
export function runTools<TContext>(
  state: RunState<TContext>,
  calls: readonly ToolCallRunItem[],
): Observable<StreamEvent<unknown>> {
  const agent = state.agent;
  const env = {
    agentName: agent.name,
    context: state.options.context as TContext,
    scheduler: state.options.scheduler ?? asyncScheduler,
    stopReason: () => state.stopReason,
    approvals: state.approvals,
    runOptions: (callId: string) => ({ ...inheritedOptions(state.options), traceContext: state.tracing.toolContext(callId) }),
  };
  let next = 0;
  const released = (): ToolOutputRunItem[] => {
    const ready: ToolOutputRunItem[] = [];
    for (let output; next < calls.length && (output = state.heldOutputs.get(calls[next]!.rawItem.call_id)); next++) {
      state.heldOutputs.delete(output.rawItem.call_id);
      state.items.push(output);
      ready.push(output);
    }
    return ready;
  };

  return merge(
    ...calls.map((call) =>
      invokeToolCall(call.rawItem, state.tools, env).pipe(
        state.tracing.tool(call.rawItem, state.tools.find((t) => t.name === call.rawItem.name) as never),
        mergeMap((update): StreamEvent<unknown>[] => {
          const { call_id: callId, name: toolName } = call.rawItem;
          if (update.type === 'progress') return [{ type: 'tool.progress', callId, toolName, value: update.value }];
          if (update.type === 'approval') {
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
          return released().map((item) => ({ type: 'item.created', item }));
        }),
      ),
    ),
  );
}

/** What a nested run (an agent used as a tool) inherits from this one: not the model override, which is this run's. */
function inheritedOptions<TContext>(options: RunOptions<TContext>): object {
  const { modelProvider, tracer, tracing, traceSensitiveData, scheduler } = options;
  return { modelProvider, tracer, tracing, traceSensitiveData, scheduler };
}
