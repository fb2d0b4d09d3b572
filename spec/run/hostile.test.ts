import { config, firstValueFrom, Observable, of, retry, Subject, EMPTY, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  AgentsError,
  MaxTurnsExceededError,
  MemorySession,
  ModelError,
  OutputGuardrailTripwireTriggered,
  ScriptedModel,
  SessionError,
  ToolCallError,
  UserCodeError,
  UserError,
  run,
  toResult,
  tool,
  type InputItem,
  type Model,
  type RunInput,
  type Session,
  type StreamEvent,
  type ToolApprovalDecision,
} from '../../lib/index.js';
import { collect, expectPaired, statuses } from '../helpers/collect.js';
import { ToolProbe, until, waitingTool } from '../helpers/probe-tools.js';

const terminal = (events: readonly StreamEvent<unknown>[]) => {
  const last = events.at(-1);
  return last?.type === 'run.updated' ? last : undefined;
};
const outputs = (events: readonly StreamEvent<unknown>[]) =>
  events.flatMap((e) => (e.type === 'item.created' && e.item.type === 'tool_output' ? [e.item] : []));
const userTexts = (input: readonly InputItem[]) =>
  input.flatMap((i) => ('role' in i && i.role === 'user' && typeof i.content === 'string' ? [i.content] : []));

/** Subscribes with a handler, like a user would, and gathers the events. */
function drive<T>(events$: Observable<StreamEvent<T>>, handler: (e: StreamEvent<T>) => void = () => undefined) {
  return new Promise<{ events: StreamEvent<T>[]; error?: unknown }>((resolve) => {
    const events: StreamEvent<T>[] = [];
    events$.subscribe({
      next: (e) => (events.push(e), handler(e)),
      error: (error: unknown) => resolve({ events, error }),
      complete: () => resolve({ events }),
    });
  });
}

const gated = (name = 'gated') =>
  tool({ name, description: 'needs approval', parameters: z.object({}), needsApproval: true, execute: () => 'done' });

describe('1. control streams are live from the instant of subscribe', () => {
  it('a cancel sent from the handler of the first event cancels the run before any model call', async () => {
    const cancel$ = new Subject<string>();
    const model = new ScriptedModel({ turns: [{ text: 'never' }] });
    const { events } = await drive(run(new Agent({ name: 'A', model }), 'hi', { cancel$ }), (e) => {
      if (e.type === 'run.updated' && e.status === 'running') cancel$.next('changed my mind');
    });
    expect(statuses(events)).toEqual(['running', 'cancelled']);
    expect(terminal(events)?.reason).toBe('changed my mind');
    expect(model.requests).toHaveLength(0);
  });

  it('input injected from the handler of the first event reaches the model', async () => {
    const inject$ = new Subject<RunInput>();
    const model = new ScriptedModel({ turns: [{ text: 'ok' }] });
    await drive(run(new Agent({ name: 'A', model }), 'first', { inject$ }), (e) => {
      if (e.type === 'run.updated' && e.status === 'running') inject$.next('second');
    });
    expect(userTexts(model.requests[0]!.input)).toEqual(['first', 'second']);
  });

  it('an approval sent from the handler of the first event is used when the call asks', async () => {
    const approvals$ = new Subject<ToolApprovalDecision>();
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'gated', callId: 'c1' }] }, { text: 'ok' }] });
    const { events } = await drive(run(new Agent({ name: 'A', model, tools: [gated()] }), 'go', { approvals$ }), (e) => {
      if (e.type === 'run.updated' && e.status === 'running') approvals$.next({ callId: 'c1', approved: true });
    });
    expect(statuses(events)).toEqual(['running', 'completed']);
    expect(outputs(events)[0]?.output).toBe('done');
  });
});

