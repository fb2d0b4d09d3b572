// The measurements of the `durable` section (durable.mjs runs this file in a child
// process: node --import ./bench/ts-loader.mjs bench/sections/durable-measure.ts [--smoke],
// from the repository root) against a real redis-server on loopback, printed as one JSON line.
//
// Measures session append and read latency (median, p99) and throughput, and what a
// RedisSession adds to a run per turn compared with MemorySession: the same agent, a
// tool-loop on a ScriptedModel (no network, so only the library and the store are timed).
import { Redis } from 'ioredis';
import { lastValueFrom } from 'rxjs';
import { z } from 'zod';
import { Agent, MemorySession, run, ScriptedModel, tool, type InputItem, type Session } from '../../lib/index.ts';
import { RedisHistoryCache, RedisSession } from '../../lib/redis/index.ts';
import { NullModel } from '../contenders/rxjs-agents.ts';
import { startRedisServer } from '../../spec/support/redis-server.ts';

const smoke = process.argv.includes('--smoke');
const sizes = smoke
  ? { ops: 50, readHistory: [20], concurrency: 8, throughputOps: 200, runs: 5, turns: 3, warmup: 2, longHistory: [100], longRuns: 3 }
  : { ops: 5_000, readHistory: [20, 200], concurrency: 32, throughputOps: 20_000, runs: 200, turns: 10, warmup: 30, longHistory: [1_000, 10_000, 100_000], longRuns: 30 };

