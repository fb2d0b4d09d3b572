import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { InputItem } from '../../lib/index.js';
import { RedisSession } from '../../lib/redis/index.js';
import { expectPaired } from '../helpers/collect.js';
import { startChild, terminal } from './child-conversation.js';
import { useRedis } from './use-redis.js';

const userTexts = (items: readonly InputItem[]) =>
  items.flatMap((i) => ('role' in i && i.role === 'user' && typeof i.content === 'string' ? [i.content] : []));

async function eventually(predicate: () => Promise<boolean>, ms = 8_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('two processes, one conversation on Redis', { timeout: 30_000 }, () => {
  const redis = useRedis();
  let n = 0;
  const setup = () => {
    const id = `two-processes-${process.pid}-${++n}`;
    const client = redis.client();
    const start = (input: string, onBusy?: 'queue' | 'reject' | 'interrupt' | 'steer') =>
      startChild({ redisUrl: redis.server.url, id, input, onBusy, model: 'scripted' });
    const queued = async () => client.zcard(`rxjs-agents:conversation:${id}:queue`);
    return { id, client, start, queued, history: () => new RedisSession({ client, id }).getItems() };
  };

  it('queue: the second process waits for the first, in order, and continues its history', async () => {
    const { start, queued, history } = setup();
    const first = await start('first: gate');
    await first.line((l) => l.type === 'gate.waiting');
    const second = await start('second', 'queue');
    await eventually(async () => (await queued()) === 1);
    const third = await start('third', 'queue');
    await eventually(async () => (await queued()) === 2);
    expect(second.lines).toEqual([]);
    first.open();
    const ends = await Promise.all([first.exited, second.exited, third.exited]);
    for (const end of ends) expect(terminal(end.lines)).toMatchObject({ status: 'completed' });
    const items = await history();
    expectPaired(items);
    expect(userTexts(items)).toEqual(['first: gate', 'second', 'third']);
  });

  it('reject: the second process fails at once with ConversationBusyError', async () => {
    const { start, history } = setup();
    const first = await start('first: gate');
    await first.line((l) => l.type === 'gate.waiting');
    const second = await (await start('second', 'reject')).exited;
    expect(second.code).toBe(1);
    expect(second.lines).toEqual([expect.objectContaining({ type: 'child.error', name: 'ConversationBusyError' })]);
    first.open();
    expect(terminal((await first.exited).lines)).toMatchObject({ status: 'completed' });
    expect(userTexts(await history())).toEqual(['first: gate']);
  });

  it("interrupt: the first process's run ends cancelled with a valid history, then the second runs", async () => {
    const { start, history } = setup();
    const first = await start('first: gate');
    await first.line((l) => l.type === 'gate.waiting');
    const second = await start('second', 'interrupt');
    const [a, b] = await Promise.all([first.exited, second.exited]);
    expect(terminal(a.lines)).toMatchObject({ status: 'cancelled', reason: 'interrupted by a newer run on the conversation' });
    expect(terminal(b.lines)).toMatchObject({ status: 'completed', result: { finalOutput: 'answer to second' } });
    const items = await history();
    expectPaired(items);
    expect(userTexts(items)).toEqual(['first: gate', 'second']);
  });

  it("steer: the input goes into the first process's run, and the second process follows it to its end", async () => {
    const { id, start, history } = setup();
    const first = await start('first: gate');
    await first.line((l) => l.type === 'gate.waiting');
    // Watch the holder accept the steer (its answer on the steering run's reply channel).
    const watcher = new Redis(redis.server.url);
    const accepted = new Promise<void>((resolve) => watcher.on('pmessage', (_p, _c, message: string) => message.includes('steer.accepted') && resolve()));
    await watcher.psubscribe(`rxjs-agents:conversation:${id}:reply:*`);
    const second = await start('also this', 'steer');
    await accepted;
    await watcher.quit();
    first.open();
    const [a, b] = await Promise.all([first.exited, second.exited]);
    expect(terminal(a.lines)).toMatchObject({ status: 'completed', result: { finalOutput: 'answer to also this' } });
    expect(terminal(b.lines)).toMatchObject({ status: 'completed', result: { finalOutput: 'answer to also this' } });
    expect(b.lines.some((l) => l.type === 'item.created' && (l['item'] as { type: string }).type === 'injected_input')).toBe(true);
    expect(userTexts(await history())).toEqual(['first: gate', 'also this']);
  });

  it('a holder that dies leaves the conversation free once its lease expires', async () => {
    const { start, history } = setup();
    const first = await start('first: gate');
    await first.line((l) => l.type === 'gate.waiting');
    const second = await start('second', 'queue');
    first.process.kill('SIGKILL');
    const b = await second.exited;
    expect(terminal(b.lines)).toMatchObject({ status: 'completed' });
    expectPaired(await history());
  });
});