describe('2. an after_turn cancel ends the run at the end of the turn', () => {
  it('a call waiting for approval is then cut off like any other, with a paired output', async () => {
    const cancel$ = new Subject<{ reason: string; mode: 'after_turn' }>();
    const session = new MemorySession();
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'gated' }] }, { text: 'never' }] });
    const { events } = await drive(run(new Agent({ name: 'A', model, tools: [gated()] }), 'go', { cancel$, session }), (e) => {
      if (e.type === 'tool.approval_requested') cancel$.next({ reason: 'closing time', mode: 'after_turn' });
    });
    expect(statuses(events)).toEqual(['running', 'cancelled']);
    expect(terminal(events)?.reason).toBe('closing time');
    expect(outputs(events)[0]?.error).toMatchObject({ kind: 'cancelled' });
    expect(model.requests).toHaveLength(1);
    expectPaired(await session.getItems());
  });

  it('a handoff requested in the last turn is recorded but not taken', async () => {
    const cancel$ = new Subject<{ reason: string; mode: 'after_turn' }>();
    let handedOff = false;
    const billing = new Agent({ name: 'Billing', model: new ScriptedModel({ turns: [{ text: 'billing here' }] }) });
    const { handoff } = await import('../../lib/index.js');
    const triage = new Agent({
      name: 'Triage',
      model: new ScriptedModel({ turns: [{ text: 'Let me transfer you.', delayMs: 1, toolCalls: [{ name: 'transfer_to_billing' }] }] }),
      handoffs: [handoff(billing, { onHandoff: () => void (handedOff = true) })],
    });
    const { events } = await drive(run(triage, 'refund?', { cancel$ }), (e) => {
      if (e.type === 'text.delta') cancel$.next({ reason: 'enough', mode: 'after_turn' });
    });
    expect(statuses(events)).toEqual(['running', 'cancelled']);
    expect(handedOff).toBe(false);
    expect(terminal(events)?.result?.lastAgent).toBe('Triage');
    expect(outputs(events)[0]?.rawItem.output).toContain('was not taken');
    expectPaired(terminal(events)!.result!.history);
  });
});

describe('3. an onCancel that throws is reported and changes nothing else', () => {
  const throwing = (probe: ToolProbe) =>
    tool({
      name: 'wait',
      description: 'waits',
      parameters: z.object({}),
      timeoutMs: 5,
      execute: (_a, { callId }) => (probe.started.push(callId), new Promise<string>(() => undefined)),
      onCancel: () => {
        throw new Error('cleanup exploded');
      },
    });

  it('on cancel$: the run is cancelled and the cut-off call carries the onCancel error', async () => {
    const probe = new ToolProbe();
    const cancel$ = new Subject<string>();
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'wait' }] }] });
    const agent = new Agent({ name: 'A', model, tools: [tool({ ...throwingOptions(probe) })] });
    const done = collect(run(agent, 'go', { cancel$ }));
    await until(() => probe.started.length === 1);
    cancel$.next('stop');
    const { events, error } = await done;
    expect(error).toBeUndefined();
    expect(statuses(events)).toEqual(['running', 'cancelled']);
    expect(outputs(events)[0]).toMatchObject({ error: { kind: 'cancelled' }, onCancelError: { message: 'cleanup exploded' } });
  });

  it('on unsubscribe: nothing is thrown at the caller', async () => {
    const probe = new ToolProbe();
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'wait' }] }] });
    const subscription = run(new Agent({ name: 'A', model, tools: [tool({ ...throwingOptions(probe) })] }), 'go').subscribe();
    await until(() => probe.started.length === 1);
    expect(() => subscription.unsubscribe()).not.toThrow();
  });

  it('on a timeout: the call fails with a typed timeout error, and the onCancel error is on its item', async () => {
    const probe = new ToolProbe();
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'wait' }] }, { text: 'ok' }] });
    const { events } = await collect(run(new Agent({ name: 'A', model, tools: [throwing(probe)] }), 'go'));
    expect(statuses(events)).toEqual(['running', 'completed']);
    const item = outputs(events)[0]!;
    expect(item.error).toBeInstanceOf(ToolCallError);
    expect(item.error?.kind).toBe('timeout');
    expect(item.onCancelError?.message).toBe('cleanup exploded');
  });

  function throwingOptions(probe: ToolProbe) {
    return {
      name: 'wait',
      description: 'waits',
      parameters: z.object({}),
      execute: (_a: object, { callId }: { callId: string }) => (probe.started.push(callId), new Promise<string>(() => undefined)),
      onCancel: () => {
        throw new Error('cleanup exploded');
      },
    };
  }
});

