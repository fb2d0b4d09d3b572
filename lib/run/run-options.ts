import type { Context, Tracer } from '@opentelemetry/api';
import type { Observable, SchedulerLike } from 'rxjs';
import type { RunInput } from '../items/input-item.js';
import type { Model, ModelProvider } from '../model/model.js';
import type { OnBusy } from '../conversation/conversation-lock.js';
import type { Session } from '../session/session.js';
import type { ToolApprovalDecision } from '../tools/approval-desk.js';
import type { CancelRequest } from './cancel-request.js';

export type { ModelProvider } from '../model/model.js';

/** Options of `run`. */
export interface RunOptions<TContext = unknown> {
  /** Overrides every agent's model for this run. */
  readonly model?: Model;
  /** Resolves agents' model names; defaults to OpenAI's Responses API with the default client. */
  readonly modelProvider?: ModelProvider;
  /** Graceful cancel: each value is a reason, or `{ reason, mode }`. The first one wins. */
  readonly cancel$?: Observable<CancelRequest>;
  /** Graceful cancel, immediate. An already-aborted signal cancels before any model call. */
  readonly signal?: AbortSignal;
  /** New user input for the running run: text, an item, or items. */
  readonly inject$?: Observable<RunInput>;
  /**
   * `queue` (default): injected input joins the next model call.
   * `interrupt`: input that arrives while the model streams aborts that stream and restarts the turn with it.
   */
  readonly injectMode?: 'queue' | 'interrupt';
  /** Answers to `tool.approval_requested` events (also answerable with the event's `approve()` / `reject()`). */
  readonly approvals$?: Observable<ToolApprovalDecision>;
  /** Most model turns before the run fails with `MaxTurnsExceededError`. Default 10. */
  readonly maxTurns?: number;
  /** Your own object, handed to tools and dynamic instructions. */
  readonly context?: TContext;
  /** History to read at start and append to at the end. */
  readonly session?: Session;
  /**
   * What this run does when the session's conversation already has a run in flight
   * (in this process, or in another one sharing the store): `queue` (default) waits
   * for it to end, `reject` fails with `ConversationBusyError`, `interrupt` cancels it
   * gracefully then starts, `steer` injects this input into it and follows its events.
   */
  readonly onBusy?: OnBusy;
  /** Scheduler for tool timeouts (virtual time in tests). Default: `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** OpenTelemetry tracer for the run's spans. Default: the global tracer provider's (a no-op unless one is registered). */
  readonly tracer?: Tracer;
  /** The context whose span is the run span's parent. Default: the context active at subscribe. */
  readonly traceContext?: Context;
  /** `false` turns tracing off. Default true. */
  readonly tracing?: boolean;
  /** Record prompts, instructions, tool arguments and results on spans. Default false. */
  readonly traceSensitiveData?: boolean;
}
