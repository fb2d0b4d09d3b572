import { AgentsError } from './agents-error.js';

/** Why a tool call did not produce a normal output. */
export type ToolCallErrorKind =
  | 'invalid_json'
  | 'invalid_arguments'
  | 'unknown_tool'
  | 'execution_failed'
  | 'invalid_output'
  | 'timeout'
  | 'cancelled'
  | 'rejected';

/**
 * A tool call that went wrong. It does not fail the run: its message becomes the
 * call's output, so the model learns what happened and can try again.
 */
export class ToolCallError extends AgentsError {
  constructor(
    readonly kind: ToolCallErrorKind,
    readonly toolName: string,
    readonly callId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