describe('4. user code that throws inside the loop cannot crash the process or hang the run', () => {
  it('a throwing outputExtractor fails the tool call, not the process', async () => {
    const inner = new Agent({ name: 'Inner', model: new ScriptedModel({ turns: [{ text: 'hola' }] }) });
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'ask', arguments: { input: 'x' } }] }, { text: 'ok' }] });
    const asker = inner.asTool({
      toolName: 'ask',
      toolDescription: 'asks',
      outputExtractor: () => {
        throw new Error('extractor bug');
      },
    });
    const { events } = await collect(run(new Agent({ name: 'A', model, tools: [asker] }), 'go'));
    expect(statuses(events)).toEqual(['running', 'completed']);
    expect(outputs(events)[0]?.error).toMatchObject({ kind: 'execution_failed' });
    expect(outputs(events)[0]?.rawItem.output).toContain('extractor bug');
  });

  it('a custom model emitting a malformed event fails the run with a ModelError', async () => {
    const broken: Model = {
      provider: 'custom',
      modelName: 'broken',
      stream: () => of({ type: 'item.done', item: { nonsense: true } } as never) as never,
    };
    const { events, error } = await collect(run(new Agent({ name: 'A', model: broken }), 'hi'));
    expect(statuses(events)).toEqual(['running', 'failed']);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as Error).message).toContain('cannot read');
  });
});

