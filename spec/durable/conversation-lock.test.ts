import { firstValueFrom, map, merge, Subject, tap, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  localConversationLock,
  MemorySession,
  run,
  ScriptedModel,
  tool,
  type ConversationRequest,
  type InputItem,
  type OwnerClaim,
  type Session,
  UserCodeError,
} from '../../lib/index.js';
import { collect, expectPaired, statuses } from '../helpers/collect.js';
import { ToolProbe, until, waitingTool } from '../helpers/probe-tools.js';

const userTexts = (items: readonly InputItem[]) =>
  items.flatMap((i) => ('role' in i && i.role === 'user' && typeof i.content === 'string' ? [i.content] : []));

describe('conversation locks', () => {
  it('a lock that errors while its run is in flight fails the run with that error, stops its work, and frees the conversation', async () => {
    const local = localConversationLock('conv');
    const lost = new Subject<never>();
    const store = new MemorySession('conv');
    const session: Session = {
      id: 'conv',
      lock: { claim: (onBusy, input) => merge(local.claim(onBusy, input), lost) },
      getItems: () => store.getItems(),
      addItems: (items) => store.addItems(items),
      clear: () => store.clear(),
    };
    const probe = new ToolProbe();
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'wait' }] }, { text: 'again, answered' }] });
    const agent = new Agent({ name: 'A', model, tools: [waitingTool(probe)] });
    const done = collect(run(agent, 'hi', { session }));
    await until(() => probe.started.length === 1);
    const failure = new Error('the lease was lost');
    lost.error(failure);
    const { error } = await done;
    expect(error).toBe(failure);
    expect(probe.aborted).toHaveLength(1);
    // The next run waits for the history of the failed one, which is valid.
    const next = await collect(run(new Agent({ name: 'A', model }), 'again', { session: store }));
    expect(statuses(next.events)).toEqual(['running', 'completed']);
    const items = await store.getItems();
    expectPaired(items);
    expect(userTexts(items)).toEqual(['hi', 'again']);
  });

  it("a lock's requests reach its owner run: injected input joins the next turn, a cancel stops it, a failure fails it", async () => {
    // A lock of another kind than the local one (as a store's would be): its requests come through `requests$`.
    const local = localConversationLock('conv');
    const requests = new Subject<ConversationRequest>();
    const lock = {
      claim: (onBusy: 'queue', input: readonly InputItem[]) =>
        local.claim(onBusy, input).pipe(map((claim) => (claim.role === 'owner' ? { ...claim, role: 'owner' as const, requests$: requests, publish: claim.publish.bind(claim) } : claim))),
    };
    const store = new MemorySession('conv');
    const session: Session = { id: 'conv', lock, getItems: () => store.getItems(), addItems: (items) => store.addItems(items), clear: () => store.clear() };
    const probe = new ToolProbe();
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'wait' }] }, { toolCalls: [{ name: 'wait' }] }, { text: 'done' }] });
    const agent = new Agent({ name: 'A', model, tools: [waitingTool(probe)] });

    const cancelled = collect(run(agent, 'hi', { session }));
    await until(() => probe.started.length === 1);
    requests.next({ type: 'inject', input: [{ role: 'user', content: 'also this' }] });
    requests.next({ type: 'cancel', reason: 'interrupted by a newer run' });
    const first = await cancelled;
    expect(statuses(first.events)).toEqual(['running', 'cancelled']);
    expect(first.events.at(-1)).toMatchObject({ reason: 'interrupted by a newer run' });
    expect(userTexts(await store.getItems())).toEqual(['hi', 'also this']);

    const failed = collect(run(agent, 'again', { session }));
    await until(() => probe.started.length === 2);
    const failure = new Error('the store went away');
    requests.error(failure);
    const second = await failed;
    expect(statuses(second.events)).toEqual(['running', 'failed']);
    expect(second.error).toBeInstanceOf(UserCodeError);
    expect((second.error as Error).cause).toBe(failure);
    expect((second.error as Error).message).toBe("the conversation lock's requests$ failed: the store went away");
    expect(probe.aborted).toHaveLength(2);
    expectPaired(await store.getItems());
  });

  it('a run steered in the same tick as the owner started joins its first model call; one interrupting it then costs it no request', async () => {
    const session = new MemorySession('conv');
    const model = new ScriptedModel({ turns: [{ text: 'one' }, { text: 'two' }], delayMs: 5 });
    const agent = new Agent({ name: 'A', model });
    const owner = collect(run(agent, 'first', { session }));
    const steered = collect(run(agent, 'second', { session, onBusy: 'steer' }));
    await Promise.all([owner, steered]);
    expect(model.requests).toHaveLength(1);
    expect(userTexts(model.requests[0]!.input)).toEqual(['first', 'second']);

    const interrupted = collect(run(agent, 'third', { session }));
    const newer = collect(run(agent, 'fourth', { session, onBusy: 'interrupt' }));
    const [a, b] = await Promise.all([interrupted, newer]);
    expect(statuses(a.events)).toEqual(['running', 'cancelled']);
    expect(statuses(b.events)).toEqual(['running', 'completed']);
    expect(model.requests).toHaveLength(2);
    expect(userTexts(model.requests[1]!.input)).toEqual(['first', 'second', 'third', 'fourth']);
  });

  it('a run steered into a run that is ending (from its terminal event) waits for it and runs with its own input', async () => {
    const session = new MemorySession('conv');
    const model = new ScriptedModel({ turns: [{ text: 'one' }, { text: 'two' }] });
    const agent = new Agent({ name: 'A', model });
    let late: ReturnType<typeof collect> | undefined;
    await collect(
      run(agent, 'first', { session }).pipe(
        tap((event) => {
          if (event.type === 'run.updated' && event.status === 'completed') late = collect(run(agent, 'second', { session, onBusy: 'steer' }));
        }),
      ),
    );
    const steered = await late!;
    expect(statuses(steered.events)).toEqual(['running', 'completed']);
    expect(model.requests).toHaveLength(2);
    expect(userTexts(model.requests[1]!.input)).toEqual(['first', 'second']);
    expect(userTexts(await session.getItems())).toEqual(['first', 'second']);
  });

  it('a run steered into a run that fails sees its failed end and errors with its error', async () => {
    let open!: () => void;
    const opened = new Promise<string>((resolve) => (open = () => resolve('opened')));
    let calls = 0;
    const gate = tool({ name: 'gate', description: 'waits', parameters: z.object({}), execute: () => (calls++, opened) });
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'gate' }] }, { text: 'half', fail: 'socket hang up' }] });
    const agent = new Agent({ name: 'A', model, tools: [gate] });
    const session = new MemorySession('conv');
    const first = collect(run(agent, 'first', { session }));
    await until(() => calls === 1);
    const steered = collect(run(agent, 'and this', { session, onBusy: 'steer' }));
    open();
    const [a, b] = await Promise.all([first, steered]);
    expect(statuses(a.events)).toEqual(['running', 'failed']);
    expect(b.events.at(-1)).toMatchObject({ type: 'run.updated', status: 'failed' });
    expect(b.error).toBeDefined();
    expect(b.error).toBe(a.error);
    expect(userTexts(model.requests[1]!.input)).toEqual(['first', 'and this']);
  });

  it('localConversationLock: every listener of the holder gets the requests of other runs, until the holder lets go', async () => {
    const lock = localConversationLock('conv');
    let holder: OwnerClaim | undefined;
    const holding = lock.claim('queue', []).subscribe((claim) => (holder = claim as OwnerClaim));
    expect(holder?.role).toBe('owner');
    const first = firstValueFrom(holder!.requests$.pipe(toArray()));
    const second = firstValueFrom(holder!.requests$.pipe(toArray()));
    const steer = lock.claim('steer', [{ role: 'user', content: 'steered' }]).subscribe();
    let next: OwnerClaim | undefined;
    const interrupt = lock.claim('interrupt', []).subscribe((claim) => (next = claim as OwnerClaim));
    expect(next).toBeUndefined();
    holding.unsubscribe();
    const expected: ConversationRequest[] = [
      { type: 'inject', input: [{ role: 'user', content: 'steered' }] },
      { type: 'cancel', reason: 'interrupted by a newer run on the conversation' },
    ];
    expect(await first).toEqual(expected);
    expect(await second).toEqual(expected);
    // Released: the interrupting claim holds the conversation now.
    expect(next?.role).toBe('owner');
    steer.unsubscribe();
    interrupt.unsubscribe();
  });
});
