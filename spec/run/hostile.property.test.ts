import fc from 'fast-check';
import { config, Observable, Subject, Subscriber } from 'rxjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { Agent, AgentsError, MemorySession, ScriptedModel, run, tool, type InputItem, type ModelRequest, type ScriptedTurn, type Session, type StreamEvent } from '../../lib/index.js';
import { expectPaired } from '../helpers/collect.js';
import { propertyRuns, propertyTimeoutMs, tally } from '../helpers/property-runs.js';

type ToolKind = 'ok' | 'slow' | 'throws' | 'deaf' | 'cancel_throws' | 'progress';
type StopKind = 'cancel' | 'after_turn' | 'signal' | 'unsubscribe' | 'inject' | 'interrupt';
type SessionKind = 'none' | 'memory' | 'slow' | 'rejects' | 'throws' | 'hangs';
type Thrower = 'none' | 'instructions' | 'guardrail' | 'extractor';

const scenario = fc.record({
  toolTurns: fc.array(fc.array(fc.constantFrom<ToolKind>('ok', 'slow', 'throws', 'deaf', 'cancel_throws', 'progress'), { minLength: 1, maxLength: 3 }), { maxLength: 3 }),
  // Synchronous models (no delay at all) half the time.
  chunkDelay: fc.constantFrom(0, 0, 1, 3),
  // Stops issued from inside the subscriber's handler, at the n-th event: several per run.
  stops: fc.array(fc.record({ at: fc.integer({ min: 0, max: 25 }), kind: fc.constantFrom<StopKind>('cancel', 'after_turn', 'signal', 'unsubscribe', 'inject', 'interrupt') }), { maxLength: 3 }),
  session: fc.constantFrom<SessionKind>('none', 'memory', 'memory', 'slow', 'rejects', 'throws', 'hangs'),
  throwIn: fc.constantFrom<Thrower>('none', 'none', 'instructions', 'guardrail', 'extractor'),
  throwAtTurn: fc.integer({ min: 1, max: 3 }),
});

const unhandled: unknown[] = [];
const onUnhandled = (error: unknown) => void unhandled.push(error);

