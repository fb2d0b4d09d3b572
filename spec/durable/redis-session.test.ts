import { describe, expect, it } from 'vitest';
import { firstValueFrom } from 'rxjs';
import { Agent, run, ScriptedModel, toResult, UserError, type InputItem } from '../../lib/index.js';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { RedisHistoryCache, RedisSession } from '../../lib/redis/index.js';
import { useRedis } from './use-redis.js';

const user = (content: string): InputItem => ({ role: 'user', content });
/** A message's text, whichever shape it has (a string, or an assistant message's output_text parts). */
const text = (item: InputItem): string => {
  const content = (item as { content?: unknown }).content;
  if (typeof content === 'string') return content;
  return (content as { text: string }[]).map((part) => part.text).join('');
};
let n = 0;
const id = () => `redis-session-${process.pid}-${++n}`;

describe('RedisSession', () => {
  const redis = useRedis();

  it('keeps at most maxItems, dropping the oldest and never leaving a tool output without its call first', async () => {
    const session = new RedisSession({ client: redis.client(), id: id(), maxItems: 2 });
    await session.addItems([user('1'), user('2')]);
    await session.addItems([
      { type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c', output: 'ok' },
      user('3'),
    ]);
    // The last two would start with the output of a call that was dropped: the output goes too.
    expect(await session.getItems()).toEqual([user('3')]);
    await session.addItems([user('4'), user('5')]);
    expect(await session.getItems()).toEqual([user('4'), user('5')]);
  });

  it('sets the TTL on every write', async () => {
    const client = redis.client();
    const session = new RedisSession({ client, id: 'ttl', keyPrefix: `ttl-${process.pid}:`, ttlSeconds: 100 });
    await session.addItems([user('1')]);
    const ttl = await client.ttl(`ttl-${process.pid}:conversation:ttl:items`);
    expect(ttl).toBeGreaterThan(90);
    expect(ttl).toBeLessThanOrEqual(100);
  });

  it('reads in one round trip and appends in one atomic command', async () => {
    const client = redis.client();
    const session = new RedisSession({ client, id: id() });
    await session.addItems([user('warm up')]); // loads the script
    await session.getItems(); // loads the other
    const { commands, stop } = await monitor(client);
    await session.addItems([user('a'), user('b'), user('c')]);
    await session.getItems();
    const seen = await stop();
    expect(seen.filter((c) => !c.inScript).map((c) => c.name)).toEqual(['evalsha', 'evalsha']);
    expect(commands.some((c) => c.name === 'rpush')).toBe(true);
  });

  describe('reads only what was appended since this process last read', () => {
    /** The start of each LRANGE the session's reads sent, while `during` runs. */
    async function rangesRead(client: Redis, during: () => Promise<unknown>): Promise<number[]> {
      const { stop } = await monitor(client);
      await during();
      return (await stop()).filter((c) => c.name === 'lrange').map((c) => Number(c.args[2]));
    }

    it('after appends by another process, with a new session object for each run (as a server makes them)', async () => {
      const [here, there] = [redis.client(), redis.client()];
      const conversation = id();
      const historyCache = new RedisHistoryCache();
      const ours = () => new RedisSession({ client: here, id: conversation, historyCache });
      const theirs = new RedisSession({ client: there, id: conversation });
      await theirs.addItems([user('1'), user('2'), user('3')]);
      expect(await ours().getItems()).toEqual([user('1'), user('2'), user('3')]);
      await theirs.addItems([user('4'), user('5')]);
      let items: readonly InputItem[] = [];
      expect(await rangesRead(here, async () => (items = await ours().getItems()))).toEqual([3]);
      expect(items).toEqual(['1', '2', '3', '4', '5'].map(user));
      // Nothing new: nothing but the check is read.
      expect(await rangesRead(here, async () => (items = await ours().getItems()))).toEqual([5]);
      expect(items).toEqual(['1', '2', '3', '4', '5'].map(user));
      expect(historyCache.size).toBe(5);
    });

    it('after another process trimmed the front (maxItems), dropping an orphaned tool output too', async () => {
      const [here, there] = [redis.client(), redis.client()];
      const conversation = id();
      const ours = new RedisSession({ client: here, id: conversation, maxItems: 4, historyCache: new RedisHistoryCache() });
      const theirs = new RedisSession({ client: there, id: conversation, maxItems: 4 });
      await theirs.addItems([user('1'), user('2'), user('3'), user('4')]);
      expect(await ours.getItems()).toHaveLength(4);
      const call = { type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' } as const;
      const output = { type: 'function_call_output', call_id: 'c', output: 'ok' } as const;
      await theirs.addItems([call, output, user('5')]);
      await theirs.addItems([user('6'), user('7')]);
      let items: readonly InputItem[] = [];
      // 3 of the 4 held items dropped, then 5 pushed and 2 more dropped (the call, then its output).
      expect(await rangesRead(here, async () => (items = await ours.getItems()))).toEqual([0]);
      expect(items).toEqual(['5', '6', '7'].map(user));
      expect(items).toEqual(await new RedisSession({ client: there, id: conversation, historyCache: new RedisHistoryCache({ maxItems: 0 }) }).getItems());
      await theirs.addItems([user('8'), user('9')]);
      // One held item dropped: what follows the other two is read.
      expect(await rangesRead(here, async () => (items = await ours.getItems()))).toEqual([2]);
      expect(items).toEqual(['6', '7', '8', '9'].map(user));
    });

    it('through a client that answers integers as strings (stringNumbers)', async () => {
      const here = new Redis(redis.server.url, { stringNumbers: true });
      try {
        const conversation = id();
        const ours = new RedisSession({ client: here, id: conversation, historyCache: new RedisHistoryCache() });
        const theirs = new RedisSession({ client: redis.client(), id: conversation, maxItems: 5 });
        const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => user(String(from + i)));
        await theirs.addItems(numbered(1, 6)); // one dropped
        expect(await ours.getItems()).toEqual(numbered(2, 6));
        await theirs.addItems(numbered(7, 16)); // ten more dropped
        expect(await ours.getItems()).toEqual(numbered(12, 16));
      } finally {
        here.disconnect();
      }
    });

    it('reads it all again when the list counts fewer dropped items than it held (a server that lost writes)', async () => {
      const client = redis.client();
      const conversation = id();
      const session = new RedisSession({ client, id: conversation, maxItems: 3, historyCache: new RedisHistoryCache() });
      await session.addItems(['1', '2', '3', '4', '5'].map(user)); // 2 dropped
      expect(await session.getItems()).toEqual(['3', '4', '5'].map(user));
      await client.rpush(`rxjs-agents:conversation:${conversation}:items`, JSON.stringify(user('6')));
      await client.hset(`rxjs-agents:conversation:${conversation}:history`, 'dropped', 1);
      expect(await session.getItems()).toEqual(['3', '4', '5', '6'].map(user));
    });

    it('never serves what it held after the list started again: cleared elsewhere, or expired', async () => {
      const [here, there] = [redis.client(), redis.client()];
      const conversation = id();
      const ours = new RedisSession({ client: here, id: conversation, historyCache: new RedisHistoryCache() });
      const theirs = new RedisSession({ client: there, id: conversation });
      await theirs.addItems([user('1'), user('2'), user('3')]);
      await ours.getItems();
      await theirs.clear();
      await theirs.addItems([user('a'), user('b'), user('c'), user('d')]);
      expect(await ours.getItems()).toEqual(['a', 'b', 'c', 'd'].map(user));
      // An expiry that took the list and left the hash beside it: the next write starts a new generation.
      await there.del(`rxjs-agents:conversation:${conversation}:items`);
      await theirs.addItems([user('x'), user('y'), user('z'), user('w'), user('v')]);
      expect(await ours.getItems()).toEqual(['x', 'y', 'z', 'w', 'v'].map(user));
    });

    it('reads a list written before the hash existed whole, until its next write', async () => {
      const client = redis.client();
      const conversation = id();
      const historyCache = new RedisHistoryCache();
      const session = new RedisSession({ client, id: conversation, historyCache });
      await client.rpush(`rxjs-agents:conversation:${conversation}:items`, JSON.stringify(user('old')));
      expect(await session.getItems()).toEqual([user('old')]);
      expect(historyCache.size).toBe(0);
      await session.addItems([user('new')]);
      expect(await session.getItems()).toEqual([user('old'), user('new')]);
      expect(await rangesRead(client, () => session.getItems())).toEqual([2]);
    });

    it('hands out a copy: changing the array read changes nothing held', async () => {
      const session = new RedisSession({ client: redis.client(), id: id(), historyCache: new RedisHistoryCache() });
      await session.addItems([user('1')]);
      (await session.getItems() as InputItem[]).push(user('not stored'));
      expect(await session.getItems()).toEqual([user('1')]);
    });

    it('names the item by its place in the list when a new one is not JSON', async () => {
      const client = redis.client();
      const conversation = id();
      const session = new RedisSession({ client, id: conversation, historyCache: new RedisHistoryCache() });
      await session.addItems([user('1'), user('2')]);
      await session.getItems();
      await client.rpush(`rxjs-agents:conversation:${conversation}:items`, '{not json');
      await expect(session.getItems()).rejects.toThrow(/item 2 of/);
    });

    it('reads what a session reading everything reads, after any mix of writes, trims, clears and reads (property)', async () => {
      const [here, there] = [redis.client(), redis.client()];
      const operation = fc.oneof(
        { weight: 4, arbitrary: fc.record({ kind: fc.constant('append' as const), by: fc.constantFrom(0, 1), items: fc.array(fc.constantFrom('m', 'm', 'call', 'output'), { minLength: 1, maxLength: 4 }) }) },
        { weight: 4, arbitrary: fc.record({ kind: fc.constant('read' as const), by: fc.constantFrom(0, 1) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const), by: fc.constantFrom(0, 1) }) },
      );
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined, freq: 3 }), fc.array(operation, { maxLength: 25 }), async (maxItems, operations) => {
          const conversation = `${id()}-${++run}`;
          // Two processes (clients), each with its cache (one small enough to forget), and one that always reads everything.
          const caches = [new RedisHistoryCache(), new RedisHistoryCache({ maxItems: 3 })];
          const sessions = [here, there].map((client, i) => () => new RedisSession({ client, id: conversation, maxItems, historyCache: caches[i] }));
          const truth = new RedisSession({ client: here, id: conversation, historyCache: new RedisHistoryCache({ maxItems: 0 }) });
          let calls = 0;
          for (const op of operations) {
            const session = sessions[op.by]!();
            if (op.kind === 'clear') await session.clear();
            else if (op.kind === 'read') expect(await session.getItems()).toEqual(await truth.getItems());
            else {
              const items = op.items.map((kind): InputItem => {
                if (kind === 'm') return user(String(++calls));
                return kind === 'call'
                  ? { type: 'function_call', call_id: `c${calls}`, name: 'f', arguments: '{}' }
                  : { type: 'function_call_output', call_id: `c${calls}`, output: 'ok' };
              });
              await session.addItems(items);
            }
          }
          for (const session of sessions) expect(await session().getItems()).toEqual(await truth.getItems());
        }),
        { numRuns: 200 },
      );
    });
  });

  it('runs read the held history: each turn sees every item, written here or by another process', async () => {
    const [here, there] = [redis.client(), redis.client()];
    const conversation = id();
    const historyCache = new RedisHistoryCache();
    const model = new ScriptedModel({ turns: [{ text: 'a1' }, { text: 'a3' }] });
    const agent = new Agent({ name: 'A', model });
    await firstValueFrom(run(agent, 'q1', { session: new RedisSession({ client: here, id: conversation, historyCache }) }).pipe(toResult()));
    await new RedisSession({ client: there, id: conversation }).addItems([user('q2'), { role: 'assistant', content: 'a2' }]);
    const result = await firstValueFrom(run(agent, 'q3', { session: new RedisSession({ client: here, id: conversation, historyCache }) }).pipe(toResult()));
    expect(model.requests[1]!.input.map(text)).toEqual(['q1', 'a1', 'q2', 'a2', 'q3']);
    expect(result.history.map(text)).toEqual(['q1', 'a1', 'q2', 'a2', 'q3', 'a3']);
  });

  it('a subclass that reads a window of its history: the run reads it through its getItems', async () => {
    class LastTwo extends RedisSession {
      override async getItems(): Promise<readonly InputItem[]> {
        return (await super.getItems()).slice(-2);
      }
    }
    const session = new LastTwo({ client: redis.client(), id: id(), historyCache: new RedisHistoryCache() });
    await session.addItems(['a', 'b', 'c', 'd'].map(user));
    const model = new ScriptedModel({ turns: [{ text: 'e' }] });
    await firstValueFrom(run(new Agent({ name: 'A', model }), 'f', { session }).pipe(toResult()));
    expect(model.requests[0]!.input.map(text)).toEqual(['c', 'd', 'f']);
  });

  it('keeps at most maxItems items in its cache, forgetting the least recently read conversations', async () => {
    const client = redis.client();
    const historyCache = new RedisHistoryCache({ maxItems: 5 });
    const sessions = [3, 2, 6].map((length) => {
      const session = new RedisSession({ client, id: id(), historyCache });
      return { session, items: Array.from({ length }, (_, i) => user(String(i))) };
    });
    for (const { session, items } of sessions) await session.addItems(items);
    const [a, b, c] = sessions.map((s) => s.session);
    await a!.getItems();
    await b!.getItems();
    expect(historyCache.size).toBe(5);
    await a!.getItems(); // a is now the most recently read
    await c!.getItems(); // longer than the bound: not held, nothing forgotten for it
    expect(historyCache.size).toBe(5);
    await b!.addItems([user('more')]);
    await b!.getItems(); // 3 items: a (the least recently read now) goes
    expect(historyCache.size).toBe(3);
    expect(await rangesReadOf(client, () => a!.getItems())).toEqual([0]);
  });

  it('rejects a cache bound that is not an integer ≥ 0, naming it', () => {
    expect(() => new RedisHistoryCache({ maxItems: -1 })).toThrow(UserError);
    expect(() => new RedisHistoryCache({ maxItems: 1.5 })).toThrow(/maxItems/);
  });

  it.each([
    [{ id: '' }, /id/],
    [{ id: 'x', ttlSeconds: 0 }, /ttlSeconds/],
    [{ id: 'x', maxItems: 1.5 }, /maxItems/],
    [{ id: 'x', leaseMs: -1 }, /leaseMs/],
  ])('rejects bad options with a UserError naming them: %j', (options, message) => {
    expect(() => new RedisSession({ client: redis.client(), ...options })).toThrow(UserError);
    expect(() => new RedisSession({ client: redis.client(), ...options })).toThrow(message);
  });

  it('names the conversation and the item when stored data is not JSON', async () => {
    const client = redis.client();
    const session = new RedisSession({ client, id: 'corrupt', keyPrefix: `c-${process.pid}:` });
    await client.rpush(`c-${process.pid}:conversation:corrupt:items`, '{not json');
    await expect(session.getItems()).rejects.toThrow(/"corrupt".*item 0/);
  });
});

interface SeenCommand {
  readonly name: string;
  readonly args: readonly string[];
  /** Sent by a Lua script rather than by a client. */
  readonly inScript: boolean;
}

/** The commands Redis runs while it is on: `stop()` waits for them to arrive, then disconnects. */
async function monitor(client: Redis): Promise<{ commands: SeenCommand[]; stop(): Promise<SeenCommand[]> }> {
  const connection = await client.monitor();
  const commands: SeenCommand[] = [];
  connection.on('monitor', (_time: string, args: string[], source: string) => {
    commands.push({ name: String(args[0]).toLowerCase(), args, inScript: source === 'lua' });
  });
  return {
    commands,
    async stop() {
      // A marker the monitor sees after everything sent before it.
      await client.echo('monitor-end');
      while (!commands.some((c) => c.name === 'echo' && c.args[1] === 'monitor-end')) await new Promise((resolve) => setImmediate(resolve));
      connection.disconnect();
      return commands.filter((c) => c.name !== 'echo');
    },
  };
}

async function rangesReadOf(client: Redis, during: () => Promise<unknown>): Promise<number[]> {
  const { stop } = await monitor(client);
  await during();
  return (await stop()).filter((c) => c.name === 'lrange').map((c) => Number(c.args[2]));
}
