import { catchError, concat, defer, EMPTY, from, ignoreElements, type Observable, of, throwError } from 'rxjs';
import type { Handoff } from '../agent/handoff.js';
import { prettifyError, safeParse } from 'zod/v4/core';
import { asAgentsError, RunCancelledError } from '../errors/agents-error.js';
import { ToolCallError } from '../errors/tool-call-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { RunItem, ToolCallRunItem, ToolOutputRunItem } from '../items/run-item.js';
import { type Answer, callWithSignal } from '../util/call-with-signal.js';
import type { RunState } from './run-state.js';

/**
 * Carries out the first handoff call of a response. Later handoff calls in the
 * same response are answered as ignored (so history stays paired). Invalid
 * handoff arguments are answered with the error, and no handoff happens.
 */
export function handoffStep<TContext>(
  state: RunState<TContext>,
  calls: readonly { call: ToolCallRunItem; handoff: Handoff<TContext> }[],
): Observable<StreamEvent<unknown>> {
  if (calls.length === 0) return EMPTY;
  return defer(() => {
    const [first, ...rest] = calls;
    if (!first) return EMPTY;
    const from_ = state.agent.name;
    const to = first.handoff.agent.name;
    const ignored = rest.map(({ call }) =>
      output(state, call, `Ignored: only one handoff can happen at a time, and the conversation was handed to ${to}.`),
    );

    // An after-turn cancel came: the handoff is recorded (its call answered) but not taken.
    if (state.afterTurn !== undefined) {
      const message = `Handoff to ${to} was not taken: the run was cancelled (${state.afterTurn}).`;
      const call = first.call.rawItem;
      const notTaken = output(state, first.call, message, new ToolCallError('cancelled', call.name, call.call_id, message));
      return emit([notTaken, ...ignored]);
    }

    let input: unknown;
    try {
      input = parseInput(first.handoff, first.call.rawItem.arguments);
    } catch (error) {
      const message = `Error: invalid arguments for "${first.call.rawItem.name}": ${(error as Error).message}`;
      const failed = output(state, first.call, message, new ToolCallError('invalid_arguments', first.call.rawItem.name, first.call.rawItem.call_id, message));
      return emit([failed, ...ignored]);
    }

    const item: RunItem = {
      type: 'handoff',
      agentName: from_,
      targetAgent: to,
      rawItem: { type: 'function_call_output', call_id: first.call.rawItem.call_id, output: JSON.stringify({ assistant: to }) },
    };
    const onHandoff = first.handoff.onHandoff;
    // onHandoff runs inside the handoff span; its signal fires if the run stops meanwhile.
    const callback$ = callWithSignal(
      (signal): Answer<unknown> => onHandoff?.({ context: state.options.context as TContext, fromAgent: from_, toAgent: to, signal: signal() }, input),
      () => new RunCancelledError(state.stopReason),
    ).pipe(
      ignoreElements(),
      catchError((error: unknown) => throwError(() => asAgentsError(error, `The onHandoff of the handoff from "${from_}" to "${to}"`))),
      state.tracing.handoff<never>(from_, to),
    );

    return concat(
      callback$,
      defer(() => {
        state.pendingHandoff = first.handoff;
        return emit([item, ...ignored]);
      }),
    );
  });
}

function parseInput<TContext>(handoff: Handoff<TContext>, text: string): unknown {
  if (!handoff.inputType) return undefined;
  const parsed = safeParse(handoff.inputType, text.trim() === '' ? {} : JSON.parse(text));
  if (!parsed.success) throw new Error(prettifyError(parsed.error));
  return parsed.data;
}

function output<TContext>(state: RunState<TContext>, call: ToolCallRunItem, text: string, error?: ToolCallError): ToolOutputRunItem {
  return {
    type: 'tool_output',
    agentName: state.agent.name,
    toolName: call.rawItem.name,
    output: text,
    error,
    rawItem: { type: 'function_call_output', call_id: call.rawItem.call_id, output: text },
  };
}

function emit(items: readonly RunItem[]): Observable<StreamEvent<unknown>> {
  return from(items.map((item): StreamEvent<unknown> => ({ type: 'item.created', item })));
}
