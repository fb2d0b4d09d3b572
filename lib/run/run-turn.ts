import { catchError, concat, defer, EMPTY, from, map, merge, Observable, of, switchMap, takeUntil, tap, throwError } from 'rxjs';
import { safeParse } from 'zod/v4/core';
import type { Instructions } from '../agent/agent.js';
import type { Handoff } from '../agent/handoff.js';
import { validateAgent } from '../agent/validate-agent.js';
import { asAgentsError, MaxTurnsExceededError, ModelBehaviorError, UserCodeError, UserError } from '../errors/agents-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { MessageOutputRunItem, ToolCallRunItem, ToolOutputRunItem } from '../items/run-item.js';
import { handoffStep } from './handoff-step.js';
import { runGuardrails } from './run-guardrails.js';
import { finalOutput } from './final-output.js';
import { modelRequest } from './model-request.js';
import { ModelCall, ModelResponse, streamModelResponse } from './model-response.js';
import { resolveModel } from './resolve-model.js';
import { runTools } from './run-tools.js';
import type { RunState } from './run-state.js';
import { alongside } from '../util/alongside.js';
import { loop, sequence, type Step, type StepSource, type StepsSource } from '../util/sequence.js';
import { toolOutputText } from '../tools/tool-output-text.js';

/**
 * The turns of an agent's stretch, one after another: `first$` (a resumed run's
 * suspended calls) or a model call, then what follows the response (tools, a
 * handoff, the end), then another model call for as long as a turn says one
 * follows (`state.turnFollows`). Each step is subscribed when the one before
 * completes, beside it rather than inside it: the events of a run's fiftieth
 * turn pass through one step's subscriber, not fifty turns' worth.
 */
export function runTurns<TContext>(state: RunState<TContext>, first$?: Observable<StreamEvent<unknown>>): Observable<StreamEvent<unknown>> {
  const turns = new Turns(state);
  return loop(first$ ?? turns, turns);
}

/**
 * The turn loop's steps: one object rather than closures, as every run in flight
 * holds it. The first step is a model call (`step()`, or a resumed run's own);
 * `nextStep()` gives the ones after it, until none follows.
 */
export class Turns<TContext> implements StepSource<StreamEvent<unknown>>, StepsSource<StreamEvent<unknown>> {
  /** The response of the model call just made, until the step after it takes it. */
  private answered: ModelResponse | undefined;

  constructor(private readonly state: RunState<TContext>) {}

  /** A model call. */
  step(): Observable<StreamEvent<unknown>> {
    const { state } = this;
    if (state.afterTurn !== undefined) {
      state.settle({ status: 'cancelled', reason: state.afterTurn });
      return EMPTY;
    }
    // Only an interrupted stream reports its text so far.
    const response = (this.answered = new ModelResponse(state.options.injectMode === 'interrupt'));
    const { instructions } = state.agent;
    // Most calls: fixed instructions and no guardrail to run, so nothing to wait for first.
    if (typeof instructions !== 'function' && !hasInputGuardrails(state)) return callModel(state, instructions, response);
    return withInputGuardrails(
      state,
      typeof instructions === 'function'
        ? dynamicInstructions(state, instructions).pipe(switchMap((text) => modelCall(state, text, response)))
        : modelCall(state, instructions, response),
    );
  }

  /** After a model call, what follows its response; then another model call, if a turn follows. */
  nextStep(): Step<StreamEvent<unknown>> | undefined {
    const { state } = this;
    const response = this.answered;
    if (response) {
      this.answered = undefined;
      return afterResponse(state, response);
    }
    if (!state.turnFollows) return undefined;
    state.turnFollows = false;
    return this;
  }
}

/** Whether this turn runs the starting agent's input guardrails (before the run's first model call). */
function hasInputGuardrails<TContext>(state: RunState<TContext>): boolean {
  return state.turn === 0 && state.agent.inputGuardrails.length > 0;
}

/**
 * Before the run's first model call, the starting agent's input guardrails:
 * blocking ones before the model call, the others alongside it (a tripwire errors
 * the merge, which aborts the model stream in flight). Tools wait for every guardrail.
 */
