import type { Context, Tracer } from '@opentelemetry/api';
import type { Observable, SchedulerLike } from 'rxjs';
import type { RunInput } from '../items/input-item.js';
import type { Model, ModelProvider } from '../model/model.js';
import type { OnBusy } from '../conversation/conversation-lock.js';
import type { Session } from '../session/session.js';
import type { ToolApprovalDecision } from '../tools/approval-desk.js';
import type { CancelRequest } from './cancel-request.js';
import { type AgentsError, UserError } from '../errors/agents-error.js';

export type { ModelProvider } from '../model/model.js';

/** Options of `run`. */
export interface RunOptions<TContext = unknown> {
  /** Overrides every agent's model for this run. */
  readonly model?: Model;
  /** Resolves agents' model names. Default: the provider set by `setDefaultModelProvider`. */
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
  /**
   * Suspend the run when its remaining work only waits for approvals: it ends with
   * `run.updated` `suspended`, whose result carries a serializable `suspended` state
   * for `resume` (in any process, any time later). `true` suspends at once;
   * `{ afterMs }` waits that long for decisions first (on `scheduler`). Default: wait.
   */
  readonly suspendOnApproval?: boolean | { readonly afterMs: number };
  /** Most model turns before the run fails with `MaxTurnsExceededError`. Default 10. */
  readonly maxTurns?: number;
  /** Your own object, handed to tools and dynamic instructions. */
  readonly context?: TContext;
  /**
   * Conversation memory: read at start, then written as the run goes (see {@link Session}),
   * so the stored history is valid model input at every instant.
   */
  readonly session?: Session;
  /**
   * What this run does when the session's conversation already has a run in flight
   * (in this process, or in another one sharing the store): `queue` (default) waits
   * for it to end, `reject` fails with `ConversationBusyError`, `interrupt` cancels it
   * gracefully then starts, `steer` injects this input into it and follows its events.
   */
  readonly onBusy?: OnBusy;
  /**
   * Longest wait for one session call (`getItems`, `addItems`). A call that takes longer
   * fails the run with a `SessionError`. Default 2000.
   */
  readonly sessionTimeoutMs?: number;
  /**
   * Receives failures no subscriber can see any more: a session write that fails after the
   * run was unsubscribed. Default: `console.error`.
   */
  readonly onError?: (error: AgentsError) => void;
  /** Most characters of a tool's output sent to the model; longer output is truncated and says so. Default 100,000. */
  readonly maxToolOutputChars?: number;
  /** Retries of model calls that fail before streaming anything (HTTP 408, 409, 429, 5xx, lost connections). */
  readonly modelRetry?: ModelRetryOptions;
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

/** How model calls are retried: an RxJS retry with exponential back-off that unsubscribing stops. */
export interface ModelRetryOptions {
  /** Retries after the first attempt. Default 2; 0 turns retrying off. */
  readonly maxRetries?: number;
  /** Wait before the first retry, doubled each time (a server's `retry-after` wins when longer). Default 500. */
  readonly initialDelayMs?: number;
  /** Longest wait between attempts. Default 8000. */
  readonly maxDelayMs?: number;
}

/** Default of `sessionTimeoutMs`. */
export const defaultSessionTimeoutMs = 2000;

/** Checks options that would otherwise misbehave quietly (a `maxTurns` of `NaN` loops forever). */
export function validateRunOptions(options: RunOptions<never> | RunOptions<unknown>): UserError | undefined {
  if (options === null || typeof options !== 'object') return new UserError(`run() options must be an object, got ${String(options)}.`);
  const count = (name: string, value: unknown, min: number) =>
    value === undefined || (Number.isInteger(value) && (value as number) >= min)
      ? undefined
      : new UserError(`Invalid option ${name}: expected an integer of at least ${min}, got ${String(value)}.`);
  const retry = options.modelRetry;
  return (
    count('maxTurns', options.maxTurns, 1) ??
    count('sessionTimeoutMs', options.sessionTimeoutMs, 1) ??
    count('maxToolOutputChars', options.maxToolOutputChars, 1) ??
    count('modelRetry.maxRetries', retry?.maxRetries, 0) ??
    count('modelRetry.initialDelayMs', retry?.initialDelayMs, 0) ??
    count('modelRetry.maxDelayMs', retry?.maxDelayMs, 0) ??
    (options.injectMode !== undefined && options.injectMode !== 'queue' && options.injectMode !== 'interrupt'
      ? new UserError(`Invalid option injectMode: expected 'queue' or 'interrupt', got ${String(options.injectMode)}.`)
      : undefined)
  );
}
