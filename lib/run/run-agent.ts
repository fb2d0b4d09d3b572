import { type Observable, of } from 'rxjs';
import type { AgentFor } from '../agent/agent.js';
import { loop, type Step, type StepSource, type StepsSource } from '../util/sequence.js';
import { asAgentsError } from '../errors/agents-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { Model } from '../model/model.js';
import { takeFixedTools, withAgentTools } from './agent-tools.js';
import { noTracing } from '../tracing/run-tracing.js';
import { resolveModel } from './resolve-model.js';
import type { RunState } from './run-state.js';
import { runTurns, Turns } from './run-turn.js';

/** The stretch of a run one agent is in charge of: announced, traced as `invoke_agent`, turn after turn, then the next agent's after a handoff. */
export function runAgent<TContext>(state: RunState<TContext>, first$?: Observable<StreamEvent<unknown>>): Observable<StreamEvent<unknown>> {
  // Called when its turn comes (a step of the run, or of the agent before it after a handoff): the agent in charge now.
  const stretch = new AgentStretch(state, state.agent, first$);
  return loop(stretch, stretch);
}

/**
 * The steps of an agent's stretch, made when their turn comes: the announcement,
 * then the turns, then (after a handoff) the next agent's stretch. One object
 * rather than a closure for each: every run in flight holds it.
 */
class AgentStretch<TContext> implements StepSource<StreamEvent<unknown>>, StepsSource<StreamEvent<unknown>> {
  /** 0: announcing; 1: the turns; 2: done. */
  private phase = 0;
  /** The turns, when they are steps of this loop (nothing wraps them: see `step`). */
  private turns: Turns<TContext> | undefined;

  constructor(
    private readonly state: RunState<TContext>,
    private readonly agent: AgentFor<TContext>,
    /** A resumed run starts with the suspended calls instead of a model call. */
    private readonly first$: Observable<StreamEvent<unknown>> | undefined,
  ) {}

  step(): Observable<StreamEvent<unknown>> {
    const { state, agent } = this;
    if (this.phase === 0) return of<StreamEvent<unknown>>({ type: 'agent.updated', agent: agent.name });
    // Without a span or live tool lists around them, the turns are this loop's own steps (one loop in flight, not two).
    if (state.tracing === noTracing && takeFixedTools(state)) {
      const turns = (this.turns = new Turns(state));
      return this.first$ ?? turns.step();
    }
    return withAgentTools(state, runTurns(state, this.first$)).pipe(state.tracing.agent(agent as never, () => modelOrNothing(state)));
  }

  nextStep(): Step<StreamEvent<unknown>> | undefined {
    if (this.phase === 0) {
      this.phase = 1;
      return this;
    }
    if (this.phase === 2) return undefined;
    const turn = this.turns?.nextStep();
    if (turn !== undefined) return turn;
    this.phase = 2;
    // A handoff ended this agent's stretch (and its span): the next agent takes over.
    return handOver(this.state) ? runAgent(this.state) : undefined;
  }
}

/** Takes the pending handoff; its input filter is user code, so a throw is named. */
function handOver<TContext>(state: RunState<TContext>): boolean {
  const target = state.pendingHandoff?.agent.name;
  try {
    return state.takeHandoff();
  } catch (error) {
    throw asAgentsError(error, `The inputFilter of the handoff to "${target}"`);
  }
}

/** The agent's model for span attributes; a missing model fails the run later, at the model call. */
function modelOrNothing<TContext>(state: RunState<TContext>): Model | undefined {
  try {
    return resolveModel(state.agent, state.options);
  } catch {
    return undefined;
  }
}