function withInputGuardrails<TContext>(
  state: RunState<TContext>,
  model$: Observable<StreamEvent<unknown>>,
): Observable<StreamEvent<unknown>> {
  if (!hasInputGuardrails(state)) return model$;
  const guardrails = state.agent.inputGuardrails;
  const input = state.input;
  const blocking = guardrails.filter((g) => g.runInParallel === false);
  const parallel = guardrails.filter((g) => g.runInParallel !== false);
  return concat(
    blocking.length > 0 ? runGuardrails(state, 'input', blocking, input) : EMPTY,
    parallel.length > 0 ? merge(model$, runGuardrails(state, 'input', parallel, input)) : model$,
  );
}

function dynamicInstructions<TContext>(
  state: RunState<TContext>,
  instructions: Exclude<Instructions<TContext>, string>,
): Observable<string> {
  const component = `The instructions function of agent "${state.agent.name}"`;
  return defer(() => {
    const text = instructions({ context: state.options.context as TContext, turn: state.turn + 1 }, state.agent);
    return typeof text === 'string' ? of(text) : from(text);
  }).pipe(
    map((text) => {
      if (typeof text !== 'string') throw new UserCodeError(component, undefined, `returned ${typeof text}, not a string.`);
      return text;
    }),
    catchError((error: unknown) => throwError(() => asAgentsError(error, component))),
  );
}

/**
 * Streams one model response; every call counts against `maxTurns`. Injected
 * input waiting at this moment joins the request, and the input and injected
 * input are written to the session as the model receives them. In `interrupt`
 * mode, input arriving mid-stream abandons the stream (its partial output is
 * discarded and reported) and the call starts over, as a new call.
 */
function modelCall<TContext>(
  state: RunState<TContext>,
  instructions: string | undefined,
  response: ModelResponse,
): Observable<StreamEvent<unknown>> {
  return defer(() => callModel(state, instructions, response));
}

/** {@link modelCall}, now. */
function callModel<TContext>(state: RunState<TContext>, instructions: string | undefined, response: ModelResponse): Observable<StreamEvent<unknown>> {
  if (state.turn >= state.maxTurns) throw new MaxTurnsExceededError(state.maxTurns);
  const problem = validateAgent(state.agent, state.tools);
  if (problem) throw problem;
  state.turn++;
  if (state.injections.size === 0) return modelStream(state, instructions, response);
  return sequence(injectedInput(state), () => modelStream(state, instructions, response));
}

/**
 * Input injected meanwhile joins this call, each item leaving the queue as its
 * event goes out: one a stop (from a handler) kept from going out stays queued,
 * and is reported unconsumed.
 */
function injectedInput<TContext>(state: RunState<TContext>): Observable<StreamEvent<unknown>> {
  return new Observable((subscriber) => {
    // What waits now: input injected from these events' handlers waits for the next call.
    for (let n = state.injections.size, rawItem; n > 0 && !subscriber.closed && (rawItem = state.injections.take()); n--) {
      subscriber.next({ type: 'item.created', item: { type: 'injected_input', agentName: state.agent.name, rawItem } });
    }
    subscriber.complete();
  });
}

/** The model call itself, once the injected input is in the history. */
function modelStream<TContext>(
  state: RunState<TContext>,
  instructions: string | undefined,
  response: ModelResponse,
): Observable<StreamEvent<unknown>> {
  const model = resolveModel(state.agent, state.options);
  const request = modelRequest(state, instructions);
  const streamed$ = streamModelResponse(new ModelCall(model, request, state.tracing.model(model, request)), state, response);
  // The input reaches the model now: store it meanwhile (no extra layer without a session).
  const stream$ = state.writer ? alongside(streamed$, state.save()) : streamed$;
  if (state.options.injectMode !== 'interrupt') return stream$;

  let interrupted = false;
  return concat(
    stream$.pipe(
      takeUntil(
        state.injections.arrived$.pipe(
          tap(() => {
            interrupted = true;
            state.interruption = 'interrupted by injected input';
          }),
        ),
      ),
    ),
    defer(() => (interrupted ? restart(state, instructions, response) : EMPTY)),
  );
}

