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
