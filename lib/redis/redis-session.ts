import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { InputItem } from '../items/input-item.js';
import type { Session } from '../session/session.js';
import { UserError } from '../errors/agents-error.js';
import { redisConversationLock } from './redis-conversation-lock.js';
import { redisScript } from './redis-script.js';
import type { ConversationLock } from '../conversation/conversation-lock.js';
import { RedisHistoryCache } from './redis-history-cache.js';
import { type HistoryView, viewHistory, wholeView } from '../session/history-view.js';

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
  /**
   * Where this process keeps the histories it read, so a read fetches only the items
   * appended since. Default: one cache shared by the process's sessions (100,000 items).
   */
  readonly historyCache?: RedisHistoryCache;
}

/** The cache of sessions given none: made on first use. */
let sharedHistoryCache: RedisHistoryCache | undefined;

// The list (KEYS[1]) has a hash beside it (KEYS[2]): its generation, new each time the list
// starts again (after a clear or an expiry), and how many items were dropped from its front.
// A process holding the items up to some point of one generation reads only what follows.

// RPUSH the items, trim to the limit without leaving an orphan output first (counting what
// was dropped), refresh the TTL: one atomic step. ARGV: limit, TTL, a new generation, the items.
const append = redisScript(`
local key, meta = KEYS[1], KEYS[2]
local max = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
if redis.call('LLEN', key) == 0 or redis.call('EXISTS', meta) == 0 then
  redis.call('HSET', meta, 'generation', ARGV[3], 'dropped', 0)
end
redis.call('RPUSH', key, unpack(ARGV, 4))
if max > 0 then
  local before = redis.call('LLEN', key)
  redis.call('LTRIM', key, -max, -1)
  while true do
    local first = redis.call('LINDEX', key, 0)
    if not first or cjson.decode(first)['type'] ~= 'function_call_output' then break end
    redis.call('LPOP', key)
  end
  local gone = before - redis.call('LLEN', key)
  if gone > 0 then redis.call('HINCRBY', meta, 'dropped', gone) end
end
if ttl > 0 then
  redis.call('EXPIRE', key, ttl)
  redis.call('EXPIRE', meta, ttl)
end
return redis.call('LLEN', key)
`);

// The items past what the caller holds (ARGV: its generation, the count of items dropped and
// held), or the whole list when it holds none of this generation: {generation, dropped, from, items},
// from -1 for the whole list. A list without its hash (written before it existed) has generation ''.
const read = redisScript(`
local key, meta = KEYS[1], KEYS[2]
local state = redis.call('HMGET', meta, 'generation', 'dropped')
local generation = state[1]
if not generation then return {'', 0, -1, redis.call('LRANGE', key, 0, -1)} end
local dropped = tonumber(state[2])
if generation == ARGV[1] then
  local from = tonumber(ARGV[2]) - dropped
  if from >= 0 and from <= redis.call('LLEN', key) then
    return {generation, dropped, from, redis.call('LRANGE', key, from, -1)}
  end
end
return {generation, dropped, -1, redis.call('LRANGE', key, 0, -1)}
`);

