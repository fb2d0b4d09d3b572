import type { StreamEvent } from '../events/stream-event.js';
import type { ToolCallRunItem } from '../items/run-item.js';
import { wholeView } from '../session/history-view.js';
import type { ToolApprovalDecision } from '../tools/approval-desk.js';
import type { Observable } from 'rxjs';
import type { RunState } from './run-state.js';
import { resumeTurn } from './run-turn.js';
import type { SuspendedRun } from './suspended-run.js';

/** What a resumed run starts from (an internal run option, set by `resume`). */
export interface Resumption {
  readonly suspended: SuspendedRun;
  readonly decisions: readonly ToolApprovalDecision[];
}

/**
 * Restores a suspended run into a new run's state (turns, usage, the batch of calls,
 * injected input, decisions) and returns its first step: the waiting calls.
 */
export function resumeFrom<TContext>(state: RunState<TContext>, { suspended, decisions }: Resumption): Observable<StreamEvent<unknown>> {
  state.turn = suspended.turn;
  state.usage = suspended.usage;
  // With a session the history is read from it (it holds the same); without, it comes with the state.
  if (!state.options.session) state.past = wholeView(suspended.history);
  const agentName = state.agent.name;
  const batch = suspended.calls.map((c): ToolCallRunItem => ({ type: 'tool_call', agentName, rawItem: c.call }));
  state.items.push(...batch);
  for (const { call, output } of suspended.calls) {
    if (output) state.items.push({ type: 'tool_output', agentName, toolName: call.name, output: output.output, rawItem: output });
  }
  if (suspended.unconsumedInput.length > 0) state.injections.push(suspended.unconsumedInput);
  for (const decision of decisions) state.approvals.decide(decision);
  return resumeTurn(state, batch.filter((_, i) => !suspended.calls[i]!.output), batch);
}
