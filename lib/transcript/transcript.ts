import type { RunStatus } from '../events/run-status.js';
import type { Usage } from '../model/usage.js';

/** What the user said: the run's input, or input injected into the running run. */
export interface UserMessage {
  readonly kind: 'user';
  /** Stable within a conversation: a key for `@for (…; track m.id)` or React's `key`. */
  readonly id: string;
  readonly text: string;
  /** Injected into a running run (`inject$`): shown where the model received it. */
  readonly injected?: true;
  /** Injected too late for any turn: the model never saw it (it is in `RunResult.unconsumedInput` and the session). */
  readonly unsent?: true;
}

/**
 * Where streamed text is: `streaming` while it arrives; `stopped` when the run was
 * cancelled mid-stream (the partial text stays); `interrupted` when injected input
 * restarted the turn (the partial text is not in history); `failed` when the run failed mid-stream.
 */
export type StreamedStatus = 'streaming' | 'completed' | 'stopped' | 'interrupted' | 'failed';

/** A message of the model. */
export interface AssistantMessage {
  readonly kind: 'assistant';
  readonly id: string;
  /** Name of the agent writing. */
  readonly agent: string;
  readonly text: string;
  readonly status: StreamedStatus;
  /** Set when the model refused to answer. */
  readonly refusal?: string;
}

/** The reasoning of a reasoning model (its summary or its reasoning text), streamed like a message. */
export interface ReasoningMessage {
  readonly kind: 'reasoning';
  readonly id: string;
  readonly agent: string;
  readonly text: string;
  readonly status: StreamedStatus;
}

/** An item the library does not model (a hosted tool's call, a compaction…), by the server's name for it. */
export interface ProviderItemMessage {
  readonly kind: 'provider_item';
  readonly id: string;
  readonly agent: string;
  readonly itemType: string;
}

/** Where a tool call is: waiting for a human, running, or ended one of four ways. */
export type ToolCallStatus = 'awaiting_approval' | 'running' | 'completed' | 'failed' | 'cancelled' | 'rejected';

/** A tool call, from the model's request to its output. */
export interface ToolCallMessage {
  readonly kind: 'tool';
  readonly id: string;
  readonly callId: string;
  readonly agent: string;
  readonly toolName: string;
  /** The arguments (parsed JSON; the raw text when they do not parse). */
  readonly arguments: unknown;
  readonly status: ToolCallStatus;
  /** The latest progress value the tool reported. */
  readonly progress?: unknown;
  /** The tool's return value, once completed. */
  readonly output?: unknown;
  /** What went wrong (failed, cancelled, rejected): the text the model was given. */
  readonly error?: string;
}

/** The conversation moved to another agent. */
export interface HandoffMessage {
  readonly kind: 'handoff';
  readonly id: string;
  readonly from: string;
  readonly to: string;
}

/** One entry of a {@link Transcript}, discriminated on `kind`. */
export type TranscriptMessage = UserMessage | AssistantMessage | ReasoningMessage | ToolCallMessage | HandoffMessage | ProviderItemMessage;

/** A tool call waiting for a human's decision (answer it through the run's `approvals$`). */
export interface PendingApproval {
  readonly callId: string;
  readonly toolName: string;
  /** The validated arguments the tool would run with. */
  readonly arguments: unknown;
  readonly agent: string;
}

/**
 * A run as a UI shows it: an immutable view model, replaced (never mutated) on
 * each event, so it suits signals, `OnPush` and React state alike. Plain data
 * except `error`, the run's typed error.
 */
export interface Transcript<TOutput = string> {
  /** The conversation: earlier messages (if given) then this run's, in order. */
  readonly messages: readonly TranscriptMessage[];
  readonly status: RunStatus;
  /** Why the run was cancelled. */
  readonly reason?: string;
  /** Why the run failed: state, not an Observable error. */
  readonly error?: Error;
  /** The agent in charge. */
  readonly agent?: string;
  readonly pendingApprovals: readonly PendingApproval[];
  /** Token usage of the run, once it ended. */
  readonly usage?: Usage;
  /** The run's final output, once completed. */
  readonly finalOutput?: TOutput;
  /** A model call failed with a transient error and is retried after `delayMs` (until the run moves on). */
  readonly retry?: { readonly attempt: number; readonly delayMs: number; readonly reason: string };
}
