import { asyncScheduler, EMPTY, Observable, type Subscriber, type Subscription, type TeardownLogic, tap } from 'rxjs';
import type { AgentFor } from '../agent/agent.js';
import type { RunOutput } from '../agent/run-output.js';
import { validateAgent } from '../agent/validate-agent.js';
import { AgentsError, UserError } from '../errors/agents-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { RunInput } from '../items/input-item.js';
import { validateRunInput } from '../items/validate-input.js';
import { type HistoryView, historyViewOf, wholeView } from '../session/history-view.js';
import type { Session } from '../session/session.js';
import { SessionWriter, sessionError, writesSettled } from '../session/session-writer.js';
import { createRunTracing } from '../tracing/create-run-tracing.js';
import { boundedCall, type BoundedCallFailure } from '../util/bounded-call.js';
import { finishRun, type RunEnding } from './finish-run.js';
import { defaultSessionTimeoutMs, type RunOptions, validateRunOptions } from './run-options.js';
import { recordItems } from './record-items.js';
import { runAgent } from './run-agent.js';
import { subscribeControls } from './run-controls.js';
import type { RunRequests } from './run-requests.js';
import { stoppable } from './stoppable.js';
import { type NestedRuns, RunState } from './run-state.js';
import { type Resumption, resumeFrom } from './resume-from.js';
import { nestedApprovals } from './run-tools.js';
import { sequence, type StepSource } from '../util/sequence.js';
import { reserveFinalizers } from '../util/reserve-finalizers.js';
import type { NestedRunner } from '../tools/tool.js';

/**
 * What the subscriptions of one run Observable share: whether an earlier one
 * stored the input and then failed, so a retry (`retry()`) continues from the
 * session instead of adding the input again.
 */
export interface RunAttempts {
  inputStored: boolean;
}

/**
 * The run loop behind `run` (see `lib/run.ts`, which adds one run at a time per conversation).
 * Cold: nothing happens until subscribe; unsubscribing stops everything it started.
 */
export function run<TContext>(
  agent: AgentFor<TContext>,
  input: RunInput,
  options: RunOptions<TContext> = {},
  /** Shared by the subscriptions of a session run's Observable (see `lib/run.ts`). */
  attempts?: RunAttempts,
  /** The requests of the conversation the run holds (see `lib/run.ts`). */
  requests?: RunRequests,
): Observable<StreamEvent<unknown>> {
  return new Observable<StreamEvent<unknown>>((subscriber) => subscribeRun(subscriber, agent, input, options, attempts, requests));
}

/**
 * One subscription of a run: its state, its controls, then its steps. A function of
 * its own, outside `run`'s closure: what the run holds while in flight then holds
 * nothing of that closure.
 */
function subscribeRun<TContext>(
  subscriber: Subscriber<StreamEvent<unknown>>,
  agent: AgentFor<TContext>,
  input: RunInput,
  options: RunOptions<TContext>,
  attempts: RunAttempts | undefined,
  requests: RunRequests | undefined,
): TeardownLogic {
  const items = validateRunInput(input);
  const problem = validateAgent(agent) ?? validateRunOptions(options) ?? (items instanceof UserError ? items : undefined);
  const { session } = options;
  const state = new RunState<TContext>(
    agent,
    items instanceof UserError ? [] : items,
    options,
    session !== undefined && attempts?.inputStored === true,
  );
  if (session && !problem) state.writer = new SessionWriter(session, { timeoutMs: options.sessionTimeoutMs ?? defaultSessionTimeoutMs, scheduler: options.scheduler ?? asyncScheduler });
  state.tracing = createRunTracing({ ...options, conversationId: session?.id }, () => state.stopReason);
  if (problem) state.settle({ status: 'failed', error: problem });
  // Controls first: a cancel or an injection sent from the handler of the first event counts.
  const controls = problem ? undefined : subscribeControls(state, requests);
  const resumption = problem ? undefined : (options as { resumeFrom?: Resumption }).resumeFrom;
  const course = new RunCourse(state, attempts, controls, resumption);
  state.nested = course;
  // Two finalizers: the step running now, and the course's teardown.
  reserveFinalizers(subscriber, 2);
  sequence(
    running$,
    // A failure of the body fails the run, which then finishes as any other.
    course,
    // Every end passes through here (the body's errors are recovered).
    () => finishRun(state, course),
  )
    .pipe(state.tracing.run(typeof agent?.name === 'string' ? agent.name : 'invalid agent'))
    .subscribe(subscriber);
  // Its `unsubscribe` is the run's teardown, after that of everything it subscribed.
  return course;
}

/** The first event of every run, made for each subscription. */
const running$ = new Observable<StreamEvent<unknown>>((subscriber) => {
  subscriber.next({ type: 'run.updated', status: 'running' });
  subscriber.complete();
});

