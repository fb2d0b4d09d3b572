import { catchError, concat, map, merge, mergeMap, type Observable, of, take, throwError, throwIfEmpty } from 'rxjs';
import type { GuardrailFunctionOutput, GuardrailResult, InputGuardrail, OutputGuardrail } from '../agent/guardrail.js';
import { InputGuardrailTripwireTriggered, OutputGuardrailTripwireTriggered } from '../errors/guardrail-tripwire.js';
import { asAgentsError, RunCancelledError, UserCodeError } from '../errors/agents-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import { callWithSignal } from '../util/call-with-signal.js';
import type { RunState } from './run-state.js';

/**
 * Runs guardrails concurrently. Each result is reported as it comes; the first
 * tripwire errors the Observable, which tears down the others (their signals
 * fire) and whatever runs alongside, such as the first model stream.
 */
export function runGuardrails<TContext>(
  state: RunState<TContext>,
  kind: 'input' | 'output',
  guardrails: readonly (InputGuardrail<TContext> | OutputGuardrail<TContext>)[],
  subject: unknown,
): Observable<StreamEvent<unknown>> {
  const agentName = state.agent.name;
  return merge(
    ...guardrails.map((guardrail) =>
      check(state, kind, guardrail, subject).pipe(
        map((output): GuardrailResult => ({ kind, name: guardrail.name, agentName, output })),
        state.tracing.guardrail(kind, guardrail.name, agentName),
      ),
    ),
  ).pipe(
    mergeMap((result) => {
      (kind === 'input' ? state.inputGuardrailResults : state.outputGuardrailResults).push(result);
      const event: StreamEvent<unknown> = { type: 'guardrail.result', result };
      if (!result.output.tripwireTriggered) return of(event);
      const error = kind === 'input' ? new InputGuardrailTripwireTriggered(result) : new OutputGuardrailTripwireTriggered(result);
      // Decided now, so the work torn down by the error learns why.
      state.settle({ status: 'failed', error });
      return concat(of(event), throwError(() => error));
    }),
  );
}

/** One guardrail as a cold Observable whose signal fires if the run stops before it answers. */
function check<TContext>(
  state: RunState<TContext>,
  kind: 'input' | 'output',
  guardrail: InputGuardrail<TContext> | OutputGuardrail<TContext>,
  subject: unknown,
): Observable<GuardrailFunctionOutput> {
  const agentName = state.agent.name;
  const component = `${kind === 'input' ? 'Input' : 'Output'} guardrail "${guardrail.name}" of agent "${agentName}"`;
  return callWithSignal(
    (signal) => guardrail.execute(subject as never, { context: state.options.context as TContext, agentName, signal: signal() }),
    () => new RunCancelledError(state.stopReason),
  ).pipe(
    take(1),
    map((output) => {
      if (typeof output?.tripwireTriggered !== 'boolean') {
        throw new UserCodeError(component, undefined, 'answered without a boolean tripwireTriggered.');
      }
      return output;
    }),
    // A guardrail that gives no answer has not let anything through.
    throwIfEmpty(() => new UserCodeError(component, undefined, 'completed without an answer.')),
    catchError((error: unknown) => throwError(() => asAgentsError(error, component))),
  );
}
