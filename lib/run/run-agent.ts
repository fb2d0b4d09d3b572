import { EMPTY, type Observable, of } from 'rxjs';
import { sequence } from '../util/sequence.js';
import { asAgentsError } from '../errors/agents-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { Model } from '../model/model.js';
import { withAgentTools } from './agent-tools.js';
import { resolveModel } from './resolve-model.js';
import type { RunState } from './run-state.js';
import { runTurns } from './run-turn.js';

/** The stretch of a run one agent is in charge of: announced, traced as `invoke_agent`, turn after turn, then the next agent's after a handoff. */
export function runAgent<TContext>(state: RunState<TContext>, first$?: Observable<StreamEvent<unknown>>): Observable<StreamEvent<unknown>> {
  // Called when its turn comes (a step of the run, or of the agent before it after a handoff): the agent in charge now.
  const agent = state.agent;
  return sequence(
    // Steps made when their turn comes (see `sequence`).
    () => of<StreamEvent<unknown>>({ type: 'agent.updated', agent: agent.name }),
    // A resumed run starts with the suspended calls instead of a model call.
    () => withAgentTools(state, runTurns(state, first$)).pipe(state.tracing.agent(agent as never, () => modelOrNothing(state))),
    // A handoff ended this agent's stretch (and its span): the next agent takes over.
    () => (handOver(state) ? runAgent(state) : EMPTY),
  );
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
