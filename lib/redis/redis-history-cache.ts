import type { Redis } from 'ioredis';
import { UserError } from '../errors/agents-error.js';
import type { InputItem } from '../items/input-item.js';

/** Options of {@link RedisHistoryCache}. */
export interface RedisHistoryCacheOptions {
  /**
   * The most items held, over every conversation; the conversations read least
   * recently are forgotten first, and one longer than this is not held at all.
   * `0` holds nothing: every read reads the whole list. Default 100,000.
   */
  readonly maxItems?: number;
}

/**
 * What this process last read of one conversation: the generation of its list (a
 * new one each time the list starts again, after a `clear` or an expiry), how many
 * items the list had dropped from its front then (`maxItems`), and the items after
 * those, in an array that is only ever appended to (a run may hold a view of it).
 * @internal
 */
export interface CachedHistory {
  readonly generation: string;
  readonly dropped: number;
  readonly items: InputItem[];
}

/**
 * The histories a process has read from Redis, so that a `RedisSession` reads only
 * the items appended since (by any process): a turn of a long conversation then
 * costs what the turn adds, not the length of the conversation. Shared by every
 * `RedisSession` given it, including sessions made anew for each run (as a server
 * makes them), and bounded by a count of items. The sessions of one process share
 * one by default; give a session its own to size or turn off caching.
 *
 * @example
 * // At most 20,000 items of history held in this process, over all conversations:
 * const historyCache = new RedisHistoryCache({ maxItems: 20_000 });
 * const session = (conversationId: string) => new RedisSession({ client: redis, id: conversationId, historyCache });
 */
export class RedisHistoryCache {
  private readonly maxItems: number;
  /** In the order they were last read: the first is the next to go. Each with the items it was counted for. */
  private readonly entries = new Map<string, { readonly history: CachedHistory; readonly size: number }>();
  private held = 0;
  /** Histories read through different clients are kept apart (they may be different servers). */
  private readonly clients = new WeakMap<Redis, number>();
  private clientCount = 0;

  constructor(options: RedisHistoryCacheOptions = {}) {
    const { maxItems = 100_000 } = options;
    if (!(Number.isInteger(maxItems) && maxItems >= 0)) {
      throw new UserError(`RedisHistoryCache: \`maxItems\` must be an integer ≥ 0 (got ${String(maxItems)}).`);
    }
    this.maxItems = maxItems;
  }

  /** Items held now, over every conversation. */
  get size(): number {
    return this.held;
  }

  /** @internal The history held for `key`, now the most recently read. */
  get(client: Redis, key: string): CachedHistory | undefined {
    const id = this.idOf(client, key);
    const entry = this.entries.get(id);
    if (entry) {
      this.entries.delete(id);
      this.entries.set(id, entry);
    }
    return entry?.history;
  }

  /** @internal Holds `history` for `key` (again, after it grew), forgetting the least recently read histories beyond the bound. */
  set(client: Redis, key: string, history: CachedHistory): void {
    this.delete(client, key);
    const size = history.items.length;
    if (size > this.maxItems) return;
    this.entries.set(this.idOf(client, key), { history, size });
    this.held += size;
    for (const [id, oldest] of this.entries) {
      if (this.held <= this.maxItems) break;
      this.entries.delete(id);
      this.held -= oldest.size;
    }
  }

  /** @internal Forgets the history of `key`. */
  delete(client: Redis, key: string): void {
    const id = this.idOf(client, key);
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.held -= entry.size;
  }

  private idOf(client: Redis, key: string): string {
    let n = this.clients.get(client);
    if (n === undefined) this.clients.set(client, (n = this.clientCount++));
    return `${n} ${key}`;
  }
}
