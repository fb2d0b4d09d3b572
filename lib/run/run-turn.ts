import { concat, defer, EMPTY, from, merge, type Observable, of, switchMap, takeUntil, tap } from 'rxjs';
import type { Instructions } from '../agent/agent.js';
import type { Handoff } from '../agent/handoff.js';
import { MaxTurnsExceededError, ModelBehaviorError } from '../errors/agents-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { MessageOutputRunItem, ToolCallRunItem, ToolOutputRunItem } from '../items/run-item.js';
import { handoffStep } from './handoff-step.js';
import { runGuardrails } from './run-guardrails.js';
import { finalOutput } from './final-output.js';
import { modelRequest } from './model-request.js';
import { ModelResponse, streamModelResponse } from './model-response.js';
import { resolveModel } from './resolve-model.js';
import { runTools } from './run-tools.js';
import { defaultStopReason, type RunState } from './run-state.js';

/**
 * One turn: a model call, then its tool calls, then (recursively) the next turn.
 * Recursion through `defer` keeps the loop a single Observable whose teardown
 * reaches whatever is running at that moment.
 */
export function runTurn<TContext>(state: RunState<TContext>): Observable<StreamEvent<unknown>> {
  return defer(() => {
    if (state.stopAfterTurn !== undefined) {
      state.end('cancelled', { reason: state.stopAfterTurn });
      return EMPTY;
    }
    if (state.turn >= state.maxTurns) throw new MaxTurnsExceededError(state.maxTurns);
    state.turn++;
    const response = new ModelResponse();
    const { instructions } = state.agent;
    const model$ =
      typeof instructions === 'function'
        ? dynamicInstructions(state, instructions).pipe(switchMap((text) => modelCall(state, text, response)))
        : modelCall(state, instructions, response);
    return concat(withInputGuardrails(state, model$), defer(() => afterResponse(state, response)));
  });
}

/**
 * On the run's first turn, the starting agent's input guardrails: blocking ones
 * before the model call, the others alongside it (a tripwire errors the merge,
 * which aborts the model stream in flight). Tools wait for every guardrail.
 */
function withInputGuardrails<TContext>(
  state: RunState<TContext>,
  model$: Observable<StreamEvent<unknown>>,
): Observable<StreamEvent<unknown>> {
  const guardrails = state.turn === 1 ? state.agent.inputGuardrails : [];
  if (guardrails.length === 0) return model$;
  const blocking = guardrails.filter((g) => g.runInParallel === false);
  const parallel = guardrails.filter((g) => g.runInParallel !== false);
  return concat(
    blocking.length > 0 ? runGuardrails(state, 'input', blocking, state.input) : EMPTY,
    parallel.length > 0 ? merge(model$, runGuardrails(state, 'input', parallel, state.input)) : model$,
  );
}

function dynamicInstructions<TContext>(
  state: RunState<TContext>,
  instructions: Exclude<Instructions<TContext>, string>,
): Observable<string> {
  return defer(() => {
    const text = instructions({ context: state.options.context as TContext, turn: state.turn }, state.agent);
    return typeof text === 'string' ? of(text) : from(text);
  });
}

/**
 * Streams one model response. Injected input waiting at this moment joins the
 * request. In `interrupt` mode, input arriving mid-stream abandons the stream
 * (its partial output is discarded and reported) and the call starts over.
 */
function modelCall<TContext>(
  state: RunState<TContext>,
  instructions: string | undefined,
  response: ModelResponse,
): Observable<StreamEvent<unknown>> {
  return defer(() => {
    const injected = state.injections.drain().map((rawItem) => {
      const item = { type: 'injected_input' as const, agentName: state.agent.name, rawItem };
      state.items.push(item);
      return { type: 'item.created' as const, item };
    });
    const model = resolveModel(state.agent, state.options);
    const request = modelRequest(state, instructions);
    const stream$ = streamModelResponse(model.stream(request).pipe(state.tracing.model(model, request)), state, response);
    if (state.options.injectMode !== 'interrupt') return injected.length > 0 ? concat(from(injected), stream$) : stream$;

    let interrupted = false;
    return concat(
      from(injected),
      stream$.pipe(
        takeUntil(
          state.injections.arrived$.pipe(
            tap(() => {
              interrupted = true;
              state.stopReason = 'interrupted by injected input';
            }),
          ),
        ),
      ),
      defer(() => (interrupted ? restart(state, instructions, response) : EMPTY)),
    );
  });
}

