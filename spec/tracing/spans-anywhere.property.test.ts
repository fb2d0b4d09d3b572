import fc from 'fast-check';
import { Observable, Subject, timer, map, mergeMap, throwError } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { Agent, ScriptedModel, run, tool, type ModelRequest, type ScriptedTurn } from '../../lib/index.js';
import { propertyRuns, propertyTimeoutMs, tally } from '../helpers/property-runs.js';
import { tracingHarness } from '../helpers/tracing.js';

type Stop = 'none' | 'unsubscribe' | 'cancel' | 'after_turn' | 'interrupt' | 'model_failure';

const harness = tracingHarness();

describe('property: spans end whatever stops the run', () => {
  const tallied = tally('spans end whatever stops the run');
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('every started span ends exactly once, children before parents, none left open', { timeout: propertyTimeoutMs }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          toolTurns: fc.array(
            fc.array(fc.record({ ms: fc.integer({ min: 1, max: 30 }), fails: fc.boolean() }), { minLength: 1, maxLength: 3 }),
            { maxLength: 3 },
          ),
          chunkDelay: fc.integer({ min: 1, max: 8 }),
          stop: fc.constantFrom<Stop>('none', 'unsubscribe', 'cancel', 'after_turn', 'interrupt', 'model_failure'),
          stopAt: fc.integer({ min: 0, max: 150 }),
        }),
        async ({ toolTurns, chunkDelay, stop, stopAt }) => {
          harness.reset();
          const work = tool({
            name: 'work',
            description: 'works, or fails',
            parameters: z.object({ ms: z.number(), fails: z.boolean() }),
            execute: ({ ms, fails }) =>
              timer(ms).pipe(mergeMap(() => (fails ? throwError(() => new Error('tool broke')) : [`waited ${ms}`]))),
          });
          const turnFor = (request: ModelRequest, call: number): ScriptedTurn => {
            const done = request.input.filter((i) => i.type === 'function_call' && i.call_id.endsWith('_1')).length;
            if (stop === 'model_failure' && call === Math.min(toolTurns.length, 1)) return { text: 'breaking', fail: 'socket closed' };
            const calls = toolTurns[done];
            if (!calls) return { text: 'all done now' };
            return { text: 'working', toolCalls: calls.map((args) => ({ name: 'work', arguments: args })) };
          };
          const model = new ScriptedModel({ turns: turnFor, delayMs: chunkDelay });
          const cancel$ = new Subject<string | { reason: string; mode: 'after_turn' }>();
          const inject$ = new Subject<string>();
          let ended = false;
          const subscription = run(new Agent({ name: 'A', model, tools: [work] }), 'go', {
            tracer: harness.tracer,
            cancel$,
            inject$,
            injectMode: 'interrupt',
          }).subscribe({ error: () => (ended = true), complete: () => (ended = true) });

          await vi.advanceTimersByTimeAsync(stopAt);
          if (stop === 'unsubscribe') subscription.unsubscribe();
          if (stop === 'cancel') cancel$.next('stop');
          if (stop === 'after_turn') cancel$.next({ reason: 'stop later', mode: 'after_turn' });
          if (stop === 'interrupt') inject$.next('change of plan');
          await vi.runAllTimersAsync();

          expect(ended || stop === 'unsubscribe').toBe(true);
          const spans = harness.expectAllEndedChildrenFirst();
          tallied(`${stop}:${spans > 5 ? 'over 5 spans' : 'up to 5 spans'}`);
          expect(spans).toBeGreaterThanOrEqual(stop === 'unsubscribe' && stopAt === 0 ? 1 : 3);
          expect(harness.byName('run A')).toHaveLength(1);
        },
      ),
      { numRuns: propertyRuns },
    );
  });
});