function restart<TContext>(
  state: RunState<TContext>,
  instructions: string | undefined,
  response: ModelResponse,
): Observable<StreamEvent<unknown>> {
  state.interruption = undefined;
  // Its event takes the abandoned stream's items back out of the history (see `recordItems`).
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
    return sequence(
      () => runTools(state, functionCalls),
      () => handoffStep(state, handoffCalls),
      // The batch of calls is answered: store it with its outputs.
      () => state.save(),
      () => afterTools(state, functionCalls),
    );
  }
  // Input injected while the model answered must reach the model: take another turn.
  if (state.injections.size > 0) return anotherTurn(state);

  const messages = response.items.filter((i): i is MessageOutputRunItem => i.type === 'message_output');
  const last = messages[messages.length - 1];
  if (!last) throw new ModelBehaviorError(`Agent "${state.agent.name}": the model returned neither a message nor a tool call.`);
  return completeWith(state, finalOutput(state.agent, last));
}

/** A resumed run's first step: the suspended batch's waiting calls (decided, or asking again), then on as after any tools. */
export function resumeTurn<TContext>(state: RunState<TContext>, waiting: readonly ToolCallRunItem[], batch: readonly ToolCallRunItem[]): Observable<StreamEvent<unknown>> {
  return sequence(
    // Made when their turn comes: the agent's tools are listed when its stretch starts.
    () => runTools(state, waiting, batch),
    () => state.save(),
    () => afterTools(state, batch),
  );
}

/** After tools: a handoff hands over (see `runAgent`); a stopping tool ends the run; otherwise the model goes again. */
function afterTools<TContext>(state: RunState<TContext>, calls: readonly ToolCallRunItem[]): Observable<StreamEvent<unknown>> {
  if (state.pendingHandoff) return EMPTY;
  const stop = stoppingOutput(state, calls);
  if (stop && state.injections.size === 0) return completeWith(state, stoppingValue(state, stop));
  return anotherTurn(state);
}

/** Ends this turn with another to follow (see {@link runTurns}). */
function anotherTurn<TContext>(state: RunState<TContext>): Observable<never> {
  state.turnFollows = true;
  return EMPTY;
}

/**
 * The tool output that ends the run under the agent's `toolUseBehavior`, if any.
 * A stopping call that failed (error, rejection, cut off) ends nothing: the model
 * reads the error, as after any failed call.
 */
function stoppingOutput<TContext>(state: RunState<TContext>, calls: readonly ToolCallRunItem[]): ToolOutputRunItem | undefined {
  const behavior = state.agent.toolUseBehavior;
  if (behavior === 'run_llm_again' || calls.length === 0) return undefined;
  const stopper = behavior === 'stop_on_first_tool' ? calls[0] : calls.find((c) => behavior.stopAtToolNames.includes(c.rawItem.name));
  if (!stopper) return undefined;
  const output = state.items.find((i): i is ToolOutputRunItem => i.type === 'tool_output' && i.rawItem.call_id === stopper.rawItem.call_id);
  return output?.error ? undefined : output;
}

/**
 * A stopping tool's output as the final output, so that `finalOutput` keeps the
 * agent's output type: validated against `outputType` when the agent declares
 * one, otherwise as text (what the model would have read, uncut).
 */
function stoppingValue<TContext>(state: RunState<TContext>, stop: ToolOutputRunItem): unknown {
  const type = state.agent.outputType;
  if (!type) return toolOutputText(stop.output).text;
  const parsed = safeParse(type, stop.output);
  if (parsed.success) return parsed.data;
  throw new UserError(
    `Agent "${state.agent.name}": the output of tool "${stop.toolName}", which ends the run, does not match the agent's outputType: ${parsed.error.message}`,
    { cause: parsed.error },
  );
}

/**
 * Ends the run with its final output, once the agent's output guardrails let it
 * through. A blocked answer leaves the history (its tripwire's event retracts it,
 * see `recordItems`): it is never stored nor resent.
 */
function completeWith<TContext>(state: RunState<TContext>, output: unknown): Observable<StreamEvent<unknown>> {
  const guardrails = state.agent.outputGuardrails;
  const settle = () => {
    state.settle({ status: 'completed', finalOutput: output });
    return EMPTY;
  };
  return guardrails.length === 0 ? defer(settle) : sequence(runGuardrails(state, 'output', guardrails, output), settle);
}