/**
 * What one run holds while it is in flight besides its state: the step of its
 * body (and what fails the run when the body errors), its end, and its teardown.
 * One object with methods rather than a closure for each: every run in flight holds it.
 */
class RunCourse<TContext> implements StepSource<StreamEvent<unknown>>, RunEnding, NestedRuns<TContext> {
  /** Set just before the terminal event: the run's end is decided and its history written. */
  private finished = false;

  constructor(
    private readonly state: RunState<TContext>,
    private readonly attempts: RunAttempts | undefined,
    private readonly controls: Subscription | undefined,
    private readonly resumption: Resumption | undefined,
  ) {}

  /** The body: the session's history, then the agents' turns (a step of the run's `sequence`, made when its turn comes). */
  step(): Observable<StreamEvent<unknown>> {
    const { state } = this;
    if (state.outcome) return EMPTY;
    const { session, suspendOnApproval } = state.options;
    const agents$ = session ? sequence(loadHistory(state), () => this.agents()) : this.agents();
    return this.controls || suspendOnApproval ? stoppable(state, agents$) : agents$;
  }

  private agents(): Observable<StreamEvent<unknown>> {
    const { state, resumption } = this;
    return runAgent(state, resumption ? resumeFrom(state, resumption) : undefined).pipe(recordItems(state));
  }

  /** The body failed: so does the run. */
  onError(error: unknown): void {
    this.state.settle({ status: 'failed', error: error instanceof AgentsError ? error : new AgentsError(String((error as Error)?.message ?? error), { cause: error }) });
  }

  ended(): void {
    const { state, attempts } = this;
    this.controls?.unsubscribe();
    this.finished = true;
    if (state.options.session && attempts) attempts.inputStored = state.outcome?.status === 'failed' && (state.inputStored || (state.writer?.storedCount ?? 0) > 0);
  }

  /** The run's teardown (as `finalize` would be, without a layer every event passes). */
  unsubscribe(): void {
    const { state } = this;
    this.controls?.unsubscribe();
    // Unsubscribed mid-run: nothing more is delivered, but the history is still written.
    if (!this.finished && state.writer) {
      state.pairOpenCalls();
      state.writer.writeInBackground(state.history(true), state.options.onError ?? reportUnseen);
    }
  }

  /** A run nested in the tool call `callId` (an agent used as a tool): its events carry its agent's output type (see NestedRunner). */
  runnerFor(callId: string): NestedRunner<TContext> {
    const { state } = this;
    const { options } = state;
    return (nestedAgent, nestedInput, nested) => {
      const nested$ = run<TContext>(nestedAgent, nestedInput, {
        ...inherited(options),
        context: options.context,
        maxTurns: nested?.maxTurns,
        traceContext: state.tracing.toolContext(callId),
        approvalDesk: state.approvals,
      } as RunOptions<TContext>).pipe(
        tap((event) => {
          // Its usage adds to this run's; its approval requests surface here (see runTools).
          if (event.type === 'run.updated' && event.result) state.addUsage(event.result.usage);
          if (event.type === 'tool.approval_requested') nestedApprovals.add(event);
        }),
      );
      return nested$ as Observable<StreamEvent<RunOutput<typeof nestedAgent>>>;
    };
  }
}

/** Reads the session's history, after this process's writes to it settled. */
function loadHistory<TContext>(state: RunState<TContext>): Observable<never> {
  const session = state.options.session!;
  const timeoutMs = state.options.sessionTimeoutMs ?? defaultSessionTimeoutMs;
  const scheduler = state.options.scheduler ?? asyncScheduler;
  // One Observable over the reads, rather than defer, from, tap and ignoreElements: every session run reads.
  return new Observable<never>((subscriber) => {
    writesSettled(session)
      .then(() => boundedCall(() => readHistory(session), timeoutMs, scheduler))
      .then(
        (past) => {
          state.past = past;
          subscriber.complete();
        },
        (failure: BoundedCallFailure) => subscriber.error(sessionError('getItems', session, failure, timeoutMs)),
      );
  });
}

/** The session's history: its view when it hands one out (no copy), else what `getItems` gives. */
function readHistory(session: Session): Promise<HistoryView> {
  const view = historyViewOf(session);
  return view ? Promise.resolve(view) : Promise.resolve(session.getItems()).then(wholeView);
}

/** What a nested run (an agent used as a tool) inherits from this one: not the model override, which is this run's. */
function inherited<TContext>(options: RunOptions<TContext>): RunOptions<TContext> {
  const { modelProvider, tracer, tracing, traceSensitiveData, scheduler, sessionTimeoutMs, maxToolOutputChars, modelRetry, onError } = options;
  return { modelProvider, tracer, tracing, traceSensitiveData, scheduler, sessionTimeoutMs, maxToolOutputChars, modelRetry, onError };
}

/** Where failures nobody can see any more go by default: the console, never nowhere. */
function reportUnseen(error: AgentsError): void {
  console.error(error);
}
