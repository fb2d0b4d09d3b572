/** Base class of every error rxjs-agents raises, so callers can tell ours from others with one `instanceof`. */
export class AgentsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The run took more model turns than `maxTurns` allows. */
export class MaxTurnsExceededError extends AgentsError {
  constructor(readonly maxTurns: number) {
    super(`The run exceeded maxTurns (${maxTurns}) without a final answer.`);
  }
}

/** The model did something the run cannot accept (no output, invalid structured output, …). */
export class ModelBehaviorError extends AgentsError {}

/** The library was used in a way that cannot work (no model, duplicate tool names, …). */
export class UserError extends AgentsError {}

/** The model provider failed: HTTP error, dropped connection, malformed stream, error event. */
export class ModelError extends AgentsError {
  constructor(
    message: string,
    options?: { cause?: unknown; status?: number; code?: string },
  ) {
    super(message, options);
    this.status = options?.status;
    this.code = options?.code;
  }
  /** The HTTP status, when the provider answered with one. */
  readonly status: number | undefined;
  /** The provider's error code, when it gave one. */
  readonly code: string | undefined;
}

/** Reason given to a tool's `AbortSignal` and `onCancel` when the run stops it. */
export class RunCancelledError extends AgentsError {
  constructor(readonly reason: string) {
    super(`The run was cancelled: ${reason}`);
  }
}

/**
 * The run's session failed: a read or write rejected, threw, or did not settle
 * before the run was cancelled or `sessionTimeoutMs` passed. `operation` says
 * which call; the original failure is the `cause`.
 */
export class SessionError extends AgentsError {
  constructor(
    readonly operation: 'getItems' | 'addItems',
    readonly sessionId: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`Session${sessionId ? ` "${sessionId}"` : ''}: ${operation} ${message}`, options);
  }
}

/**
 * User code the run called failed: a guardrail, dynamic instructions, `onHandoff`,
 * an input filter, a control stream, an `outputExtractor`… `component` names it;
 * the original error is the `cause`.
 */
export class UserCodeError extends AgentsError {
  constructor(
    readonly component: string,
    cause: unknown,
    detail?: string,
  ) {
    super(`${component} ${detail ?? `failed: ${describe(cause)}`}`, { cause });
  }
}

/** A short description of anything thrown. */
export function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`;
  return String(error);
}

/** `error` as an `AgentsError`: kept when it is one, otherwise wrapped as a failure of `component`. */
export function asAgentsError(error: unknown, component: string): AgentsError {
  return error instanceof AgentsError ? error : new UserCodeError(component, error);
}
