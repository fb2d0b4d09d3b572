import type { GuardrailResult } from '../agent/guardrail.js';
import type { InputItem } from '../items/input-item.js';
import type { RunItem } from '../items/run-item.js';
import type { Usage } from '../model/usage.js';
import type { TerminalRunStatus } from './run-status.js';
import type { SuspendedRun } from '../run/suspended-run.js';

/** What a run came to. Emitted by `toResult()`, and carried by the terminal `run.updated` event. */
export interface RunResult<TOutput = string> {
  readonly status: TerminalRunStatus;
  /** The final answer (parsed, for an agent with `outputType`); undefined unless completed. */
  readonly finalOutput: TOutput | undefined;
  /** Every item the run produced, in order. */
  readonly items: readonly RunItem[];
  /**
   * The conversation, paired and ready to continue from: the session's history (with a
   * session), the run's input, then every item the run produced. Joined into one array
   * when first read, so a run of a long conversation whose history nobody reads does not copy it.
   */
  readonly history: readonly InputItem[];
  /** Injected input that never reached the model (the run ended first). It is kept in the session too. */
  readonly unconsumedInput: readonly InputItem[];
  readonly usage: Usage;
  /** The name of the agent in charge when the run ended. */
  readonly lastAgent: string;
  /** Outcomes of the input guardrails that finished. */
  readonly inputGuardrailResults: readonly GuardrailResult[];
  /** Outcomes of the output guardrails that finished. */
  readonly outputGuardrailResults: readonly GuardrailResult[];
  /** Why the run was cancelled. */
  readonly reason?: string;
  /** Why the run failed. */
  readonly error?: Error;
  /** For a `suspended` run: the state to store and give to `resume` (plain JSON). */
  readonly suspended?: SuspendedRun;
}