describe('5. the session write is part of the run lifecycle', () => {
  const hanging = (): Session & { calls: number } => {
    const session = {
      calls: 0,
      getItems: () => Promise.resolve([]),
      addItems: () => ((session.calls += 1), new Promise<void>(() => undefined)),
      clear: () => Promise.resolve(),
    };
    return session;
  };

  it('a write that never settles does not block the run: it fails, typed, within sessionTimeoutMs', async () => {
    const session = hanging();
    const model = new ScriptedModel({ turns: [{ text: 'ok' }] });
    const { events, error } = await collect(run(new Agent({ name: 'A', model }), 'hi', { session, sessionTimeoutMs: 20 }));
    expect(statuses(events)).toEqual(['running', 'failed']);
    expect(error).toBeInstanceOf(SessionError);
    expect((error as Error).message).toContain('did not settle within 20 ms');
  });

  it('a cancel while the write hangs ends the run within the cancel grace, the write reported failed', async () => {
    const session = hanging();
    const cancel$ = new Subject<string>();
    const model = new ScriptedModel({ turns: [{ text: 'ok' }] });
    const done = collect(run(new Agent({ name: 'A', model }), 'hi', { session, cancel$, sessionTimeoutMs: 60_000 }));
    await until(() => session.calls === 1);
    const cancelledAt = performance.now();
    cancel$.next('stop');
    const { events, error } = await done;
    expect(performance.now() - cancelledAt).toBeLessThan(2000);
    expect(terminal(events)?.reason).toBe('stop');
    expect(statuses(events)).toEqual(['running', 'failed']);
    expect(error).toBeInstanceOf(SessionError);
    expect((error as Error).message).toContain('did not finish before the run was stopped');
  });

  it('a second cancel while a cancelled run waits for its pending write ends the wait at once', async () => {
    const session = hanging();
    const cancel$ = new Subject<string>();
    const model = new ScriptedModel({ turns: [{ text: 'ok' }] });
    // Timers on a scheduler nobody flushes: the grace never runs out, only a stop can end the wait.
    const scheduler = new VirtualTimeScheduler();
    let ended = false;
    const done = collect(run(new Agent({ name: 'A', model }), 'hi', { session, cancel$, scheduler, sessionTimeoutMs: 60_000 })).finally(() => (ended = true));
    await until(() => session.calls === 1);
    cancel$.next('stop');
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(ended).toBe(false);
    cancel$.next('stop now');
    const { events, error } = await done;
    expect(terminal(events)?.reason).toBe('stop');
    expect(statuses(events)).toEqual(['running', 'failed']);
    expect((error as Error).message).toContain('did not finish before the run was stopped');
  });

  it("a stop after the run's body ended tells no closed subscriber (RxJS's stopped-notification hook stays silent)", async () => {
    const stopped: string[] = [];
    const previous = config.onStoppedNotification;
    config.onStoppedNotification = (notification) => void stopped.push(notification.kind);
    try {
      let finish!: () => void;
      let calls = 0;
      const session: Session = {
        getItems: () => Promise.resolve([]),
        addItems: () => (++calls === 1 ? Promise.resolve() : new Promise<void>((resolve) => (finish = resolve))),
        clear: () => Promise.resolve(),
      };
      const cancel$ = new Subject<string>();
      const done = collect(run(new Agent({ name: 'A', model: new ScriptedModel({ turns: [{ text: 'ok' }] }) }), 'hi', { session, cancel$ }));
      await until(() => calls === 2);
      cancel$.next('late');
      finish();
      const { events } = await done;
      expect(statuses(events)).toEqual(['running', 'completed']);
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(stopped).toEqual([]);
    } finally {
      config.onStoppedNotification = previous;
    }
  });

  it('a cancel that comes while a completed run writes its last items changes nothing: the run completes, its history whole', async () => {
    const stored: InputItem[][] = [];
    let finish!: () => void;
    const session: Session & { calls: number } = {
      calls: 0,
      getItems: () => Promise.resolve([]),
      addItems: (items) => {
        session.calls += 1;
        stored.push([...items]);
        // The first write (the input) settles at once; the last one waits for the test.
        return session.calls === 1 ? Promise.resolve() : new Promise<void>((resolve) => (finish = resolve));
      },
      clear: () => Promise.resolve(),
    };
    const cancel$ = new Subject<string>();
    const model = new ScriptedModel({ turns: [{ text: 'done' }] });
    const done = collect(run(new Agent({ name: 'A', model }), 'hi', { session, cancel$ }));
    await until(() => session.calls === 2);
    cancel$.next('too late');
    await Promise.resolve();
    finish();
    const { events, error } = await done;
    expect(error).toBeUndefined();
    expect(statuses(events)).toEqual(['running', 'completed']);
    expect(terminal(events)?.result?.finalOutput).toBe('done');
    expect(stored.flat().map((i) => ('role' in i ? i.role : i.type))).toEqual(['user', 'assistant']);
  });

  it('a synchronous throw from addItems: called once, the run fails with a SessionError', async () => {
    let calls = 0;
    const session: Session = {
      getItems: () => Promise.resolve([]),
      addItems: () => {
        calls++;
        throw new TypeError('store is not a function');
      },
      clear: () => Promise.resolve(),
    };
    const model = new ScriptedModel({ turns: [{ text: 'ok' }] });
    const { events, error } = await collect(run(new Agent({ name: 'A', model }), 'hi', { session }));
    expect(statuses(events)).toEqual(['running', 'failed']);
    expect(error).toBeInstanceOf(SessionError);
    expect((error as SessionError).cause).toBeInstanceOf(TypeError);
    expect(calls).toBe(1);
  });

  it('after an unsubscribe, a failed write goes to onError; a later run on the session sees the history', async () => {
    const reported: AgentsError[] = [];
    let writes = 0;
    // The input is stored; the write after the unsubscribe fails.
    const failing: Session = {
      getItems: () => Promise.resolve([]),
      addItems: () => (++writes === 1 ? Promise.resolve() : Promise.reject(new Error('disk full'))),
      clear: () => Promise.resolve(),
    };
    const probe = new ToolProbe();
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'wait' }] }] });
    const agent = new Agent({ name: 'A', model, tools: [waitingTool(probe)] });
    const s1 = run(agent, 'go', { session: failing, onError: (e) => reported.push(e) }).subscribe({ error: () => undefined });
    await until(() => probe.started.length === 1);
    s1.unsubscribe();
    await until(() => reported.length > 0);
    expect(reported[0]).toBeInstanceOf(SessionError);

    // A slow store: the next run waits for the unsubscribed run's writes before reading.
    const items: InputItem[] = [];
    const slow: Session = {
      getItems: () => Promise.resolve([...items]),
      addItems: (batch) => new Promise<void>((resolve) => setTimeout(() => (items.push(...batch), resolve()), 5)),
      clear: () => Promise.resolve(),
    };
    const probe2 = new ToolProbe();
    const first = run(new Agent({ name: 'A', model: new ScriptedModel({ turns: [{ toolCalls: [{ name: 'wait' }] }] }), tools: [waitingTool(probe2)] }), 'go', {
      session: slow,
    }).subscribe();
    await until(() => probe2.started.length === 1, 5000);
    first.unsubscribe();
    const next = new ScriptedModel({ turns: [{ text: 'continued' }] });
    await firstValueFrom(run(new Agent({ name: 'A', model: next }), 'again', { session: slow }).pipe(toResult()));
    expect(next.requests[0]!.input.map((i) => i.type ?? 'message')).toEqual(['message', 'function_call', 'function_call_output', 'message']);
    expectPaired(next.requests[0]!.input);
  });
});