function restart<TContext>(
  state: RunState<TContext>,
  instructions: string | undefined,
  response: ModelResponse,
): Observable<StreamEvent<unknown>> {
  state.stopReason = defaultStopReason;
  for (const item of response.items) state.items.splice(state.items.indexOf(item), 1);
  const interrupted: StreamEvent<unknown> = {
    type: 'turn.interrupted',
    agent: state.agent.name,
    partialText: response.text,
    discardedItems: [...response.items],
  };
  response.reset();
  return concat(of(interrupted), modelCall(state, instructions, response));
}

/** Decides what follows a complete response: tools and another turn, a handoff, another turn for injected input, or the end. */
function afterResponse<TContext>(state: RunState<TContext>, response: ModelResponse): Observable<StreamEvent<unknown>> {
  const calls = response.items.filter((i): i is ToolCallRunItem => i.type === 'tool_call');
  if (calls.length > 0) {
    const handoffs = state.agent.handoffs;
    const handoffCalls: { call: ToolCallRunItem; handoff: Handoff<TContext> }[] = [];
    const functionCalls: ToolCallRunItem[] = [];
    for (const call of calls) {
      const handoff = handoffs.find((h) => h.definition.name === call.rawItem.name);
      if (handoff) handoffCalls.push({ call, handoff });
      else functionCalls.push(call);
    }
    return concat(runTools(state, functionCalls), handoffStep(state, handoffCalls), defer(() => afterTools(state, functionCalls)));
  }
  // Input injected while the model answered must reach the model: take another turn.
  if (state.injections.size > 0) return runTurn(state);

  const messages = response.items.filter((i): i is MessageOutputRunItem => i.type === 'message_output');
  const last = messages[messages.length - 1];
  if (!last) throw new ModelBehaviorError(`Agent "${state.agent.name}": the model returned neither a message nor a tool call.`);
  return completeWith(state, finalOutput(state.agent, last));
}

/** After tools: a handoff hands over (see `runAgent`); a stopping tool ends the run; otherwise the model goes again. */
function afterTools<TContext>(state: RunState<TContext>, calls: readonly ToolCallRunItem[]): Observable<StreamEvent<unknown>> {
  if (state.pendingHandoff) return EMPTY;
  const stop = stoppingOutput(state, calls);
  if (stop && state.injections.size === 0) return completeWith(state, stop.error ? stop.rawItem.output : stop.output);
  return runTurn(state);
}

/** The tool output that ends the run under the agent's `toolUseBehavior`, if any. */
function stoppingOutput<TContext>(state: RunState<TContext>, calls: readonly ToolCallRunItem[]): ToolOutputRunItem | undefined {
  const behavior = state.agent.toolUseBehavior;
  if (behavior === 'run_llm_again' || calls.length === 0) return undefined;
  const stopper = behavior === 'stop_on_first_tool' ? calls[0] : calls.find((c) => behavior.stopAtToolNames.includes(c.rawItem.name));
  if (!stopper) return undefined;
  return state.items.find((i): i is ToolOutputRunItem => i.type === 'tool_output' && i.rawItem.call_id === stopper.rawItem.call_id);
}

/** Ends the run with its final output, once the agent's output guardrails let it through. */
function completeWith<TContext>(state: RunState<TContext>, output: unknown): Observable<StreamEvent<unknown>> {
  const guardrails = state.agent.outputGuardrails;
  return concat(
    guardrails.length > 0 ? runGuardrails(state, 'output', guardrails, output) : EMPTY,
    defer(() => {
      state.end('completed', { finalOutput: output });
      return EMPTY;
    }),
  );
}