const median = (v: number[]) => quantile(v, 0.5);
const p99 = (v: number[]) => quantile(v, 0.99);
function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}
const message = (i: number): InputItem => ({
  type: 'message',
  role: 'assistant',
  status: 'completed',
  content: [{ type: 'output_text', text: `Answer number ${i}: the weather in Paris is mild, 14 °C, light wind from the west.` }],
});

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const server = await startRedisServer();
  const client = new Redis(server.url);
  let n = 0;
  const session = (): RedisSession => new RedisSession({ client, id: `bench-${process.pid}-${++n}` });

  try {
    // ---- appends: one item, and a turn's worth (call, output, message)
    const appendOne: number[] = [];
    const appendTurn: number[] = [];
    const s1 = session();
    for (let i = 0; i < sizes.ops; i++) appendOne.push(await time(() => s1.addItems([message(i)])));
    const s2 = session();
    for (let i = 0; i < sizes.ops; i++) {
      const call: InputItem = { type: 'function_call', call_id: `c${i}`, name: 'lookup', arguments: '{"key":"k"}' };
      const out: InputItem = { type: 'function_call_output', call_id: `c${i}`, output: '{"value":"k"}' };
      appendTurn.push(await time(() => s2.addItems([call, out, message(i)])));
    }
    // ---- reads of histories of several lengths: whole (as a process that holds none of it reads), and again with nothing new
    const reads = new Map<number, number[]>();
    const rereads = new Map<number, number[]>();
    const uncached = new RedisHistoryCache({ maxItems: 0 });
    for (const length of sizes.readHistory) {
      const conversation = `bench-${process.pid}-${++n}`;
      const s = new RedisSession({ client, id: conversation, historyCache: uncached });
      await s.addItems(Array.from({ length }, (_, i) => message(i)));
      const samples: number[] = [];
      for (let i = 0; i < sizes.ops; i++) samples.push(await time(() => s.getItems()));
      reads.set(length, samples);
      const again: number[] = [];
      const cached = new RedisSession({ client, id: conversation });
      await cached.getItems();
      for (let i = 0; i < sizes.ops; i++) again.push(await time(() => cached.getItems()));
      rereads.set(length, again);
    }
    // ---- throughput: `concurrency` conversations appending / reading at once
    const conversations = Array.from({ length: sizes.concurrency }, session);
    const per = Math.ceil(sizes.throughputOps / sizes.concurrency);
    const appendSeconds = (await time(() => Promise.all(conversations.map(async (s) => { for (let i = 0; i < per; i++) await s.addItems([message(i)]); })))) / 1000;
    const readSeconds = (await time(() => Promise.all(conversations.map(async (s) => { for (let i = 0; i < per; i++) await s.getItems(); })))) / 1000;

    // ---- per turn: the same tool-loop run on MemorySession and on RedisSession
    const lookup = tool({ name: 'lookup', description: 'Looks a key up.', parameters: z.object({ key: z.string() }), execute: ({ key }) => ({ value: key }) });
    const turns = Array.from({ length: sizes.turns }, (_, i) => ({ toolCalls: [{ name: 'lookup', arguments: { key: `k${i}` } }] }));
    const agent = (): Agent => new Agent({ name: 'bench', model: new ScriptedModel({ turns: [...turns, { text: 'done' }] }), tools: [lookup] });
    const perTurn = async (make: () => Session): Promise<number[]> => {
      const samples: number[] = [];
      for (let i = 0; i < sizes.warmup + sizes.runs; i++) {
        const s = make();
        const t = await time(() => lastValueFrom(run(agent(), 'go', { session: s, maxTurns: sizes.turns + 1 })));
        if (i >= sizes.warmup) samples.push(t / (sizes.turns + 1));
      }
      return samples;
    };
    // Interleaved, so both see the same machine load.
    const memory: number[] = [];
    const redis: number[] = [];
    for (let round = 0; round < 2; round++) {
      memory.push(...(await perTurn(() => new MemorySession('bench'))));
      redis.push(...(await perTurn(session)));
    }
    const added = median(redis) - median(memory);

    // ---- a long conversation: one turn (a message, an answer) on a history of n items, a new session object
    // each run (as a server makes them); Redis with a history cache large enough to hold it, and without.
    // The model answers at once and reads nothing (a ScriptedModel measures its input's JSON for usage).
    const answer = (): Agent => new Agent({ name: 'bench', model: new NullModel() });
    const historyCache = new RedisHistoryCache({ maxItems: 2 * Math.max(...sizes.longHistory) });
    const longTurn = async (make: () => Session): Promise<number[]> => {
      const samples: number[] = [];
      for (let i = 0; i < 3 + sizes.longRuns; i++) {
        const t = await time(() => lastValueFrom(run(answer(), 'And now?', { session: make() })));
        if (i >= 3) samples.push(t);
      }
      return samples;
    };
    const long = [];
    for (const length of sizes.longHistory) {
      const history = Array.from({ length }, (_, i) => message(i));
      const memorySession = new MemorySession('bench', history);
      const conversation = `bench-${process.pid}-${++n}`;
      for (let i = 0; i < length; i += 1000) await new RedisSession({ client, id: conversation }).addItems(history.slice(i, i + 1000));
      const cachedRedis = await longTurn(() => new RedisSession({ client, id: conversation, historyCache }));
      const memoryTurn = await longTurn(() => memorySession);
      const wholeRedis = await longTurn(() => new RedisSession({ client, id: conversation, historyCache: uncached }));
      long.push({ length, memory: median(memoryTurn), cached: median(cachedRedis), whole: median(wholeRedis) });
    }

    const redisVersion = (await client.info('server')).match(/redis_version:(\S+)/)?.[1] ?? '?';
    const summary = (v: number[]) => ({ samples: v.length, median: median(v), p99: p99(v) });
    const result = {
      redisVersion,
      appendOne: summary(appendOne),
      appendTurn: summary(appendTurn),
      reads: [...reads].map(([length, v]) => ({ length, ...summary(v), again: summary(rereads.get(length)!) })),
      long,
      throughput: {
        conversations: sizes.concurrency,
        ops: per * sizes.concurrency,
        appendsPerSecond: (per * sizes.concurrency) / appendSeconds,
        readsPerSecond: (per * sizes.concurrency) / readSeconds,
      },
      perTurn: { turns: sizes.turns + 1, memory: summary(memory), redis: summary(redis), added },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await client.quit();
    await server.stop();
  }

}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
