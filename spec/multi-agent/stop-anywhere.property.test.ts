import fc from 'fast-check';
import { map, Subject, timer } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  InputGuardrailTripwireTriggered,
  MemorySession,
  ScriptedModel,
  run,
  tool,
  type ModelRequest,
  type ScriptedTurn,
  type StreamEvent,
  type ToolApprovalDecision,
} from '../../lib/index.js';
import { expectPaired } from '../helpers/collect.js';
import { propertyRuns, propertyTimeoutMs, tally } from '../helpers/property-runs.js';
import { tracingHarness } from '../helpers/tracing.js';

type Step = 'work' | 'nested' | 'approval' | 'handoff';
type Stop = 'none' | 'unsubscribe' | 'cancel' | 'interrupt' | 'after_turn' | 'signal';

const harness = tracingHarness();

describe('property: stop a multi-agent run anywhere', () => {
  const count = tally('multi-agent stop anywhere');
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('handoffs, nested agents, guardrails and approvals all end cleanly', { timeout: propertyTimeoutMs }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          steps: fc.array(fc.constantFrom<Step>('work', 'nested', 'approval', 'handoff'), { maxLength: 4 }),
          guardrailMs: fc.integer({ min: 0, max: 60 }),
          guardrailTrips: fc.boolean(),
          approveAt: fc.integer({ min: 0, max: 100 }),
          stop: fc.constantFrom<Stop>('none', 'unsubscribe', 'cancel', 'interrupt', 'after_turn', 'signal'),
          stopAt: fc.integer({ min: 0, max: 160 }),
        }),
        async ({ steps, guardrailMs, guardrailTrips, approveAt, stop, stopAt }) => {
          harness.reset();
          const expertModel = new ScriptedModel({ turns: () => ({ text: 'expert opinion here' }), delayMs: 7 });
          const specialistModel = new ScriptedModel({ turns: () => ({ text: 'specialist takes over' }), delayMs: 5 });
          const expert = new Agent({ name: 'Expert', model: expertModel });
          const specialist = new Agent({ name: 'Specialist', model: specialistModel });
          const work = tool({ name: 'work', description: 'w', parameters: z.object({}), execute: () => timer(15).pipe(map(() => 'worked')) });
          const danger = tool({ name: 'danger', description: 'd', parameters: z.object({}), needsApproval: true, execute: () => 'done' });
          const turnFor = (request: ModelRequest): ScriptedTurn => {
            const done = request.input.filter((i) => i.type === 'function_call' && i.call_id.endsWith('_1')).length;
            const step = steps[done];
            if (!step) return { text: 'front answers' };
            const name = { work: 'work', nested: 'ask_expert', approval: 'danger', handoff: 'transfer_to_specialist' }[step];
            return { text: 'on it', toolCalls: [{ name, arguments: step === 'nested' ? { input: 'q' } : {} }] };
          };
          const frontModel = new ScriptedModel({ turns: turnFor, delayMs: 6 });
          const front = new Agent({
            name: 'Front',
            model: frontModel,
            tools: [work, danger, expert.asTool({ toolName: 'ask_expert', toolDescription: 'asks the expert' })],
            handoffs: [specialist],
            inputGuardrails: [{ name: 'screen', execute: () => timer(guardrailMs).pipe(map(() => ({ tripwireTriggered: guardrailTrips }))) }],
          });
          const session = new MemorySession();
          const cancel$ = new Subject<string | { reason: string; mode: 'after_turn' }>();
          const controller = new AbortController();
          const inject$ = new Subject<string>();
          const decisions$ = new Subject<ToolApprovalDecision>();
          const events: StreamEvent[] = [];
          let ended = false;
          let failure: unknown;
          const subscription = run(front, 'start', { session, cancel$, inject$, signal: controller.signal, injectMode: 'interrupt', approvals$: decisions$, tracer: harness.tracer }).subscribe({
            next: (e) => {
              events.push(e);
              // Approve each request after approveAt ms.
              if (e.type === 'tool.approval_requested') timer(approveAt).subscribe(() => e.approve());
            },
            error: (e: unknown) => ((failure = e), (ended = true)),
            complete: () => (ended = true),
          });

          await vi.advanceTimersByTimeAsync(stopAt);
          const endedBeforeStop = ended;
          if (stop === 'unsubscribe') subscription.unsubscribe();
          if (stop === 'cancel') cancel$.next('stop');
          if (stop === 'interrupt') inject$.next('change of plan');
          if (stop === 'after_turn') cancel$.next({ reason: 'stop later', mode: 'after_turn' });
          if (stop === 'signal') controller.abort('aborted');
          await vi.runAllTimersAsync();

          if (failure !== undefined) expect(failure).toBeInstanceOf(InputGuardrailTripwireTriggered);
          const terminals = events.filter((e) => e.type === 'run.updated' && e.status !== 'running');
          if (stop === 'unsubscribe' && !endedBeforeStop) expect(terminals).toHaveLength(0);
          else {
            expect(ended).toBe(true);
            expect(terminals).toHaveLength(1);
            expect(events.at(-1)).toBe(terminals[0]);
            const status = terminals[0]?.type === 'run.updated' ? terminals[0].status : 'none';
            count(`${stop}:${status}`);
            if (!endedBeforeStop && failure === undefined && (stop === 'cancel' || stop === 'signal')) expect(status).toBe('cancelled');
          }
          const history = await session.getItems();
          expect(history[0]).toEqual({ role: 'user', content: 'start' });
          expectPaired(history);
          for (const model of [frontModel, expertModel, specialistModel]) expect(model.openStreams).toBe(0);
          harness.expectAllEndedChildrenFirst();
          expect(vi.getTimerCount()).toBe(0);
          expect(cancel$.observed || inject$.observed || decisions$.observed).toBe(false);
        },
      ),
      { numRuns: propertyRuns },
    );
  });
});
