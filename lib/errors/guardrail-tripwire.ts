import type { GuardrailResult } from '../agent/guardrail.js';
import { AgentsError } from './agents-error.js';

/** An input guardrail's tripwire fired: the run failed before using the model's answer. */
export class InputGuardrailTripwireTriggered extends AgentsError {
  constructor(readonly result: GuardrailResult) {
    super(`Input guardrail "${result.name}" tripped.`);
  }
}

/** An output guardrail's tripwire fired: the final output was refused. */
export class OutputGuardrailTripwireTriggered extends AgentsError {
  constructor(readonly result: GuardrailResult) {
    super(`Output guardrail "${result.name}" tripped.`);
  }
}
