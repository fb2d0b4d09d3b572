import { firstValueFrom, NEVER, Observable, Subject } from 'rxjs';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  Agent,
  InputGuardrailTripwireTriggered,
  MemorySession,
  OutputGuardrailTripwireTriggered,
  ScriptedModel,
  run,
  toResult,
  type InputGuardrail,
} from '../../lib/index.js';
import { collect, expectPaired, label, statuses } from '../helpers/collect.js';
import { until } from '../helpers/probe-tools.js';
import { tracingHarness } from '../helpers/tracing.js';

const harness = tracingHarness();
beforeEach(() => harness.reset());

/** A guardrail decided from outside the test, observing its signal. */
function manualGuardrail(name: string, runInParallel = true) {
  const verdict$ = new Subject<boolean>();
  const state = { started: false, signal: undefined as AbortSignal | undefined };
  const guardrail: InputGuardrail = {
    name,
    runInParallel,
    execute: (_input, { signal }) => {
      state.started = true;
      state.signal = signal;
      return new Observable((subscriber) => verdict$.subscribe((tripped) => subscriber.next({ tripwireTriggered: tripped, outputInfo: { tripped } })));
    },
  };
  return { guardrail, verdict$, state };
}

describe('guardrails', () => {
  it('a parallel input guardrail that trips aborts the model stream in flight and fails the run', async () => {
    const { guardrail, verdict$ } = manualGuardrail('no_homework');
    const model = new ScriptedModel({ turns: [{ text: 'Sure, the answer to your homework', hang: true }] });
    const session = new MemorySession();
    const done = collect(run(new Agent({ name: 'A', model, inputGuardrails: [guardrail] }), 'do my homework', { session, tracer: harness.tracer }));
    await until(() => model.openStreams === 1);
    verdict$.next(true);
    const { events, error } = await done;
    expect(error).toBeInstanceOf(InputGuardrailTripwireTriggered);
    expect((error as InputGuardrailTripwireTriggered).result).toMatchObject({ name: 'no_homework', output: { tripwireTriggered: true } });
    expect(model.openStreams).toBe(0);
    expect(events.map(label).filter((l) => l.startsWith('guardrail') || l.startsWith('run'))).toEqual(['run:running', 'guardrail:no_homework:tripped', 'run:failed']);
    expect(await session.getItems()).toEqual([{ role: 'user', content: 'do my homework' }]);
    expect(harness.one('guardrail no_homework').attributes['rxjs_agents.guardrail.triggered']).toBe(true);
    harness.expectAllEndedChildrenFirst();
  });

  it('tools wait for parallel input guardrails to pass', async () => {
    const { guardrail, verdict$ } = manualGuardrail('check');
    let toolRan = false;
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'act' }] }, { text: 'done' }] });
    const { tool } = await import('../../lib/index.js');
    const { z } = await import('zod');
    const act = tool({ name: 'act', description: 'acts', parameters: z.object({}), execute: () => ((toolRan = true), 'acted') });
    const done = firstValueFrom(run(new Agent({ name: 'A', model, tools: [act], inputGuardrails: [guardrail] }), 'go').pipe(toResult()));
    await until(() => model.requests.length === 1);
    await new Promise((r) => setImmediate(r));
    expect(toolRan).toBe(false);
    verdict$.next(false);
    const result = await done;
    expect(toolRan).toBe(true);
    expect(result.inputGuardrailResults).toEqual([{ kind: 'input', name: 'check', agentName: 'A', output: { tripwireTriggered: false, outputInfo: { tripped: false } } }]);
  });

  it('runInParallel: false blocks the model call until the guardrail passes', async () => {
    const { guardrail, verdict$ } = manualGuardrail('gate', false);
    const model = new ScriptedModel({ turns: [{ text: 'ok' }] });
    const done = firstValueFrom(run(new Agent({ name: 'A', model, inputGuardrails: [guardrail] }), 'hi').pipe(toResult()));
    await new Promise((r) => setImmediate(r));
    expect(model.requests).toHaveLength(0);
    verdict$.next(false);
    expect((await done).finalOutput).toBe('ok');
  });

  it('a blocking guardrail that trips means no model call at all', async () => {
    const model = new ScriptedModel({ turns: [{ text: 'ok' }] });
    const block: InputGuardrail = { name: 'block', runInParallel: false, execute: async () => ({ tripwireTriggered: true }) };
    const { error } = await collect(run(new Agent({ name: 'A', model, inputGuardrails: [block] }), 'hi'));
    expect(error).toBeInstanceOf(InputGuardrailTripwireTriggered);
    expect(model.requests).toHaveLength(0);
  });

  it('input guardrails run only for the first turn of the starting agent', async () => {
    let calls = 0;
    const counting: InputGuardrail = { name: 'count', execute: () => ((calls += 1), { tripwireTriggered: false }) };
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'transfer_to_b' }] }, { text: 'b' }] });
    const b = new Agent({ name: 'B', model, inputGuardrails: [counting] });
    await firstValueFrom(run(new Agent({ name: 'A', model, handoffs: [b], inputGuardrails: [counting] }), 'hi').pipe(toResult()));
    expect(calls).toBe(1);
  });

  it('an output guardrail checks the final output; a tripwire fails the run with OutputGuardrailTripwireTriggered', async () => {
    const model = new ScriptedModel({ turns: [{ text: 'my password is hunter2' }, { text: 'all fine' }] });
    const agent = new Agent({
      name: 'A',
      model,
      outputGuardrails: [{ name: 'no_secrets', execute: (output) => ({ tripwireTriggered: String(output).includes('password'), outputInfo: 'scanned' }) }],
    });
    const { events, error } = await collect(run(agent, 'hi'));
    expect(error).toBeInstanceOf(OutputGuardrailTripwireTriggered);
    expect(statuses(events)).toEqual(['running', 'failed']);
    const ok = await firstValueFrom(run(agent, 'hi').pipe(toResult()));
    expect(ok.outputGuardrailResults[0]).toMatchObject({ kind: 'output', name: 'no_secrets', output: { tripwireTriggered: false, outputInfo: 'scanned' } });
  });

  it('a cancel while a guardrail runs aborts its signal and ends its span', async () => {
    const { guardrail, state } = manualGuardrail('slow', false);
    const cancel$ = new Subject<string>();
    const done = collect(run(new Agent({ name: 'A', model: new ScriptedModel({ turns: [] }), inputGuardrails: [guardrail] }), 'hi', { cancel$, tracer: harness.tracer }));
    await until(() => state.started);
    cancel$.next('stop');
    const { events } = await done;
    expect(statuses(events)).toEqual(['running', 'cancelled']);
    expect(state.signal?.aborted).toBe(true);
    expect(harness.one('guardrail slow').attributes['rxjs_agents.cancelled']).toBe(true);
    harness.expectAllEndedChildrenFirst();
    void NEVER;
    void expectPaired;
  });
});
