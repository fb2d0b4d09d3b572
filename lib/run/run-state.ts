import { EMPTY, Observable, Subject } from 'rxjs';
import type { AgentFor } from '../agent/agent.js';
import type { GuardrailResult } from '../agent/guardrail.js';
import type { Handoff } from '../agent/handoff.js';
import { ToolCallError } from '../errors/tool-call-error.js';
import type { RunResult } from '../events/run-result.js';
import type { TerminalRunStatus } from '../events/run-status.js';
import type { FunctionCallOutputItem, InputItem } from '../items/input-item.js';
import type { RunItem, ToolCallRunItem, ToolOutputRunItem } from '../items/run-item.js';
import { addUsage, emptyUsage, type Usage } from '../model/usage.js';
import { cancelledOutput } from '../session/pair-tool-calls.js';
import type { SessionWriter } from '../session/session-writer.js';
import { ApprovalDesk } from '../tools/approval-desk.js';
import type { Tool } from '../tools/tool.js';
import type { NestedRunner } from '../tools/tool.js';
import { noTracing, type RunTracing } from '../tracing/run-tracing.js';
import { type HistoryView, wholeView } from '../session/history-view.js';
import { InjectQueue } from './inject-queue.js';
import { JoinedHistory } from './joined-history.js';
import { type SuspendedRun, suspendedRunVersion } from './suspended-run.js';
import type { RunOptions } from './run-options.js';

const none: readonly never[] = [];
const noHistory: HistoryView = wholeView(none);

/** Why tools and spans stop when nothing more specific is known: the subscriber left. */
export const defaultStopReason = 'the run was unsubscribed';

/** How a run ended: set once, by whoever decides first. */
export interface Outcome {
  readonly status: TerminalRunStatus;
  readonly reason?: string;
  readonly error?: Error;
  readonly finalOutput?: unknown;
}

/** What starts runs nested in a tool call (an agent used as a tool). */
export interface NestedRuns<TContext> {
  /** The runner a tool call `callId` uses. */
  runnerFor(callId: string): NestedRunner<TContext>;
}

/**
 * What one run (one subscription) shares between the operators of its loop:
 * the agent in charge, the items produced, the outcome once decided. State that
 * only one operator needs lives in that operator's closure instead (the turn's
 * response in `runTurn`, held tool outputs in `runTools`, control subscriptions in
 * `subscribeControls`). Created inside `defer`, so each subscription gets its own.
 *
 * Who writes what: `runAgent` sets `agent`; `modelCall` counts `turn` (every model
 * call counts); `recordItems` records `items` from the loop's events (besides it,
 * only `pairOpenCalls` and `suspend` below change them, and `resumeFrom` restores
 * them); the controls call `cancel`, `fail` and `injections.push`; whoever
 * decides the end calls `settle`.
 */
export class RunState<TContext> {
  agent: AgentFor<TContext>;
  /** The tools of the agent in charge, as its tool sources last listed them (see `withAgentTools`). */
  tools: readonly Tool<TContext>[] = none;
  /** History read from the session at start. */
  past: HistoryView = noHistory;
  /** Every item the run produced, in order: recorded by `recordItems`. */
  readonly items: RunItem[] = [];
  readonly injections = new InjectQueue();
  usage: Usage = emptyUsage;
  /** Model calls made so far (restarts after an interruption included). */
  turn = 0;
  /** Set when the run suspended: what `resume` continues from. */
  suspended: SuspendedRun | undefined;
  /** Set once: how the run ended. */
  outcome: Outcome | undefined;
  /** Set by an `after_turn` cancel: the reason to stop with once the turn is over. */
  afterTurn: string | undefined;
  /** Why a model stream in flight is being abandoned (an interrupting injection), while it is. */
  interruption: string | undefined;
  /**
   * The run's body while it can be stopped from outside (see `stoppable`): completed when the
   * run must stop now (an immediate cancel, a failed control, a suspension). Held here rather
   * than subscribed to a Subject: a session run always has controls, and each layer counts.
   */
  stopping: { complete(): void; readonly closed: boolean } | undefined;
  private afterTurnSubject: Subject<void> | undefined;
  /** Starts runs nested in a tool call (set by the run loop, so no other room imports it). */
  nested: NestedRuns<TContext> | undefined;
  // The collections below are made on first use: every run in flight holds its state,
  // and most runs never need them (they count in the heap per run).
  /** Tool outputs that finished but wait for an earlier call's output (owned by `runTools`; `pairOpenCalls` keeps them). */
  get heldOutputs(): Map<string, ToolOutputRunItem> {
    return (this.held ??= new Map());
  }
  private held: Map<string, ToolOutputRunItem> | undefined;
  /** Errors thrown by tools' `onCancel`, by call id, for the cut-off call's output item. */
  get cancelFailures(): Map<string, Error> {
    return (this.onCancelErrors ??= new Map());
  }
  private onCancelErrors: Map<string, Error> | undefined;
  get inputGuardrailResults(): GuardrailResult[] {
    return (this.inputChecks ??= []);
  }
  private inputChecks: GuardrailResult[] | undefined;
  get outputGuardrailResults(): GuardrailResult[] {
    return (this.outputChecks ??= []);
  }
  private outputChecks: GuardrailResult[] | undefined;
  /** Set by a turn that ends with another to follow (see `runTurns`). */
  turnFollows = false;
  /** Set by a handoff call: the agent to take over when the current agent's turn ends. */
  pendingHandoff: Handoff<TContext> | undefined;
  /** Spans for this run (a no-op unless tracing is on and a provider is registered). */
  tracing: RunTracing = noTracing;
  /** Writes history to the session as it happens (undefined without a session). */
  writer: SessionWriter | undefined;
  /** History as shaped by a handoff's input filter, and where in `items` it was taken. */
  private filtered: { readonly history: readonly InputItem[]; readonly from: number } | undefined;
  private approvalDesk: ApprovalDesk | undefined;