describe('6. every failure is typed and names the component', () => {
  const failing = (message: string) => () => {
    throw new TypeError(message);
  };

  it.each([
    ['an input guardrail', { inputGuardrails: [{ name: 'no_pii', execute: failing('bad guard') }] }, 'Input guardrail "no_pii" of agent "A"'],
    ['dynamic instructions', { instructions: failing('bad prompt') }, 'The instructions function of agent "A"'],
  ] as const)('%s that throws', async (_what, extra, component) => {
    const model = new ScriptedModel({ turns: [{ text: 'ok', delayMs: 5 }] });
    const { events, error } = await collect(run(new Agent({ name: 'A', model, ...(extra as object) }), 'hi'));
    expect(statuses(events)).toEqual(['running', 'failed']);
    expect(error).toBeInstanceOf(UserCodeError);
    expect((error as UserCodeError).component).toBe(component);
    expect((error as Error).message).toContain(component);
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });

  it('a guardrail that answers nothing (EMPTY) is an error, not a pass', async () => {
    const model = new ScriptedModel({ turns: [{ text: 'ok' }] });
    const agent = new Agent({ name: 'A', model, outputGuardrails: [{ name: 'silent', execute: () => EMPTY }] });
    const { events, error } = await collect(run(agent, 'hi'));
    expect(statuses(events)).toEqual(['running', 'failed']);
    expect(error).toBeInstanceOf(UserCodeError);
    expect((error as Error).message).toContain('Output guardrail "silent" of agent "A" completed without an answer');
  });

  it('onHandoff that throws names the handoff', async () => {
    const { handoff } = await import('../../lib/index.js');
    const b = new Agent({ name: 'B', model: new ScriptedModel({ turns: [{ text: 'b' }] }) });
    const a = new Agent({
      name: 'A',
      model: new ScriptedModel({ turns: [{ toolCalls: [{ name: 'transfer_to_b' }] }] }),
      handoffs: [handoff(b, { onHandoff: failing('hook bug') })],
    });
    const { error } = await collect(run(a, 'hi'));
    expect(error).toBeInstanceOf(UserCodeError);
    expect((error as Error).message).toContain('The onHandoff of the handoff from "A" to "B" failed: TypeError: hook bug');
  });

  it('session.getItems that throws is a SessionError naming the session', async () => {
    const session: Session = { id: 'conv-9', getItems: failing('no db'), addItems: () => Promise.resolve(), clear: () => Promise.resolve() };
    const { events, error } = await collect(run(new Agent({ name: 'A', model: new ScriptedModel({ turns: [] }) }), 'hi', { session }));
    expect(statuses(events)).toEqual(['running', 'failed']);
    expect(error).toBeInstanceOf(SessionError);
    expect((error as Error).message).toBe('Session "conv-9": getItems threw: TypeError: no db');
  });
});

