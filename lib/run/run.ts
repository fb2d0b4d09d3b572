import { asyncScheduler, EMPTY, Observable, of, takeUntil, tap } from 'rxjs';
import type { AgentFor } from '../agent/agent.js';
import type { RunOutput } from '../agent/run-output.js';
import { validateAgent } from '../agent/validate-agent.js';
import { AgentsError, UserError } from '../errors/agents-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { RunInput } from '../items/input-item.js';
import { validateRunInput } from '../items/validate-input.js';
import { SessionWriter, sessionError, writesSettled } from '../session/session-writer.js';
import { createRunTracing } from '../tracing/create-run-tracing.js';
import { boundedCall, type BoundedCallFailure } from '../util/bounded-call.js';
import { finishRun } from './finish-run.js';
import { defaultSessionTimeoutMs, type RunOptions, validateRunOptions } from './run-options.js';
import { recordItems } from './record-items.js';
import { runAgent } from './run-agent.js';
import { subscribeControls } from './run-controls.js';
import { RunState } from './run-state.js';
import { type Resumption, resumeFrom } from './resume-from.js';
import { nestedApprovals } from './run-tools.js';
import { recovering, sequence } from '../util/sequence.js';

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
  attempts: RunAttempts = { inputStored: false },
): Observable<StreamEvent<unknown>> {
  return new Observable<StreamEvent<unknown>>((subscriber) => {
    const items = validateRunInput(input);
    const problem = validateAgent(agent) ?? validateRunOptions(options) ?? (items instanceof UserError ? items : undefined);
    const { session } = options;
    const state = new RunState<TContext>(
      agent,
      items instanceof UserError ? [] : items,
      options,
      session !== undefined && attempts.inputStored,
    );
    const scheduler = options.scheduler ?? asyncScheduler;
    const timeoutMs = options.sessionTimeoutMs ?? defaultSessionTimeoutMs;
    if (session && !problem) state.writer = new SessionWriter(session, { timeoutMs, scheduler });
    state.tracing = createRunTracing({ ...options, conversationId: session?.id }, () => state.stopReason);
    if (problem) state.settle({ status: 'failed', error: problem });
    // The nested run's events carry its agent's output type (see NestedRunner).
    state.nestedRun = (callId) => (nestedAgent, nestedInput, nested) => {
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

    // Controls first: a cancel or an injection sent from the handler of the first event counts.
    const controls = problem ? undefined : subscribeControls(state);
    const resumption = (options as { resumeFrom?: Resumption }).resumeFrom;
    // Steps are functions called when their turn comes, not `defer`s or Observables made
    // in advance: a run in flight holds every step still to come.
    const body = (): Observable<StreamEvent<unknown>> => {
      if (state.outcome) return EMPTY;
      const agent$ = () => runAgent(state, resumption && !problem ? resumeFrom(state, resumption) : undefined).pipe(recordItems(state));
      const agents$ = session ? sequence(loadHistory(state, timeoutMs, scheduler), agent$) : agent$();
      return controls || options.suspendOnApproval ? agents$.pipe(takeUntil(state.stop$)) : agents$;
    };
    const failed = (error: unknown) => {
      state.settle({ status: 'failed', error: error instanceof AgentsError ? error : new AgentsError(String((error as Error)?.message ?? error), { cause: error }) });
    };
    const release = () => controls?.unsubscribe();
    let finished = false;
    // Just before the terminal event: the run's end is decided and its history written.
    const ended = () => {
      release();
      finished = true;
      if (session) attempts.inputStored = state.outcome?.status === 'failed' && (state.inputStored || (state.writer?.storedCount ?? 0) > 0);
    };
    sequence(
      () => of<StreamEvent<unknown>>({ type: 'run.updated', status: 'running' }),
      // A failure of the body fails the run, which then finishes as any other.
      recovering(body, failed),
      // Every end passes through here (the body's errors are recovered).
      () => finishRun(state, ended),
    )
      .pipe(state.tracing.run(typeof agent?.name === 'string' ? agent.name : 'invalid agent'))
      .subscribe(subscriber);
    // The run's teardown, after that of everything it subscribed (as `finalize` would, without a layer every event passes).
    return () => {
      release();
      // Unsubscribed mid-run: nothing more is delivered, but the history is still written.
      if (!finished && state.writer) {
        state.pairOpenCalls();
        state.writer.writeInBackground(state.history(true), options.onError ?? reportUnseen);
      }
    };
  });
}

/** Reads the session's history, after this process's writes to it settled. */
function loadHistory<TContext>(state: RunState<TContext>, timeoutMs: number, scheduler: RunOptions['scheduler'] & object): Observable<never> {
  const session = state.options.session!;
  // One Observable over the reads, rather than defer, from, tap and ignoreElements: every session run reads.
  return new Observable<never>((subscriber) => {
    writesSettled(session)
      .then(() => boundedCall(() => session.getItems(), timeoutMs, scheduler))
      .then(
        (items) => {
          state.past = items;
          subscriber.complete();
        },
        (failure: BoundedCallFailure) => subscriber.error(sessionError('getItems', session, failure, timeoutMs)),
      );
  });
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