  constructor(
    agent: AgentFor<TContext>,
    /** The run's input. */
    readonly input: readonly InputItem[],
    readonly options: RunOptions<TContext>,
    /** The input is already in the session (a re-subscription after a failed attempt stored it). */
    readonly inputStored = false,
  ) {
    this.agent = agent;
  }

  /** Where tool approval decisions arrive (made on first use: most runs never need one). */
  get approvals(): ApprovalDesk {
    return (this.approvalDesk ??= (this.options as { approvalDesk?: ApprovalDesk }).approvalDesk ?? new ApprovalDesk());
  }

  get maxTurns(): number {
    return this.options.maxTurns ?? 10;
  }

  /** Why running work (tools, spans) is being stopped, for signals, `onCancel` and span attributes. */
  get stopReason(): string {
    const outcome = this.outcome;
    if (outcome && outcome.status !== 'completed') return outcome.reason ?? outcome.error?.message ?? outcome.status;
    return this.interruption ?? defaultStopReason;
  }

  /** Emits when an `after_turn` cancel arrives, or at once if one came (calls waiting for approval stop waiting then). */
  get afterTurn$(): Observable<void> {
    const subject = (this.afterTurnSubject ??= new Subject<void>());
    return new Observable<void>((subscriber) => {
      if (this.afterTurn === undefined) return subject.subscribe(subscriber);
      subscriber.next();
      return undefined;
    });
  }

  /** Completes the body (or the wait for its last writes) if it still runs: a closed one is told nothing (not RxJS's stopped-notification hook). */
  private stop(): void {
    const stopping = this.stopping;
    if (stopping && !stopping.closed) stopping.complete();
  }

  /** Decides how the run ends; the first decision is the one kept. */
  settle(outcome: Outcome): void {
    this.outcome ??= outcome;
  }

  /** A graceful cancel: `after_turn` waits for the turn's end, `immediate` stops now. */
  cancel(reason: string, mode: 'immediate' | 'after_turn'): void {
    if (mode === 'after_turn') {
      this.afterTurn ??= reason;
      this.afterTurnSubject?.next();
      return;
    }
    this.settle({ status: 'cancelled', reason });
    this.stop();
  }

  /** Fails the run now (a control stream failed, injected input was invalid). */
  fail(error: Error): void {
    this.settle({ status: 'failed', error });
    this.stop();
  }

  /** The model input: history, the run's input, then what the run produced (as a handoff filter left it). */
  modelInput(): JoinedHistory {
    const produced = this.produced(this.filtered?.from ?? 0);
    if (this.filtered) return new JoinedHistory(wholeView(this.filtered.history), produced);
    return new JoinedHistory(this.past, this.history(false, produced));
  }

  /** Hands the run to the pending handoff's agent, shaping the history it will see. */
  takeHandoff(): boolean {
    const next = this.pendingHandoff;
    if (!next) return false;
    this.pendingHandoff = undefined;
    if (next.inputFilter) this.filtered = { history: next.inputFilter(this.modelInput().toArray()), from: this.items.length };
    this.agent = next.agent as unknown as AgentFor<TContext>;
    return true;
  }

  addUsage(usage: Partial<Usage>): void {
    this.usage = addUsage(this.usage, usage);
  }