describe('7. maxTurns', () => {
  it.each([NaN, -1, 0, 1.5])('maxTurns %s is a UserError at subscribe, as a failed run', async (maxTurns) => {
    const model = new ScriptedModel({ turns: [{ text: 'ok' }] });
    const { events, error } = await collect(run(new Agent({ name: 'A', model }), 'hi', { maxTurns }));
    expect(statuses(events)).toEqual(['running', 'failed']);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain('maxTurns');
    expect(model.requests).toHaveLength(0);
  });

  it('restarts after an interrupting injection count as turns', async () => {
    const inject$ = new Subject<string>();
    const model = new ScriptedModel({ turns: () => ({ text: 'a long answer that keeps going', delayMs: 1 }) });
    const { error } = await drive(run(new Agent({ name: 'A', model }), 'hi', { inject$, injectMode: 'interrupt', maxTurns: 2 }), (e) => {
      if (e.type === 'text.delta') inject$.next('more');
    });
    expect(error).toBeInstanceOf(MaxTurnsExceededError);
    expect(model.requests).toHaveLength(2);
  });
});

describe('8. tool name clashes', () => {
  it.each([
    ['two tools with one name', [tool({ name: 'x', description: 'x', parameters: z.object({}), execute: () => 1 }), tool({ name: 'x', description: 'x', parameters: z.object({}), execute: () => 2 })], 'two tools are named "x"'],
    ['a tool named like a transfer tool', [tool({ name: 'transfer_to_b', description: 'x', parameters: z.object({}), execute: () => 1 })], 'uses the tool name "transfer_to_b"'],
  ])('%s: a UserError before any model call', async (_what, tools, message) => {
    const b = new Agent({ name: 'B' });
    const model = new ScriptedModel({ turns: [{ text: 'ok' }] });
    const { events, error } = await collect(run(new Agent({ name: 'A', model, tools, handoffs: [b] }), 'hi'));
    expect(statuses(events)).toEqual(['running', 'failed']);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(message);
    expect(model.requests).toHaveLength(0);
  });
});

describe('9. a blocked answer is never stored nor resent', () => {
  it('an output guardrail tripwire keeps the answer out of the session', async () => {
    const session = new MemorySession();
    const model = new ScriptedModel({ turns: [{ text: 'the secret is 42' }, { text: 'fine' }] });
    const guard = { name: 'no_secrets', execute: (o: unknown) => ({ tripwireTriggered: String(o).includes('secret') }) };
    const { error } = await collect(run(new Agent({ name: 'A', model, outputGuardrails: [guard] }), 'tell me', { session }));
    expect(error).toBeInstanceOf(OutputGuardrailTripwireTriggered);
    expect(JSON.stringify(await session.getItems())).not.toContain('secret is 42');
    await firstValueFrom(run(new Agent({ name: 'A', model }), 'again', { session }).pipe(toResult()));
    expect(JSON.stringify(model.requests[1]!.input)).not.toContain('secret is 42');
  });

  it('even when the handler of the tripwire event cancels the run', async () => {
    const session = new MemorySession();
    const cancel$ = new Subject<string>();
    const model = new ScriptedModel({ turns: [{ text: 'the secret is 42' }] });
    const guard = { name: 'no_secrets', execute: (o: unknown) => ({ tripwireTriggered: String(o).includes('secret') }) };
    const { events } = await drive(run(new Agent({ name: 'A', model, outputGuardrails: [guard] }), 'tell me', { session, cancel$ }), (e) => {
      if (e.type === 'guardrail.result') cancel$.next('seen enough');
    });
    const terminal = events.at(-1);
    expect(terminal?.type === 'run.updated' && terminal.result?.items.map((i) => i.type)).toEqual([]);
    expect(JSON.stringify(await session.getItems())).not.toContain('secret is 42');
  });
});

