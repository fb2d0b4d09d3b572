import type { Agent } from '../agent/agent.js';
import type { RunResult } from '../events/run-result.js';
import type { TerminalRunStatus } from '../events/run-status.js';
import type { FunctionCallItem, InputItem } from '../items/input-item.js';
import type { RunItem, ToolOutputRunItem } from '../items/run-item.js';
import { addUsage, emptyUsage, type Usage } from '../model/usage.js';
import { cancelledOutput } from '../session/pair-tool-calls.js';
import type { GuardrailResult } from '../agent/guardrail.js';
import type { Handoff } from '../agent/handoff.js';
import { ApprovalDesk } from '../tools/approval-desk.js';
import type { Tool } from '../tools/tool.js';
import { noTracing, type RunTracing } from '../tracing/run-tracing.js';
import { InjectQueue } from './inject-queue.js';
import type { RunOptions } from './run-options.js';

/** Why tools and spans stop when nothing more specific is known: the subscriber left. */
export const defaultStopReason = 'the run was unsubscribed';

/**
 * Everything one run (one subscription) knows. Created inside `defer`, so each
 * subscription gets its own; nothing here outlives the run except the result.
 */
export class RunState<TContext> {
  agent: Agent<TContext, unknown>;
  /** The tools of the agent in charge, as its tool sources last listed them (see `withAgentTools`). */
  tools: readonly Tool<TContext>[] = [];
  /** History read from the session at start. */
  past: readonly InputItem[] = [];
  /** Every item the run emitted, in order. */
  readonly items: RunItem[] = [];
  /** Tool outputs that finished but wait for an earlier call's output, so outputs keep the calls' order. */
  readonly heldOutputs = new Map<string, ToolOutputRunItem>();
  readonly injections = new InjectQueue();
  usage: Usage = emptyUsage;
  turn = 0;
  status: TerminalRunStatus | undefined;
  reason: string | undefined;
  error: Error | undefined;
  finalOutput: unknown;
  /** Set by an `after_turn` cancel: the reason to stop with once the turn is over. */
  stopAfterTurn: string | undefined;
  /** Why tools are being stopped, for their signal and `onCancel`. */
  stopReason = defaultStopReason;
  private approvalDesk: ApprovalDesk | undefined;

  /** Where tool approval decisions arrive (made on first use: most runs never need one). */
  get approvals(): ApprovalDesk {
    return (this.approvalDesk ??= new ApprovalDesk());
  }
  readonly inputGuardrailResults: GuardrailResult[] = [];
  readonly outputGuardrailResults: GuardrailResult[] = [];
  /** Set by a handoff call: the agent to take over when the current agent's turn ends. */
  pendingHandoff: Handoff<TContext> | undefined;
  /** History as shaped by a handoff's input filter, and where in `items` it was taken. */
  private filtered: { readonly history: readonly InputItem[]; readonly from: number } | undefined;
  /** Spans for this run (a no-op unless tracing is on and a provider is registered). */
  tracing: RunTracing = noTracing;
  private persisted: Promise<void> | undefined;

  constructor(
    agent: Agent<TContext, unknown>,
    readonly input: readonly InputItem[],
    readonly options: RunOptions<TContext>,
  ) {
    this.agent = agent;
  }

  get maxTurns(): number {
    return this.options.maxTurns ?? 10;
  }

  /** The model input: history, the run's input, then what the run produced (as a handoff filter left it). */
  modelInput(): InputItem[] {
    const input = this.filtered ? [...this.filtered.history] : [...this.past, ...this.input];
    for (let i = this.filtered?.from ?? 0; i < this.items.length; i++) input.push(this.items[i]!.rawItem);
    return input;
  }

  /** Hands the run to the pending handoff's agent, shaping the history it will see. */
  takeHandoff(): boolean {
    const next = this.pendingHandoff;
    if (!next) return false;
    this.pendingHandoff = undefined;
    if (next.inputFilter) this.filtered = { history: next.inputFilter(this.modelInput()), from: this.items.length };
    this.agent = next.agent as unknown as Agent<TContext, unknown>;
    return true;
  }

  addUsage(usage: Partial<Usage>): void {
    this.usage = addUsage(this.usage, usage);
  }

  /** Ends the run's decision: the first terminal status set is the one kept. */
  end(status: TerminalRunStatus, detail: { reason?: string; error?: Error; finalOutput?: unknown } = {}): void {
    if (this.status) return;
    this.status = status;
    this.reason = detail.reason;
    this.error = detail.error;
    this.finalOutput = detail.finalOutput;
    if (status !== 'completed') this.stopReason = detail.reason ?? detail.error?.message ?? status;
  }

  /**
   * Outputs for calls left without one: the finished-but-held output where there
   * is one, a synthetic "cancelled" output otherwise. Adds them to `items`.
   */
  pairOpenCalls(): ToolOutputRunItem[] {
    const answered = new Set<string>();
    for (const { rawItem } of this.items) if (rawItem.type === 'function_call_output') answered.add(rawItem.call_id);
    const added: ToolOutputRunItem[] = [];
    for (const item of this.items) {
      if (item.type !== 'tool_call' || answered.has(item.rawItem.call_id)) continue;
      added.push(this.heldOutputs.get(item.rawItem.call_id) ?? this.cancelledItem(item.rawItem, item.agentName));
    }
    this.items.push(...added);
    return added;
  }

  private cancelledItem(call: FunctionCallItem, agentName: string): ToolOutputRunItem {
    return {
      type: 'tool_output',
      agentName,
      toolName: call.name,
      output: undefined,
      rawItem: cancelledOutput(call, this.reason ?? this.stopReason),
    };
  }

  /** What the run adds to history: its input, its items (paired), then input injected too late. */
  newHistory(): InputItem[] {
    this.pairOpenCalls();
    return [...this.input, ...this.items.map((i) => i.rawItem), ...this.injections.peek()];
  }

  /** Writes the session once, whatever ends the run; later calls share the first write. */
  persist(): Promise<void> {
    this.persisted ??= this.options.session
      ? this.options.session.addItems(this.newHistory())
      : Promise.resolve();
    return this.persisted;
  }

  result(): RunResult<unknown> {
    return {
      status: this.status ?? 'failed',
      finalOutput: this.finalOutput,
      items: [...this.items],
      history: [...this.past, ...this.newHistory()],
      unconsumedInput: [...this.injections.peek()],
      usage: this.usage,
      lastAgent: this.agent.name,
      inputGuardrailResults: [...this.inputGuardrailResults],
      outputGuardrailResults: [...this.outputGuardrailResults],
      reason: this.reason,
      error: this.error,
    };
  }
}
