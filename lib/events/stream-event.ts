import type { ModelError } from '../errors/agents-error.js';
import type { GuardrailResult } from '../agent/guardrail.js';
import type { RunItem } from '../items/run-item.js';
import type { RunResult } from './run-result.js';
import type { RunStatus } from './run-status.js';

/** The run's status changed. The first event of every run, and its last unless the subscriber left. */
export interface RunUpdatedEvent<TOutput = string> {
  readonly type: 'run.updated';
  readonly status: RunStatus;
  /** Why the run was cancelled. */
  readonly reason?: string;
  /** Why the run failed. */
  readonly error?: Error;
  /** On a terminal status: what the run came to. */
  readonly result?: RunResult<TOutput>;
}

/** A new agent is in charge (the first one, or after a handoff). */
export interface AgentUpdatedEvent {
  readonly type: 'agent.updated';
  /** The name of the agent now in charge (events are plain JSON: names, not objects). */
  readonly agent: string;
}

/** A piece of the model's visible answer, as it streams. */
export interface TextDeltaEvent {
  readonly type: 'text.delta';
  readonly delta: string;
  /** Name of the agent writing. */
  readonly agent: string;
}

/** A piece of the model's reasoning (its summary or its reasoning text), as it streams. */
export interface ReasoningDeltaEvent {
  readonly type: 'reasoning.delta';
  readonly delta: string;
  /** Name of the agent reasoning. */
  readonly agent: string;
}

/** An item is complete: a message, a tool call, a tool output, injected input… */
export interface ItemCreatedEvent {
  readonly type: 'item.created';
  readonly item: RunItem;
}

/** A progress value of a running tool (every value but the last of an Observable tool). */
export interface ToolProgressEvent {
  readonly type: 'tool.progress';
  readonly callId: string;
  readonly toolName: string;
  readonly value: unknown;
}

/** The provider's raw streaming event, untouched. */
export interface ModelRawEvent {
  readonly type: 'model.event';
  readonly event: unknown;
}

/**
 * A model stream was abandoned because input was injected in `interrupt` mode.
 * Its partial output is discarded (not in history, not in the session); the turn restarts.
 */
export interface TurnInterruptedEvent {
  readonly type: 'turn.interrupted';
  readonly agent: string;
  /** The text streamed before the interruption. */
  readonly partialText: string;
  /** Items completed before the interruption, now discarded. */
  readonly discardedItems: readonly RunItem[];
}

/** A guardrail finished; a tripped one is followed by the run failing. */
export interface GuardrailResultEvent {
  readonly type: 'guardrail.result';
  readonly result: GuardrailResult;
}

/**
 * A tool call waits for a human's approval. Answer with `approve()` / `reject()`,
 * or through the run's `approvals$`. Only this call waits.
 */
export interface ToolApprovalRequestedEvent {
  readonly type: 'tool.approval_requested';
  readonly callId: string;
  readonly toolName: string;
  /** The validated arguments the tool would run with. */
  readonly arguments: unknown;
  readonly approve: () => void;
  /** Rejects the call; `message` is passed on to the model. */
  readonly reject: (message?: string) => void;
}

/**
 * A model call failed before streaming anything, with a transient error (HTTP 429,
 * 5xx, a lost connection): the run waits `delayMs`, then calls again. Unsubscribing
 * or cancelling during the wait stops it. Configure with the `modelRetry` option.
 */
export interface ModelRetryEvent {
  readonly type: 'model.retry';
  /** Name of the agent whose model call failed. */
  readonly agent: string;
  /** Which retry this is (1 for the first). */
  readonly attempt: number;
  readonly delayMs: number;
  /** Why the attempt failed. */
  readonly error: ModelError;
}

/** Everything a run emits, discriminated on `type`. */
export type StreamEvent<TOutput = string> =
  | RunUpdatedEvent<TOutput>
  | AgentUpdatedEvent
  | TextDeltaEvent
  | ReasoningDeltaEvent
  | ItemCreatedEvent
  | ToolProgressEvent
  | ModelRawEvent
  | TurnInterruptedEvent
  | GuardrailResultEvent
  | ToolApprovalRequestedEvent
  | ModelRetryEvent;
