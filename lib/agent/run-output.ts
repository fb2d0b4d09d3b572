import type { Agent } from './agent.js';
import type { Handoff } from './handoff.js';

/**
 * What a run started with `TAgent` can finish with: the agent's own output type,
 * or that of any agent it can hand off to, transitively. `unknown` where the types
 * cannot know: an agent typed loosely (`AnyAgent`), or a handoff list typed as
 * `HandoffTarget[]` (a lazy list written for a cycle).
 *
 * @example
 * const triage = new Agent({ name: 'Triage', handoffs: [refunds] }); // refunds: outputType Refund
 * type Output = RunOutput<typeof triage>; // string | Refund
 */
export type RunOutput<TAgent> =
  TAgent extends Agent<infer _TContext, infer TOutput, infer THandoffs>
    ? unknown extends TOutput
      ? unknown
      : TOutput | HandoffOutput<THandoffs>
    : unknown;

/** The run output of each handoff target (an agent, or a configured handoff's agent). */
type HandoffOutput<THandoffs> = THandoffs extends Handoff<infer _TContext, infer TAgent> ? RunOutput<TAgent> : RunOutput<THandoffs>;

