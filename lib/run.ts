import type { Agent, AgentFor, AnyAgent, HandoffTarget } from './agent/agent.js';
import type { RunOutput } from './agent/run-output.js';
import type { Resumption } from './run/resume-from.js';
import { checkSuspendedRun, findAgent, type SuspendedRun } from './run/suspended-run.js';
import type { ToolApprovalDecision } from './tools/approval-desk.js';
import type { StreamEvent } from './events/stream-event.js';
import type { RunInput } from './items/input-item.js';
import { run as runLoop, type RunAttempts } from './run/run.js';
import { UserError } from './errors/agents-error.js';
import { validateRunInput } from './items/validate-input.js';
import type { RunOptions } from './run/run-options.js';
import { defer, type Observable } from 'rxjs';
import { withConversation } from './conversation/with-conversation.js';

// The composition root: the run loop, plus one run at a time per conversation.

/**
 * The options argument of {@link run}: optional, unless the agent declares a
 * context type, which its tools and instructions rely on; `context` is then required.
 */
export type RunArguments<TContext> = [unknown] extends [TContext]
  ? [options?: RunOptions<TContext>]
  : [undefined] extends [TContext]
    ? [options?: RunOptions<TContext>]
    : [options: RunOptions<TContext> & { readonly context: TContext }];

/**
 * Runs an agent. The run is a cold Observable: nothing happens until you
 * subscribe, each subscription is an independent run, and unsubscribing stops
 * everything it started (model stream, tools, timers) at once.
 *
 * Events start with `run.updated` `running` and end with exactly one terminal
 * `run.updated` (`completed`, `cancelled`, `suspended`, or `failed`, after which
 * the Observable errors), unless you unsubscribe first.
 *
 * An agent whose `model` is a string gets its model from `modelProvider`, or from the
 * provider set by `setDefaultModelProvider` (e.g. `openAIModelProvider()` from `rxjs-agents/openai`).
 *
 * The events' final output is typed {@link RunOutput}: the output type of the
 * agent, or of any agent it can hand off to.
 *
 * @example
 * run(agent, 'Weather in Paris?', { cancel$: stop$, inject$: say$ })
 *   .pipe(textDeltas())
 *   .subscribe((text) => console.log(text));
 */
export function run<TContext, TOutput, THandoffs extends HandoffTarget<TContext> = never>(
  agent: Agent<TContext, TOutput, THandoffs>,
  input: RunInput,
  ...[options = {} as RunOptions<TContext>]: RunArguments<TContext>
): Observable<StreamEvent<RunOutput<Agent<TContext, TOutput, THandoffs>>>> {
  return start(agent, input, options) as Observable<StreamEvent<RunOutput<Agent<TContext, TOutput, THandoffs>>>>;
}

/** Options of {@link resume}: those of `run`, and the decisions on the calls the run waited for. */
export interface ResumeOptions<TContext = unknown> extends RunOptions<TContext> {
  /** Decisions on the waiting calls; a call without one asks again (`tool.approval_requested`). */
  readonly decisions?: readonly ToolApprovalDecision[];
}

/**
 * Continues a suspended run (see the `suspendOnApproval` option) from its state,
 * in any process, any time later: the waiting calls run (approved), are answered
 * as rejected, or ask again; then the run goes on as any run, with the same
 * guarantees (cancel, inject, status, spans). Give the agent that was in charge,
 * or a list of agents among which it is (handoff targets are searched too).
 * A state of another version, or naming an agent that is not there, fails with `RunStateError`.
 *
 * @example
 * const suspended = (await lastValueFrom(run(agent, 'Delete the logs', { suspendOnApproval: true, session }))).result?.suspended;
 * await save(JSON.stringify(suspended));            // days later, in another process:
 * resume(agent, JSON.parse(await load()), { session, decisions: [{ callId, approved: true }] }).subscribe(print);
 */
export function resume<TContext>(
  agents: AgentFor<TContext> | readonly AgentFor<TContext>[],
  state: SuspendedRun,
  options: ResumeOptions<TContext> = {},
): Observable<StreamEvent<unknown>> {
  return defer(() => {
    const suspended = checkSuspendedRun(state);
    const agent = findAgent((Array.isArray(agents) ? agents : [agents]) as AnyAgent[], suspended.agent) as AgentFor<TContext>;
    const { decisions = [], ...rest } = options;
    const resumption: Resumption = { suspended, decisions };
    return start(agent, [], { ...rest, resumeFrom: resumption } as RunOptions<TContext>);
  });
}

function start<TContext>(agent: AgentFor<TContext>, input: RunInput, options: RunOptions<TContext>): Observable<StreamEvent<unknown>> {
  const session = options.session;
  // Invalid input fails at the run's door, without touching the conversation.
  const items = validateRunInput(input);
  if (!session || items instanceof UserError) return runLoop(agent, input, options);
  // Shared by every subscription of this Observable: a retry after a failure does not store the input again.
  const attempts: RunAttempts = { inputStored: false };
  // One run at a time per conversation: the run starts once it holds it (or steers into the one that does).
  return withConversation(session, options.onBusy ?? 'queue', items, (requests) => runLoop(agent, input, options, attempts, requests));
}
