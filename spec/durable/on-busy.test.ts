import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, ConversationBusyError, MemorySession, ScriptedModel, run, tool, type InputItem, type ModelRequest, type Session, type StreamEvent } from '../../lib/index.js';
import { RedisSession } from '../../lib/redis/index.js';
import { collect, expectPaired, statuses } from '../helpers/collect.js';
import { useRedis } from './use-redis.js';

/** Resolves once `predicate` holds (polling, with a deadline rather than a sleep). */
async function eventually(predicate: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const userTexts = (items: readonly InputItem[]) =>
  items.flatMap((i) => ('role' in i && i.role === 'user' && typeof i.content === 'string' ? [i.content] : []));

/** A run that asks for "gate" calls the gate tool, which waits until the test opens it; any other input is answered at once. */
function conversation() {
  let open!: () => void;
  const opened = new Promise<string>((resolve) => (open = () => resolve('gate opened')));
  let gateCalls = 0;
  const gate = tool({ name: 'gate', description: 'waits', parameters: z.object({}), execute: () => (gateCalls++, opened) });
  const lastUser = (request: ModelRequest) => {
    const last = request.input[request.input.length - 1];
    return last && 'role' in last && last.role === 'user' && typeof last.content === 'string' ? last.content : undefined;
  };
  const model = new ScriptedModel({
    turns: (request) => {
      const text = lastUser(request);
      if (text?.includes('gate')) return { toolCalls: [{ name: 'gate' }] };
      return { text: `answer to ${text ?? 'the gate'}` };
    },
  });
  return { agent: new Agent({ name: 'A', model, tools: [gate] }), model, open, gateCalls: () => gateCalls };
}

function finalText(events: readonly StreamEvent<unknown>[]): unknown {
  const last = events[events.length - 1];
  return last?.type === 'run.updated' ? last.result?.finalOutput : undefined;
}

/**
 * Listens for a running run to accept a steer; the function it gives waits for that.
 * Across Redis, the acceptance is published (seen here by a client of its own); in
 * one process the lock hands the input over at once.
 */
async function steerAcceptance(redis: ReturnType<typeof useRedis>, store: string): Promise<() => Promise<void>> {
  if (!store.includes('Redis')) return () => Promise.resolve();
  const listener = redis.client();
  const accepted = new Promise<void>((resolve) => {
    listener.on('pmessage', (_pattern: string, _channel: string, message: string) => {
      if ((JSON.parse(message) as { type?: string }).type === 'steer.accepted') resolve();
    });
  });
  await listener.psubscribe('*:reply:*');
  return () => accepted;
}

const stores: [string, (r: ReturnType<typeof useRedis>) => () => Session][] = [
  ['in one process (MemorySession)', () => {
    const session = new MemorySession('chat');
    return () => session;
  }],
  ['across clients of one Redis (RedisSession)', (redis) => {
    const id = `on-busy-${Math.random().toString(36).slice(2)}`;
    // A client per run: as far apart as two processes.
    return () => new RedisSession({ client: redis.client(), id, leaseMs: 2_000 });
  }],
];

describe.each(stores)('onBusy %s', (name, makeStore) => {
  const redis = useRedis();

  it('queue (default): the second run starts when the first ends, and sees its whole history', async () => {
    const session = makeStore(redis);
    const { agent, model, open, gateCalls } = conversation();
    const first = collect(run(agent, 'first: gate', { session: session() }));
    await eventually(() => gateCalls() === 1);
    const second = collect(run(agent, 'second', { session: session() }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(model.requests).toHaveLength(1); // still waiting
    open();
    const [a, b] = await Promise.all([first, second]);
    expect(statuses(a.events)).toEqual(['running', 'completed']);
    expect(statuses(b.events)).toEqual(['running', 'completed']);
    expect(userTexts(model.requests[2]!.input)).toEqual(['first: gate', 'second']);
    const items = await session().getItems();
    expectPaired(items);
    expect(userTexts(items)).toEqual(['first: gate', 'second']);
  });

  it('queue keeps the order runs arrived in', async () => {
    const session = makeStore(redis);
    const { agent, open, gateCalls } = conversation();
    const first = collect(run(agent, 'first: gate', { session: session() }));
    await eventually(() => gateCalls() === 1);
    const rest: ReturnType<typeof collect>[] = [];
    for (const n of [2, 3, 4]) {
      rest.push(collect(run(agent, `run ${n}`, { session: session() })));
      await new Promise((resolve) => setTimeout(resolve, 10)); // arrival order
    }
    open();
    await Promise.all([first, ...rest]);
    expect(userTexts(await session().getItems())).toEqual(['first: gate', 'run 2', 'run 3', 'run 4']);
  });

  it('reject: the second run fails at once with ConversationBusyError; the first goes on', async () => {
    const session = makeStore(redis);
    const { agent, model, open, gateCalls } = conversation();
    const first = collect(run(agent, 'first: gate', { session: session() }));
    await eventually(() => gateCalls() === 1);
    const second = await collect(run(agent, 'second', { session: session(), onBusy: 'reject' }));
    expect(second.error).toBeInstanceOf(ConversationBusyError);
    expect((second.error as ConversationBusyError).conversationId).toBe(session().id);
    expect(model.requests).toHaveLength(1);
    open();
    expect(statuses((await first).events)).toEqual(['running', 'completed']);
    expect(userTexts(await session().getItems())).toEqual(['first: gate']);
    // Free again: a rejecting run now runs.
    const third = await collect(run(agent, 'third', { session: session(), onBusy: 'reject' }));
    expect(statuses(third.events)).toEqual(['running', 'completed']);
  });

  it('interrupt: the running run is cancelled gracefully, then the new one runs on its valid history', async () => {
    const session = makeStore(redis);
    const { agent, model, gateCalls } = conversation();
    const first = collect(run(agent, 'first: gate', { session: session() }));
    await eventually(() => gateCalls() === 1);
    const second = await collect(run(agent, 'second', { session: session(), onBusy: 'interrupt' }));
    const a = await first;
    expect(statuses(a.events)).toEqual(['running', 'cancelled']);
    expect(a.events.at(-1)).toMatchObject({ reason: 'interrupted by a newer run on the conversation' });
    expect(statuses(second.events)).toEqual(['running', 'completed']);
    expect(finalText(second.events)).toBe('answer to second');
    const items = await session().getItems();
    expectPaired(items);
    expect(userTexts(items)).toEqual(['first: gate', 'second']);
    expectPaired(model.requests[1]!.input);
  });

  it('steer: the input goes into the running run, and the steering run follows its events to the end', async () => {
    const session = makeStore(redis);
    const { agent, model, open, gateCalls } = conversation();
    const first = collect(run(agent, 'first: gate', { session: session() }));
    await eventually(() => gateCalls() === 1);
    const accepted = await steerAcceptance(redis, name);
    const second = collect(run(agent, 'also this', { session: session(), onBusy: 'steer' }));
    await accepted(); // the running run took the input
    open();
    const [a, b] = await Promise.all([first, second]);
    expect(statuses(a.events)).toEqual(['running', 'completed']);
    expect(finalText(a.events)).toBe('answer to also this');
    // The steering run saw the running run's end.
    expect(b.error).toBeUndefined();
    expect(b.events.at(-1)).toMatchObject({ type: 'run.updated', status: 'completed' });
    expect(finalText(b.events)).toBe('answer to also this');
    expect(model.requests).toHaveLength(2);
    expect(userTexts(model.requests[1]!.input)).toEqual(['first: gate', 'also this']);
    expect(userTexts(await session().getItems())).toEqual(['first: gate', 'also this']);
  });

  it('steer on a free conversation simply runs', async () => {
    const session = makeStore(redis);
    const { agent } = conversation();
    const { events } = await collect(run(agent, 'hello', { session: session(), onBusy: 'steer' }));
    expect(finalText(events)).toBe('answer to hello');
  });

  it('a run unsubscribed while queued never starts, and does not block the ones behind it', async () => {
    const session = makeStore(redis);
    const { agent, model, open, gateCalls } = conversation();
    const first = collect(run(agent, 'first: gate', { session: session() }));
    await eventually(() => gateCalls() === 1);
    const dropped = run(agent, 'dropped', { session: session() }).subscribe();
    const third = collect(run(agent, 'third', { session: session() }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    dropped.unsubscribe();
    open();
    await Promise.all([first, third]);
    expect(userTexts(await session().getItems())).toEqual(['first: gate', 'third']);
    expect(model.requests).toHaveLength(3);
  });
});

describe('onBusy: a run unsubscribed mid-way', () => {
  const redis = useRedis();

  it.each(stores)('%s: holds the conversation until its history is written, so the next run sees it', async (_name, makeStore) => {
    const session = makeStore(redis);
    const { agent, gateCalls } = conversation();
    const first = run(agent, 'first: gate', { session: session() }).subscribe();
    await eventually(() => gateCalls() === 1);
    first.unsubscribe();
    const { events } = await collect(run(agent, 'second', { session: session() }));
    expect(statuses(events)).toEqual(['running', 'completed']);
    const items = await session().getItems();
    expectPaired(items);
    expect(userTexts(items)).toEqual(['first: gate', 'second']);
  });

  it.each(stores)('%s: a run that ended releases at once: a rejecting run right after it runs', async (_name, makeStore) => {
    const session = makeStore(redis);
    const { agent } = conversation();
    await collect(run(agent, 'one', { session: session() }));
    const { events, error } = await collect(run(agent, 'two', { session: session(), onBusy: 'reject' }));
    expect(error).toBeUndefined();
    expect(statuses(events)).toEqual(['running', 'completed']);
  });
});