/**
 * A {@link Session} on Redis: the history of one conversation as a Redis list of
 * JSON items. Appends are atomic (one Lua script), reads are one round trip, and
 * runs on the same conversation, in any process, take turns through a lease lock
 * (see the run's `onBusy` option). A process keeps what it read (see
 * {@link RedisHistoryCache}) and then reads only the items appended since, by any
 * process: a turn's read costs what the conversation grew by, not its length. The
 * items a read returns are shared with that cache: read them, do not change them.
 * Every process writing a conversation must run a version that keeps its item count
 * (this one or later): an older one trims the list without counting.
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
  /** The hash beside the list: its generation and how many items it dropped. */
  private readonly metaKey: string;
  private readonly historyCache: RedisHistoryCache;
  private readonly maxItems: number;
  private readonly ttlSeconds: number;

  constructor(options: RedisSessionOptions) {
    const { client, id, keyPrefix = 'rxjs-agents:', ttlSeconds, maxItems, leaseMs = 10_000, historyCache } = options;
    if (typeof id !== 'string' || id === '') throw new UserError('RedisSession: `id` must be a non-empty string.');
    positiveInteger('ttlSeconds', ttlSeconds);
    positiveInteger('maxItems', maxItems);
    positiveInteger('leaseMs', leaseMs);
    this.client = client;
    this.id = id;
    const base = `${keyPrefix}conversation:${id}`;
    this.key = `${base}:items`;
    this.metaKey = `${base}:history`;
    this.historyCache = historyCache ?? (sharedHistoryCache ??= new RedisHistoryCache());
    this.maxItems = maxItems ?? 0;
    this.ttlSeconds = ttlSeconds ?? 0;
    this.lock = redisConversationLock(client, { name: base, leaseMs, conversationId: id });
  }

  async getItems(): Promise<readonly InputItem[]> {
    const { items, length } = await this.read();
    // A copy: a caller that changes the array must not change what is held.
    return items.slice(0, length);
  }

  /** A run reads the history as a view of what is held, without a copy (see `read`), unless a subclass reads its own way. */
  [viewHistory](): Promise<HistoryView> | undefined {
    return this.getItems === ownGetItems ? this.read() : undefined;
  }

  /**
   * Reads the items appended since this process last read (the whole list if it holds
   * none of this generation), and holds the result. Appended in place when nothing
   * changed the held array meanwhile: a read costs what the conversation grew by.
   */
  private async read(): Promise<HistoryView> {
    const { client, key, historyCache } = this;
    const held = historyCache.get(client, key);
    const heldLength = held?.items.length ?? 0;
    const args = held ? [held.generation, held.dropped + heldLength] : ['', 0];
    const [generation, droppedReply, fromReply, texts] = (await read.run(client, [key, this.metaKey], args)) as [string, number | string, number | string, string[]];
    // Numbers, even from a client that answers integers as strings (`stringNumbers`).
    const dropped = Number(droppedReply);
    const from = Number(fromReply);
    const gone = held ? dropped - held.dropped : 0;
    // Fewer dropped than when it was held (a server that lost writes, as a failover can): read it all again.
    if (from >= 0 && gone < 0) {
      historyCache.delete(client, key);
      return this.read();
    }
    const fresh = texts.map((text, i) => this.parse(text, Math.max(from, 0) + i));
    let items = fresh;
    if (from >= 0 && held) {
      // Another read of this process may have appended to the held array since this one was sent: then a new array.
      if (gone === 0 && held.items.length === heldLength) items = pushAll(held.items, fresh);
      else items = held.items.slice(gone, heldLength).concat(fresh);
    }
    if (generation === '') historyCache.delete(client, key);
    else historyCache.set(client, key, { generation, dropped, items });
    return wholeView(items);
  }

  private parse(text: string, index: number): InputItem {
    try {
      return JSON.parse(text) as InputItem;
    } catch (cause) {
      throw new Error(`RedisSession "${this.id}": item ${index} of ${this.key} is not JSON.`, { cause });
    }
  }

  async addItems(items: readonly InputItem[]): Promise<void> {
    if (items.length === 0) return;
    const texts = items.map((item) => JSON.stringify(item));
    await append.run(this.client, [this.key, this.metaKey], [this.maxItems, this.ttlSeconds, randomUUID(), ...texts]);
  }

  async clear(): Promise<void> {
    this.historyCache.delete(this.client, this.key);
    await this.client.del(this.key, this.metaKey);
  }
}

// As the class defines it: a subclass's, or a patch put on the prototype later, is another.
const ownGetItems = RedisSession.prototype.getItems;

function pushAll(items: InputItem[], more: readonly InputItem[]): InputItem[] {
  for (const item of more) items.push(item);
  return items;
}

function positiveInteger(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
    throw new UserError(`RedisSession: \`${name}\` must be a positive integer (got ${String(value)}).`);
  }
}