  /**
   * What the run adds to the session: its input (unless stored already), its
   * items (or `produced`, those of them a handoff filter left), and, at the end,
   * injected input no model call took.
   */
  history(withUnconsumed = false, produced = this.produced(0)): InputItem[] {
    // One concat: into an array of its final length, and faster than spreading.
    return (this.inputStored ? none : this.input).concat(produced, withUnconsumed ? this.injections.peek() : none);
  }

  /** The history items of what the run produced, from `items[from]` on. */
  private produced(from: number): InputItem[] {
    // Pushed, not pre-sized: a pre-sized array is holey, and so would be the history it joins.
    const produced: InputItem[] = [];
    for (let i = from; i < this.items.length; i++) produced.push(this.items[i]!.rawItem);
    return produced;
  }

  /** Writes what is valid of the history so far; completes once stored (at once without a session). */
  save(): Observable<never> {
    return this.writer ? this.writer.write(this.history()) : EMPTY;
  }

  /**
   * Outputs for calls left without one: a synthetic output with a `cancelled`
   * {@link ToolCallError} (and the `onCancel` failure, if any). Adds them to `items`.
   */
  pairOpenCalls(): ToolOutputRunItem[] {
    const answered = new Set<string>();
    for (const { rawItem } of this.items) if (rawItem.type === 'function_call_output') answered.add(rawItem.call_id);
    const added: ToolOutputRunItem[] = [];
    for (const item of this.items) {
      if (item.type === 'tool_call' && !answered.has(item.rawItem.call_id)) {
        added.push(this.held?.get(item.rawItem.call_id) ?? this.cancelledItem(item));
      }
    }
    this.items.push(...added);
    return added;
  }

  private cancelledItem({ rawItem: call, agentName }: ToolCallRunItem): ToolOutputRunItem {
    const rawItem = cancelledOutput(call, this.stopReason);
    const onCancelError = this.onCancelErrors?.get(call.call_id);
    return {
      type: 'tool_output',
      agentName,
      toolName: call.name,
      output: undefined,
      error: new ToolCallError('cancelled', call.name, call.call_id, rawItem.output),
      ...(onCancelError ? { onCancelError } : {}),
      rawItem,
    };
  }

  /**
   * Suspends the run: the batch of `calls` (some answered, the others waiting for
   * approval) leaves the history, which stays valid, and goes into the serializable
   * {@link SuspendedRun}, with the injected input no model call took.
   */
  suspend(calls: readonly ToolCallRunItem[], waiting: ReadonlyMap<string, unknown>): void {
    if (this.outcome) return;
    const ids = new Set(calls.map((c) => c.rawItem.call_id));
    const outputs = new Map<string, FunctionCallOutputItem>();
    for (const [id, item] of this.heldOutputs) if (ids.has(id)) outputs.set(id, item.rawItem);
    for (const { rawItem } of this.items) if (rawItem.type === 'function_call_output' && ids.has(rawItem.call_id)) outputs.set(rawItem.call_id, rawItem);
    for (const id of ids) this.heldOutputs.delete(id);
    const inBatch = (rawItem: InputItem) => (rawItem.type === 'function_call' || rawItem.type === 'function_call_output') && ids.has(rawItem.call_id);
    this.items.splice(0, this.items.length, ...this.items.filter((i) => !inBatch(i.rawItem)));
    this.suspended = {
      version: suspendedRunVersion,
      agent: this.agent.name,
      history: this.modelInput().toArray(),
      calls: calls.map(({ rawItem: call }) => ({
        call,
        ...(outputs.has(call.call_id) ? { output: outputs.get(call.call_id) } : { arguments: waiting.get(call.call_id) }),
      })),
      turn: this.turn,
      usage: this.usage,
      unconsumedInput: this.injections.drain(),
    };
    this.settle({ status: 'suspended', reason: 'waiting for approval' });
    this.stop();
  }

  result(): RunResult<unknown> {
    const outcome = this.outcome ?? { status: 'failed' };
    // Joined when read: a caller that never reads the history of a long conversation does not pay for its copy.
    const history = new JoinedHistory(this.past, this.history(true));
    return {
      status: outcome.status,
      finalOutput: outcome.finalOutput,
      items: [...this.items],
      get history() {
        return history.toArray();
      },
      unconsumedInput: [...this.injections.peek()],
      usage: this.usage,
      lastAgent: String(this.agent?.name),
      inputGuardrailResults: this.inputChecks ? [...this.inputChecks] : [],
      outputGuardrailResults: this.outputChecks ? [...this.outputChecks] : [],
      reason: outcome.reason,
      error: outcome.error,
      ...(this.suspended ? { suspended: this.suspended } : {}),
    };
  }
}
