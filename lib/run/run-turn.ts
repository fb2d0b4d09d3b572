import { concat, defer, EMPTY, from, type Observable, of, switchMap, takeUntil, tap } from 'rxjs';
import { MaxTurnsExceededError, ModelBehaviorError } from '../errors/agents-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { MessageOutputRunItem, ToolCallRunItem } from '../items/run-item.js';
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
    return concat(
      instructionsFor(state).pipe(switchMap((instructions) => modelCall(state, instructions, response))),
      defer(() => afterResponse(state, response)),
    );
  });
}

function instructionsFor<TContext>(state: RunState<TContext>): Observable<string | undefined> {
  const { instructions } = state.agent;
  if (typeof instructions !== 'function') return of(instructions);
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
    if (state.options.injectMode !== 'interrupt') return concat(from(injected), stream$);

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

/** Decides what follows a complete response: tools and another turn, another turn for injected input, or the end. */
function afterResponse<TContext>(state: RunState<TContext>, response: ModelResponse): Observable<StreamEvent<unknown>> {
  const calls = response.items.filter((i): i is ToolCallRunItem => i.type === 'tool_call');
  if (calls.length > 0) return concat(runTools(state, calls), runTurn(state));
  // Input injected while the model answered must reach the model: take another turn.
  if (state.injections.size > 0) return runTurn(state);

  const messages = response.items.filter((i): i is MessageOutputRunItem => i.type === 'message_output');
  const last = messages[messages.length - 1];
  if (!last) throw new ModelBehaviorError(`Agent "${state.agent.name}": the model returned neither a message nor a tool call.`);
  state.end('completed', { finalOutput: finalOutput(state.agent, last) });
  return EMPTY;
}