describe('property: hostile use (synchronous models, stops from handlers, failing stores, throwing callbacks)', () => {
  const count = tally('hostile use');
  beforeAll(() => {
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
    config.onUnhandledError = onUnhandled;
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
    config.onUnhandledError = null;
  });
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('one terminal status, typed failures, a valid session, nothing left running, nothing thrown at the process', { timeout: propertyTimeoutMs }, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ toolTurns, chunkDelay, stops, session: sessionKind, throwIn, throwAtTurn }) => {
        const running = new Set<string>();
        const make = (kind: ToolKind) =>
          tool({
            name: kind,
            description: kind,
            parameters: z.object({}),
            // A tool that ignores its signal is bounded by its timeout.
            ...(kind === 'deaf' ? { timeoutMs: 20 } : {}),
            execute: (_a, { signal, callId, progress }) => {
              if (kind === 'ok') return 'fine';
              if (kind === 'throws') throw new TypeError('tool bug');
              if (kind === 'progress') progress('at once');
              running.add(callId);
              if (kind === 'deaf') return new Promise<string>(() => undefined);
              return new Promise<string>((resolve, reject) => {
                const t = setTimeout(() => (running.delete(callId), resolve('slow done')), 7);
                signal.addEventListener('abort', () => (clearTimeout(t), running.delete(callId), reject(signal.reason)));
              });
            },
            onCancel: (ctx) => {
              running.delete(ctx.callId);
              if (kind === 'cancel_throws') throw new Error('cleanup bug');
            },
          });
        const tools = (['ok', 'slow', 'throws', 'deaf', 'cancel_throws', 'progress'] as const).map(make);
        const turnFor = (request: ModelRequest, call: number): ScriptedTurn => {
          const done = request.input.filter((i) => i.type === 'function_call_output').length;
          let index = 0;
          let seen = 0;
          while (index < toolTurns.length && seen + toolTurns[index]!.length <= done) seen += toolTurns[index++]!.length;
          const kinds = toolTurns[index];
          if (!kinds || call > 8) return { text: 'all done' };
          return { text: 'working', toolCalls: kinds.map((name) => ({ name })) };
        };
        const model = new ScriptedModel({ turns: turnFor, delayMs: chunkDelay });
        const inner = new Agent({ name: 'Inner', model: new ScriptedModel({ turns: [{ text: 'inner answer' }] }) });
        const asTool = inner.asTool({
          toolName: 'ask_inner',
          toolDescription: 'asks',
          outputExtractor: (r) => {
            if (throwIn === 'extractor') throw new Error('extractor bug');
            return r.finalOutput;
          },
        });
        let turn = 0;
        const agent = new Agent({
          name: 'A',
          model,
          tools: [...tools, asTool],
          instructions: () => {
            if (throwIn === 'instructions' && ++turn === throwAtTurn) throw new TypeError('prompt bug');
            return 'Be brief.';
          },
          inputGuardrails:
            throwIn === 'guardrail'
              ? [{ name: 'g', execute: () => { throw new TypeError('guard bug'); } }]
              : [],
        });

        const memory = new MemorySession();
        const session = makeSession(sessionKind, memory);
        const cancel$ = new Subject<string | { reason: string; mode: 'after_turn' }>();
        const inject$ = new Subject<string>();
        const controller = new AbortController();
        const events: StreamEvent[] = [];
        let ended = false;
        let unsubscribed = false;
        let failure: unknown;
        let stopIssuedAt: number | undefined;
        const pending = [...stops].sort((a, b) => a.at - b.at);
        const subscriber: Subscriber<StreamEvent> = new Subscriber<StreamEvent>({
          next: (e: StreamEvent) => {
            events.push(e);
            while (pending.length > 0 && pending[0]!.at <= events.length && !subscriber.closed) {
              const { kind } = pending.shift()!;
              stopIssuedAt ??= events.length;
              if (kind === 'unsubscribe') {
                unsubscribed = true;
                subscriber.unsubscribe();
              }
              if (kind === 'cancel') cancel$.next('stop');
              if (kind === 'after_turn') cancel$.next({ reason: 'stop later', mode: 'after_turn' });
              if (kind === 'signal') controller.abort('aborted');
              if (kind === 'inject' || kind === 'interrupt') inject$.next('more input');
            }
          },
          error: (e: unknown) => ((failure = e), (ended = true)),
          complete: () => (ended = true),
        });
        run(agent, 'start', {
          ...(session ? { session, sessionTimeoutMs: 50 } : {}),
          cancel$,
          inject$,
          signal: controller.signal,
          injectMode: stops.some((s) => s.kind === 'interrupt') ? 'interrupt' : 'queue',
          maxTurns: 6,
          onError: () => undefined,
        }).subscribe(subscriber);
        await vi.runAllTimersAsync();

        // Every run ends (or was left), whatever was stopped, thrown or hung.
        expect(ended || unsubscribed).toBe(true);
        expect(events[0]).toEqual({ type: 'run.updated', status: 'running' });
        const terminals = events.filter((e) => e.type === 'run.updated' && e.status !== 'running');
        if (!unsubscribed || (terminals.length > 0 && events.at(-1) === terminals[0])) {
          expect(terminals).toHaveLength(1);
          expect(events.at(-1)).toBe(terminals[0]);
        }
        const terminal = terminals[0]?.type === 'run.updated' ? terminals[0] : undefined;
        count(terminal ? `${terminal.status}${terminal.error ? `:${terminal.error.name}` : ''}` : 'unsubscribed');
        // A failure is typed, and the Observable errors only after a failed terminal.
        if (failure !== undefined) {
          expect(failure).toBeInstanceOf(AgentsError);
          expect(terminal?.status).toBe('failed');
          expect(terminal?.error).toBe(failure);
        }
        if (terminal?.status === 'cancelled') expect(stopIssuedAt).toBeDefined();

        // The stored history is valid model input, with the input once.
        if (sessionKind === 'memory' || sessionKind === 'slow') {
          const history = await memory.getItems();
          expectPaired(history);
          expect(history.filter((i) => 'content' in i && i.content === 'start')).toHaveLength(history.length > 0 ? 1 : 0);
          if (terminal?.result) expect(history).toEqual(terminal.result.history);
        }
        expect(model.openStreams).toBe(0);
        expect(running.size).toBe(0);
        expect(vi.getTimerCount()).toBe(0);
        expect(cancel$.observed || inject$.observed).toBe(false);
        expect(unhandled).toEqual([]);
      }),
      { numRuns: propertyRuns },
    );
  });
});

function makeSession(kind: SessionKind, memory: MemorySession): Session | undefined {
  switch (kind) {
    case 'none':
      return undefined;
    case 'memory':
      return memory;
    case 'slow':
      return {
        getItems: () => memory.getItems(),
        addItems: (items: readonly InputItem[]) => new Promise<void>((resolve) => setTimeout(() => void memory.addItems(items).then(resolve), 3)),
        clear: () => memory.clear(),
      };
    case 'rejects':
      return { getItems: () => Promise.resolve([]), addItems: () => Promise.reject(new Error('disk full')), clear: () => Promise.resolve() };
    case 'throws':
      return {
        getItems: () => Promise.resolve([]),
        addItems: () => {
          throw new TypeError('not a store');
        },
        clear: () => Promise.resolve(),
      };
    case 'hangs':
      return { getItems: () => Promise.resolve([]), addItems: () => new Promise<void>(() => undefined), clear: () => Promise.resolve() };
  }
}

export type { Observable };
