// The durable-session benchmark: RedisSession against a real redis-server on loopback.
//
//   node --import ./bench/ts-loader.mjs bench/durable.ts            full run, writes bench/DURABLE.md
//   node --import ./bench/ts-loader.mjs bench/durable.ts --smoke    tiny sizes, writes bench/.tmp/DURABLE-smoke.md
//   (npm run bench:durable [-- --smoke] does the same)
//
// Measures session append and read latency (median, p99) and throughput, and what a
// RedisSession adds to a run per turn compared with MemorySession: the same agent, a
// tool-loop on a ScriptedModel (no network, so only the library and the store are timed).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { lastValueFrom } from 'rxjs';
import { z } from 'zod';
import { Agent, MemorySession, run, ScriptedModel, tool, type InputItem, type Session } from '../lib/index.ts';
import { RedisSession } from '../lib/redis/index.ts';
import { startRedisServer } from '../spec/support/redis-server.ts';

const benchDir = dirname(fileURLToPath(import.meta.url));
const smoke = process.argv.includes('--smoke');
const sizes = smoke
  ? { ops: 50, readHistory: [20], concurrency: 8, throughputOps: 200, runs: 5, turns: 3, warmup: 2 }
  : { ops: 5_000, readHistory: [20, 200], concurrency: 32, throughputOps: 20_000, runs: 200, turns: 10, warmup: 30 };

const median = (v: number[]) => quantile(v, 0.5);
const p99 = (v: number[]) => quantile(v, 0.99);
function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}
const ms = (x: number) => x.toFixed(3);
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
  const lines: string[] = [];
  const line = (s = '') => lines.push(s);
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
    // ---- reads of histories of several lengths
    const reads = new Map<number, number[]>();
    for (const length of sizes.readHistory) {
      const s = session();
      await s.addItems(Array.from({ length }, (_, i) => message(i)));
      const samples: number[] = [];
      for (let i = 0; i < sizes.ops; i++) samples.push(await time(() => s.getItems()));
      reads.set(length, samples);
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
        const t = await time(() => lastValueFrom(run(agent(), 'go', { session: s })));
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

    const cpus = os.cpus();
    line(`# Durable-session benchmark${smoke ? ' (smoke run: tiny sizes, not meaningful numbers)' : ''}`);
    line();
    line(`Reproduce: \`npm run bench:durable\` from the repository root${smoke ? ' (this file: `-- --smoke`)' : ''}.`);
    line();
    line(`- Date: ${new Date().toISOString()}`);
    line(`- Node: ${process.version}; Redis: ${(await client.info('server')).match(/redis_version:(\S+)/)?.[1] ?? '?'} (Debian redis-server, no persistence, 127.0.0.1); client: ioredis`);
    line(`- Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} at the end (other work shares the machine)`);
    line();
    line('## Session operations (one client, one after another)');
    line();
    line('| operation | samples | median ms | p99 ms |');
    line('|---|---|---|---|');
    line(`| append 1 message | ${appendOne.length} | ${ms(median(appendOne))} | ${ms(p99(appendOne))} |`);
    line(`| append a turn (call, output, message) | ${appendTurn.length} | ${ms(median(appendTurn))} | ${ms(p99(appendTurn))} |`);
    for (const [length, samples] of reads) line(`| read a ${length}-item history | ${samples.length} | ${ms(median(samples))} | ${ms(p99(samples))} |`);
    line();
    line(`## Throughput (${sizes.concurrency} conversations at once, one client)`);
    line();
    line('| operation | ops | ops/s |');
    line('|---|---|---|');
    line(`| append 1 message | ${per * sizes.concurrency} | ${((per * sizes.concurrency) / appendSeconds).toFixed(0)} |`);
    line(`| read a history (growing to ${per} items) | ${per * sizes.concurrency} | ${((per * sizes.concurrency) / readSeconds).toFixed(0)} |`);
    line();
    line(`## Cost per turn: a ${sizes.turns}-tool-call run and its final answer (${sizes.turns + 1} model turns, ScriptedModel), MemorySession vs RedisSession`);
    line();
    line(`Wall time of a whole run divided by its turns; ${memory.length} runs each (after warm-up), interleaved in two rounds. Each run claims the conversation (onBusy \`queue\`), reads it, writes it, and releases it.`);
    line();
    line('| session | ms per turn, median | p99 |');
    line('|---|---|---|');
    line(`| MemorySession | ${ms(median(memory))} | ${ms(p99(memory))} |`);
    line(`| RedisSession | ${ms(median(redis))} | ${ms(p99(redis))} |`);
    line();
    line(`Added per turn by Redis, median: **${ms(added)} ms** (target under 1 ms): ${added < 1 ? '**pass**' : '**MISS**'}.`);
  } finally {
    await client.quit();
    await server.stop();
  }

  const markdown = lines.join('\n') + '\n';
  const outFile = smoke ? join(benchDir, '.tmp', 'DURABLE-smoke.md') : join(benchDir, 'DURABLE.md');
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, markdown);
  console.log(markdown);
  console.log(`bench: wrote ${relative(process.cwd(), outFile)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
