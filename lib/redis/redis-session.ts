import type { Redis } from 'ioredis';
import type { InputItem } from '../items/input-item.js';
import type { Session } from '../session/session.js';
import { UserError } from '../errors/agents-error.js';
import { redisConversationLock } from './redis-conversation-lock.js';
import { redisScript } from './redis-script.js';
import type { ConversationLock } from '../conversation/conversation-lock.js';

/** Options of {@link RedisSession}. */
export interface RedisSessionOptions {
  /** A connected ioredis client. The session never closes it: it is yours, and may be shared by many sessions. */
  readonly client: Redis;
  /** The conversation's id: sessions with the same id (and prefix) share one history, across processes. */
  readonly id: string;
  /** Prefix of every key. Default `rxjs-agents:`. */
  readonly keyPrefix?: string;
  /** Forget the conversation this many seconds after its last write. Default: never. */
  readonly ttlSeconds?: number;
  /**
   * Keep at most this many items, dropping the oldest (and any tool output left
   * without its call at the front, so the history stays valid model input). Default: no limit.
   */
  readonly maxItems?: number;
  /** How long a run's hold on the conversation lasts without renewal (it is renewed while the run lives). Default 10,000 ms. */
  readonly leaseMs?: number;
}

// RPUSH the items, trim to the limit without leaving an orphan output first, refresh the TTL: one atomic step.
const append = redisScript(`
local key = KEYS[1]
local max = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
redis.call('RPUSH', key, unpack(ARGV, 3))
if max > 0 then
  redis.call('LTRIM', key, -max, -1)
  while true do
    local first = redis.call('LINDEX', key, 0)
    if not first or cjson.decode(first)['type'] ~= 'function_call_output' then break end
    redis.call('LPOP', key)
  end
end
if ttl > 0 then redis.call('EXPIRE', key, ttl) end
return redis.call('LLEN', key)
`);

/**
 * A {@link Session} on Redis: the history of one conversation as a Redis list of
 * JSON items. Appends are atomic (one Lua script), reads are one round trip, and
 * runs on the same conversation, in any process, take turns through a lease lock
 * (see the run's `onBusy` option).
 *
 * @example
 * const redis = new Redis('redis://127.0.0.1:6379');
 * const session = new RedisSession({ client: redis, id: 'user-42' });
 * run(agent, 'Hello again', { session }).subscribe(print);
 */
export class RedisSession implements Session {
  readonly id: string;
  /** Coordinates runs on this conversation across processes. */
  readonly lock: ConversationLock;
  private readonly client: Redis;
  private readonly key: string;
  private readonly maxItems: number;
  private readonly ttlSeconds: number;

  constructor(options: RedisSessionOptions) {
    const { client, id, keyPrefix = 'rxjs-agents:', ttlSeconds, maxItems, leaseMs = 10_000 } = options;
    if (typeof id !== 'string' || id === '') throw new UserError('RedisSession: `id` must be a non-empty string.');
    positiveInteger('ttlSeconds', ttlSeconds);
    positiveInteger('maxItems', maxItems);
    positiveInteger('leaseMs', leaseMs);
    this.client = client;
    this.id = id;
    const base = `${keyPrefix}conversation:${id}`;
    this.key = `${base}:items`;
    this.maxItems = maxItems ?? 0;
    this.ttlSeconds = ttlSeconds ?? 0;
    this.lock = redisConversationLock(client, { name: base, leaseMs, conversationId: id });
  }

  async getItems(): Promise<readonly InputItem[]> {
    const raw = await this.client.lrange(this.key, 0, -1);
    return raw.map((text, index) => {
      try {
        return JSON.parse(text) as InputItem;
      } catch (cause) {
        throw new Error(`RedisSession "${this.id}": item ${index} of ${this.key} is not JSON.`, { cause });
      }
    });
  }

  async addItems(items: readonly InputItem[]): Promise<void> {
    if (items.length === 0) return;
    const texts = items.map((item) => JSON.stringify(item));
    await append.run(this.client, [this.key], [this.maxItems, this.ttlSeconds, ...texts]);
  }

  async clear(): Promise<void> {
    await this.client.del(this.key);
  }
}

function positiveInteger(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
    throw new UserError(`RedisSession: \`${name}\` must be a positive integer (got ${String(value)}).`);
  }
}