describe('10. retry() on a failed run', () => {
  it('stores the input once, whatever the number of attempts', async () => {
    const session = new MemorySession();
    let calls = 0;
    const model = new ScriptedModel({ turns: () => (++calls < 3 ? { text: 'x', fail: 'flaky' } : { text: 'finally' }) });
    const result = await firstValueFrom(run(new Agent({ name: 'A', model }), 'question', { session }).pipe(retry(2), toResult()));
    expect(result.finalOutput).toBe('finally');
    expect(userTexts(await session.getItems())).toEqual(['question']);
    expect(userTexts(model.requests[2]!.input)).toEqual(['question']);
  });
});

describe('12. agents as tools: usage and approvals', () => {
  it('the nested run usage adds up; its approvals surface on the outer run and are answered there', async () => {
    const innerModel = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'gated', callId: 'inner_1' }], usage: { inputTokens: 7, outputTokens: 3 } }, { text: 'hola', usage: { inputTokens: 5, outputTokens: 1 } }] });
    const inner = new Agent({ name: 'Inner', model: innerModel, tools: [gated()] });
    const model = new ScriptedModel({
      turns: [
        { toolCalls: [{ name: 'ask', arguments: { input: 'x' } }], usage: { inputTokens: 100, outputTokens: 10 } },
        { text: 'ok', usage: { inputTokens: 200, outputTokens: 20 } },
      ],
    });
    const approvals$ = new Subject<ToolApprovalDecision>();
    const agent = new Agent({ name: 'A', model, tools: [inner.asTool({ toolName: 'ask', toolDescription: 'asks' })] });
    const { events } = await drive(run(agent, 'go', { approvals$ }), (e) => {
      if (e.type === 'tool.approval_requested') approvals$.next({ callId: e.callId, approved: true });
    });
    expect(statuses(events)).toEqual(['running', 'completed']);
    expect(events.filter((e) => e.type === 'tool.approval_requested').map((e) => e.type === 'tool.approval_requested' && e.callId)).toEqual(['inner_1']);
    const usage = terminal(events)!.result!.usage;
    expect(usage.inputTokens).toBe(312);
    expect(usage.outputTokens).toBe(34);
  });
});

describe('13. tool output text', () => {
  it('is cut to maxToolOutputChars, and says so to the model and on the item', async () => {
    const big = tool({ name: 'big', description: 'big', parameters: z.object({}), execute: () => 'x'.repeat(5_000_000) });
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'big' }] }, { text: 'ok' }] });
    const { events } = await collect(run(new Agent({ name: 'A', model, tools: [big] }), 'go', { maxToolOutputChars: 1000 }));
    const item = outputs(events)[0]!;
    expect(item.truncatedFrom).toBe(5_000_000);
    expect(item.rawItem.output.length).toBeLessThan(1100);
    expect(item.rawItem.output).toContain('[output truncated: 1000 of 5000000 characters shown]');
  });

  it.each([
    ['a BigInt', () => ({ n: 10n })],
    ['a cycle', () => {
      const a: Record<string, unknown> = {};
      a['self'] = a;
      return a;
    }],
    ['a Map', () => new Map([['a', 1]])],
  ])('%s is a typed tool-call error, not garbage', async (_what, value) => {
    const odd = tool({ name: 'odd', description: 'odd', parameters: z.object({}), execute: value as () => unknown });
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'odd' }] }, { text: 'ok' }] });
    const { events } = await collect(run(new Agent({ name: 'A', model, tools: [odd] }), 'go'));
    const item = outputs(events)[0]!;
    expect(item.error?.kind).toBe('invalid_output');
    expect(item.rawItem.output).not.toMatch(/^\{\}$|object Object/);
  });
});

