// The measurements of the `nodes` section (nodes.mjs runs this file in a child process:
// node --import ./bench/ts-loader.mjs bench/sections/nodes-measure.ts [--smoke], from the
// repository root) against a real redis-server on loopback, printed as one JSON line.
//
// - event log latency: a run's events appended by its owner (one RedisRunRegistry on its own
//   connection) and read live by another registry on another connection, as another node would:
//   time from append to the reader's hands, per event, at a model's pace (bursts of a few deltas
//   every millisecond); the same with MemoryRunRegistry for reference;
// - event log throughput: events appended as fast as the owner can, until the reader has the last;
// - cancel across nodes: two server processes (spec/multinode/fixtures/run-node.ts) on one Redis;
//   a run streaming from node A, `POST runs/{id}/cancel` sent to node B, time until the model's
//   socket closes at the OpenAI-wire server (in this process); the same with the cancel sent to A.
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { RedisRunRegistry } from '../../lib/redis/index.ts';
import { MemoryRunRegistry, type OwnedRun, type RunRegistry } from '../../lib/server/index.ts';
import { bundleChild, spawnJsonLines, type JsonLinesChild } from '../../spec/support/json-lines-child.ts';
import { OpenAIServer } from '../../spec/support/openai-server.ts';
import { startRedisServer } from '../../spec/support/redis-server.ts';

const smoke = process.argv.includes('--smoke');
const sizes = smoke
  ? { runs: 3, eventsPerRun: 200, burst: 4, throughputEvents: 2_000, cancels: 3 }
  : { runs: 20, eventsPerRun: 2_000, burst: 4, throughputEvents: 100_000, cancels: 40 };

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}
const summary = (values: number[]) => ({ samples: values.length, median: quantile(values, 0.5), p99: quantile(values, 0.99), max: Math.max(...values) });
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
const record = (id: string) => ({ id, identity: 'bench', agent: 'assistant' });

/** Latency of each event from `owner.append` to a reader of `reader`, at a model's pace. */
async function logLatency(owner: RunRegistry, reader: RunRegistry, label: string): Promise<number[]> {
  const latencies: number[] = [];
  for (let r = 0; r < sizes.runs; r++) {
    const id = `${label}-${process.pid}-${r}`;
    const run: OwnedRun = await owner.create(record(id), () => true);
    const read = new Promise<void>((resolve, reject) =>
      reader.events(id).subscribe({
        next: ({ event }) => latencies.push(performance.now() - (event['t'] as number)),
        error: reject,
        complete: resolve,
      }),
    );
    await tick(); // the reader is attached (its replay done) before the stream starts
    for (let i = 0; i < sizes.eventsPerRun; i += sizes.burst) {
      for (let j = 0; j < sizes.burst; j++) void run.append({ type: 'text.delta', delta: `w${i + j} `, t: performance.now() });
      await tick();
    }
    void run.append({ type: 'run.updated', status: 'completed', t: performance.now() });
    await run.end();
    await read;
  }
  return latencies;
}

/** Events per second one owner logs, appending without pause, until the reader has the last. */
async function logThroughput(owner: RunRegistry, reader: RunRegistry): Promise<number> {
  const id = `throughput-${process.pid}`;
  const run = await owner.create(record(id), () => true);
  let seen = 0;
  const read = new Promise<void>((resolve, reject) => reader.events(id).subscribe({ next: () => void seen++, error: reject, complete: resolve }));
  await tick();
  const t0 = performance.now();
  for (let i = 0; i < sizes.throughputEvents; i++) {
    void run.append({ type: 'text.delta', delta: `w${i} ` });
    if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve)); // let the writes go out, as a model stream would
  }
  void run.append({ type: 'run.updated', status: 'completed' });
  await run.end();
  await read;
  const seconds = (performance.now() - t0) / 1000;
  if (seen !== sizes.throughputEvents + 1) throw new Error(`the reader saw ${seen} events`);
  return sizes.throughputEvents / seconds;
}

/** Cancel sent to `to`, run streaming on `owner`: ms until the model socket closed. */
async function cancelAcross(openai: OpenAIServer, owner: string, to: string): Promise<number[]> {
  const samples: number[] = [];
  const headers = { authorization: 'Bearer bench', 'content-type': 'application/json' };
  for (let i = -2; i < sizes.cancels; i++) {
    openai.enqueue({ text: 'Once upon a time', fault: { kind: 'hang' } });
    const index = openai.requests.length;
    const started = await fetch(`${owner}/api/runs`, { method: 'POST', headers, body: JSON.stringify({ agent: 'assistant', input: 'Story' }) });
    const id = started.headers.get('run-id')!;
    const reader = started.body!.getReader();
    // Read until the first delta is on the wire: the model stream is open on the owner.
    for (let text = ''; !text.includes('text.delta'); ) text += new TextDecoder().decode((await reader.read()).value);
    const model = await openai.request(index);
    const t0 = performance.now();
    const answer = await fetch(`${to}/api/runs/${id}/cancel`, { method: 'POST', headers, body: JSON.stringify({ reason: 'bench' }) });
    const closedAt = await model.closed;
    if (answer.status !== 202) throw new Error(`cancel answered ${answer.status}`);
    if (i >= 0) samples.push(closedAt - t0);
    await reader.cancel();
  }
  return samples;
}

async function main(): Promise<void> {
  const redis = await startRedisServer();
  const clients = [new Redis(redis.url), new Redis(redis.url)];
  const [ownerRegistry, readerRegistry] = clients.map((client) => new RedisRunRegistry({ client, prefix: 'bench' }));
  const memory = new MemoryRunRegistry();
  const openai = await OpenAIServer.start();
  const nodes: JsonLinesChild[] = [];
  try {
    const version = (await clients[0]!.info('server')).match(/redis_version:(\S+)/)?.[1];
    await logLatency(memory, memory, 'warm-memory');
    const memoryLatency = await logLatency(memory, memory, 'memory');
    await logLatency(ownerRegistry!, readerRegistry!, 'warm-redis');
    const redisLatency = await logLatency(ownerRegistry!, readerRegistry!, 'redis');
    const eventsPerSecond = await logThroughput(ownerRegistry!, readerRegistry!);

    const script = await bundleChild(fileURLToPath(new URL('../../spec/multinode/fixtures/run-node.ts', import.meta.url)));
    const config = { redisUrl: redis.url, openaiBaseURL: `${openai.url}/v1`, prefix: 'bench-nodes', leaseMs: 10_000 };
    const origins: string[] = [];
    for (let i = 0; i < 2; i++) {
      const child = spawnJsonLines(script, { RUN_NODE: JSON.stringify(config) });
      nodes.push(child);
      origins.push(new URL(String((await child.line((l) => l.type === 'listening'))['url'])).origin);
    }
    const [a, b] = origins as [string, string];
    const sameNode = await cancelAcross(openai, a, a);
    const otherNode = await cancelAcross(openai, a, b);

    process.stdout.write(
      `${JSON.stringify({
        redisVersion: version,
        latency: { memory: summary(memoryLatency), redis: summary(redisLatency) },
        eventsPerSecond,
        cancel: { sameNode: summary(sameNode), otherNode: summary(otherNode) },
        sizes,
      })}\n`,
    );
  } finally {
    for (const node of nodes) node.process.kill('SIGKILL');
    ownerRegistry!.close();
    readerRegistry!.close();
    await Promise.all(clients.map((c) => c.quit()));
    await openai.stop();
    await redis.stop();
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
