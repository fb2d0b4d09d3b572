import { describe, expect, it } from 'vitest';
import { UserError, type InputItem } from '../../lib/index.js';
import { RedisSession } from '../../lib/redis/index.js';
import { useRedis } from './use-redis.js';

const user = (content: string): InputItem => ({ role: 'user', content });
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
    const monitor = await client.monitor();
    const seen: string[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => seen.push(String(args[0]).toLowerCase()));
    await session.addItems([user('a'), user('b'), user('c')]);
    await session.getItems();
    await new Promise((resolve) => setTimeout(resolve, 20));
    monitor.disconnect();
    expect(seen).toEqual(['evalsha', 'rpush', 'llen', 'lrange']);
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
