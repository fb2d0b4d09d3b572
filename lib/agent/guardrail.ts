import type { Observable } from 'rxjs';
import type { InputItem } from '../items/input-item.js';

/** What a guardrail function returns. */
export interface GuardrailFunctionOutput {
  /** True stops the run: it fails with a tripwire error. */
  readonly tripwireTriggered: boolean;
  /** Anything worth keeping: a classification, a score, a reason. */
  readonly outputInfo?: unknown;
}

/** What a guardrail function receives besides the input or output it checks. */
export interface GuardrailContext<TContext = unknown> {
  /** The run's `context` option. */
  readonly context: TContext;
  /** Name of the agent being guarded. */
  readonly agentName: string;
  /** Fires when the run no longer needs the answer (it ended, or was cancelled). */
  readonly signal: AbortSignal;
}

/** A guardrail's answer: a value, a Promise or an Observable (its first value counts). */
export type GuardrailAnswer = GuardrailFunctionOutput | PromiseLike<GuardrailFunctionOutput> | Observable<GuardrailFunctionOutput>;

/** A check of the run's input, run with the first agent's first model call. */
export interface InputGuardrail<TContext = unknown> {
  readonly name: string;
  /**
   * Default true: run alongside the first model call; a tripwire aborts that call.
   * False: run first, and call the model only once it passed.
   */
  readonly runInParallel?: boolean;
  readonly execute: (input: readonly InputItem[], ctx: GuardrailContext<TContext>) => GuardrailAnswer;
}

/** A check of the final output, before the run completes with it. */
export interface OutputGuardrail<TContext = unknown> {
  readonly name: string;
  readonly execute: (output: unknown, ctx: GuardrailContext<TContext>) => GuardrailAnswer;
}

/** The outcome of one guardrail, reported by a `guardrail.result` event and in `RunResult`. */
export interface GuardrailResult {
  readonly kind: 'input' | 'output';
  readonly name: string;
  readonly agentName: string;
  readonly output: GuardrailFunctionOutput;
}
