import { describe, expect, it } from 'vitest';
import { MemorySession, type InputItem, type Session } from '../../lib/index.js';
import { RedisSession } from '../../lib/redis/index.js';
import { sessionContract, SessionContractViolation } from '../../lib/testing/index.js';
import { useRedis } from './use-redis.js';

describe('session contract: MemorySession', () => {
  for (const c of sessionContract({ create: (id) => new MemorySession(id) })) it(c.name, c.run);
});

describe('session contract: RedisSession', () => {
  const redis = useRedis();
  for (const c of sessionContract({ create: (id) => new RedisSession({ client: redis.client(), id }), shared: true })) it(c.name, c.run);
});

describe('session contract: it fails sessions that break it', () => {
  /** Appends one item at a time with a pause between: concurrent appends interleave. */
  class SplittingSession extends MemorySession {
    override async addItems(items: readonly InputItem[]): Promise<void> {
      for (const item of items) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
        await super.addItems([item]);
      }
    }
  }
  /** Hands out its own array. */
  class LeakySession implements Session {
    private readonly items: InputItem[] = [];
    constructor(readonly id: string) {}
    getItems = () => Promise.resolve(this.items);
    addItems = (items: readonly InputItem[]) => Promise.resolve(void this.items.push(...items));
    clear = () => Promise.resolve(void (this.items.length = 0));
  }
  const failing = async (create: (id: string) => Session, name: string) => {
    const c = sessionContract({ create }).find((x) => x.name.startsWith(name))!;
    await expect(c.run()).rejects.toBeInstanceOf(SessionContractViolation);
  };

  it('a store whose appends are not atomic fails the concurrency case', () => failing((id) => new SplittingSession(id), 'concurrent appends'));
  it('a store that hands out its own array fails the snapshot case', () => failing((id) => new LeakySession(id), 'a read is a snapshot'));
  it('memory sessions do not claim to share history by id', async () => {
    const c = sessionContract({ create: (id) => new MemorySession(id), shared: true }).find((x) => x.name.includes('same id'))!;
    await expect(c.run()).rejects.toThrow(/second session object/);
  });
});