describe('14, 16. cut-off calls and late input', () => {
  it('cut-off calls carry a ToolCallError of kind cancelled', async () => {
    const probe = new ToolProbe();
    const cancel$ = new Subject<string>();
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'wait' }] }] });
    const done = collect(run(new Agent({ name: 'A', model, tools: [waitingTool(probe)] }), 'go', { cancel$ }));
    await until(() => probe.started.length === 1);
    cancel$.next('stop');
    const item = outputs((await done).events)[0]!;
    expect(item.error).toBeInstanceOf(ToolCallError);
    expect(item.error?.kind).toBe('cancelled');
  });

  it('input injected while the session is written is reported unconsumed and stored', async () => {
    const inject$ = new Subject<string>();
    const items: InputItem[] = [];
    let writes = 0;
    const session: Session = {
      getItems: () => Promise.resolve([...items]),
      addItems: (batch) => {
        writes++;
        // During the last write, more input arrives.
        if (writes === 2) inject$.next('one more thing');
        items.push(...batch);
        return Promise.resolve();
      },
      clear: () => Promise.resolve(),
    };
    const model = new ScriptedModel({ turns: [{ text: 'done' }] });
    const { events } = await collect(run(new Agent({ name: 'A', model }), 'hi', { session, inject$ }));
    expect(terminal(events)?.result?.unconsumedInput).toEqual([{ role: 'user', content: 'one more thing' }]);
    expect(userTexts(items)).toEqual(['hi', 'one more thing']);
  });
});

describe('18, 19. bad input and misused agents fail at the door', () => {
  it.each([
    [42, 'expected text'],
    [null, 'got null'],
    [{ foo: 1 }, 'role'],
    [{ role: 'robot', content: 'beep' }, 'role'],
    [{ role: 'user' }, 'content'],
  ])('run input %j: a UserError naming it, and nothing stored', async (input, message) => {
    const session = new MemorySession();
    const model = new ScriptedModel({ turns: [{ text: 'ok' }] });
    const { events, error } = await collect(run(new Agent({ name: 'A', model }), input as never, { session }));
    expect(statuses(events)).toEqual(['running', 'failed']);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(message);
    expect(await session.getItems()).toEqual([]);
    expect(model.requests).toHaveLength(0);
  });

  it('injected input of the wrong shape fails the run and is never stored', async () => {
    const inject$ = new Subject<RunInput>();
    const session = new MemorySession();
    const model = new ScriptedModel({ turns: [{ text: 'slow answer', delayMs: 5 }] });
    const { events, error } = await drive(run(new Agent({ name: 'A', model }), 'hi', { session, inject$ }), (e) => {
      if (e.type === 'run.updated' && e.status === 'running') inject$.next({ role: 'robot' } as never);
    });
    expect(statuses(events)).toEqual(['running', 'failed']);
    expect((error as Error).message).toContain('Invalid inject$ value');
    expect(JSON.stringify(await session.getItems())).not.toContain('robot');
  });

  it.each([
    ['an object that is not an Agent', () => ({ name: 'x' }), 'run() expects an Agent'],
    ['null', () => null, 'got null'],
    ['handoffs: [undefined]', () => new Agent({ name: 'A', model: new ScriptedModel({ turns: [] }), handoffs: [undefined as never] }), 'handoffs[0]'],
  ])('%s: a failed run with its events and a UserError', async (_what, make, message) => {
    const { events, error } = await collect(run(make() as never, 'hi', { tracing: true }));
    expect(statuses(events)).toEqual(['running', 'failed']);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(message);
  });

  it('a tool whose parameters are a JSON schema: a UserError naming the tool', () => {
    expect(() => tool({ name: 'bad', description: 'bad', parameters: { type: 'object' } as never, execute: () => 1 })).toThrow(
      /Tool "bad": parameters must be a zod object schema/,
    );
  });
});
