import fc from 'fast-check';
import { Observable, Subject, timer, map } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { Agent, MemorySession, ScriptedModel, run, tool, type ModelRequest, type ScriptedTurn, type StreamEvent } from '../../lib/index.js';
import { expectPaired } from '../helpers/collect.js';
import { propertyRuns, propertyTimeoutMs, tally } from '../helpers/property-runs.js';

type Stop = 'none' | 'unsubscribe' | 'cancel' | 'after_turn' | 'signal' | 'interrupt';

const scenario = fc.record({
  // Tool durations for each tool-calling turn; a final text turn follows.
  toolTurns: fc.array(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 3 }), { maxLength: 3 }),
  observableTools: fc.boolean(),
  chunkDelay: fc.integer({ min: 1, max: 8 }),
  stop: fc.constantFrom<Stop>('none', 'unsubscribe', 'cancel', 'after_turn', 'signal', 'interrupt'),
  stopAt: fc.integer({ min: 0, max: 200 }),
});

describe('property: stop a run anywhere', () => {
  const count = tally('stop a run anywhere');
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('always ends cleanly: one terminal status, paired session, nothing left running', { timeout: propertyTimeoutMs }, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ toolTurns, observableTools, chunkDelay, stop, stopAt }) => {
        const running = new Set<string>();
        const work = tool({
          name: 'work',
          description: 'works for ms',
          parameters: z.object({ ms: z.number() }),
          execute: ({ ms }, { signal, callId }) => {
            running.add(callId);
            if (observableTools) {
              return new Observable<string>((subscriber) => {
                const s = timer(ms).pipe(map(() => 'done')).subscribe(subscriber);
                return () => (s.unsubscribe(), running.delete(callId));
              });
            }
            return new Promise<string>((resolve, reject) => {
              const t = setTimeout(() => (running.delete(callId), resolve('done')), ms);
              signal.addEventListener('abort', () => (clearTimeout(t), running.delete(callId), reject(signal.reason)));
            });
          },
        });
        // The turn is chosen from the history, so a restarted (interrupted) call replays the same step.
        const turnFor = (request: ModelRequest): ScriptedTurn => {
          const done = request.input.filter((i) => i.type === 'function_call' && i.call_id.endsWith('_1')).length;
          const durations = toolTurns[done];
          if (!durations) return { text: 'all done now' };
          return { text: 'working on it', toolCalls: durations.map((ms) => ({ name: 'work', arguments: { ms } })) };
        };
        const model = new ScriptedModel({ turns: turnFor, delayMs: chunkDelay });
        const session = new MemorySession();
        const cancel$ = new Subject<string | { reason: string; mode: 'after_turn' }>();
        const inject$ = new Subject<string>();
        const controller = new AbortController();
        const events: StreamEvent[] = [];
        let ended = false;
        let failure: unknown;
        const subscription = run(new Agent({ name: 'A', model, tools: [work] }), 'start', {
          session,
          cancel$,
          inject$,
          signal: controller.signal,
          injectMode: 'interrupt',
        }).subscribe({
          next: (e) => events.push(e),
          error: (e: unknown) => ((failure = e), (ended = true)),
          complete: () => (ended = true),
        });

        await vi.advanceTimersByTimeAsync(stopAt);
        const endedBeforeStop = ended;
        const seenAtStop = events.length;
        if (stop === 'unsubscribe') subscription.unsubscribe();
        if (stop === 'cancel') cancel$.next('stop');
        if (stop === 'after_turn') cancel$.next({ reason: 'stop later', mode: 'after_turn' });
        if (stop === 'signal') controller.abort('aborted');
        if (stop === 'interrupt') inject$.next('change of plan');
        await vi.runAllTimersAsync();

        expect(failure).toBeUndefined();
        expect(events[0]).toEqual({ type: 'run.updated', status: 'running' });
        const terminals = events.filter((e) => e.type === 'run.updated' && e.status !== 'running');
        if (stop === 'unsubscribe' && !endedBeforeStop) {
          expect(events.length).toBe(seenAtStop);
          expect(terminals).toHaveLength(0);
        } else {
          expect(ended).toBe(true);
          expect(terminals).toHaveLength(1);
          expect(events.at(-1)).toBe(terminals[0]);
          const status = terminals[0]?.type === 'run.updated' ? terminals[0].status : undefined;
          count(`${stop}:${status}`);
          if (stop === 'none' || stop === 'interrupt' || endedBeforeStop) expect(status).toBe('completed');
          else if (stop === 'after_turn') expect(['cancelled', 'completed']).toContain(status);
          else expect(status).toBe('cancelled');
        }

        const history = await session.getItems();
        expect(history[0]).toEqual({ role: 'user', content: 'start' });
        expectPaired(history);
        if (stop === 'interrupt' && !endedBeforeStop) {
          expect(JSON.stringify(history)).toContain('change of plan');
        }
        expect(model.openStreams).toBe(0);
        expect(running.size).toBe(0);
        expect(vi.getTimerCount()).toBe(0);
        expect(cancel$.observed || inject$.observed).toBe(false);
      }),
      { numRuns: propertyRuns },
    );
  });
});
