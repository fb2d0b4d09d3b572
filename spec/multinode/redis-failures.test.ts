import { Redis } from 'ioredis';
import { filter, take } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { remoteRun } from '../../lib/client/index.js';
import { Agent, UserError } from '../../lib/index.js';
import { OpenAIResponsesModel } from '../../lib/openai/index.js';
import { RedisRunRegistry } from '../../lib/redis/index.js';
import { serveRuns } from '../../lib/server/index.js';
import { eventually } from '../remote/remote-runs.suite.js';
import { type RunsServer, startRunsServer } from '../remote/runs-server.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { useOpenAIServer } from '../support/use-openai-server.js';

/** The registry's Redis fails or stalls under a running run: the run stops, and nothing is left behind. */
describe('RedisRunRegistry when Redis fails', { timeout: 30_000 }, () => {
  const fx = useOpenAIServer();
  const cleanups: (() => Promise<unknown> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function serve(leaseMs: number): Promise<{ redis: RedisServer; server: RunsServer }> {
    const redis = await startRedisServer();
    cleanups.push(() => redis.stop());
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    cleanups.push(() => client.disconnect());
    const registry = new RedisRunRegistry({ client, leaseMs });
    cleanups.push(() => registry.close());
    const assistant = new Agent({ name: 'Assistant', model: new OpenAIResponsesModel({ client: fx.client(), model: 'gpt-test' }) });
    const server = await startRunsServer(serveRuns({ agents: { assistant }, registry, onError: () => undefined }));
    cleanups.push(() => server.close());
    return { redis, server };
  }

  /** Starts a run whose model stream stays open, and resolves once its first delta reached the client. */
  async function streaming(server: RunsServer) {
    fx.server.enqueue({ text: 'Once upon a time', fault: { kind: 'hang' } });
    const subscription = remoteRun({ url: server.url, agent: 'assistant', input: 'Story', reconnect: { retries: 0 } })
      .pipe(filter((e) => e.type === 'text.delta'), take(1))
      .subscribe({ error: () => undefined });
    cleanups.push(() => subscription.unsubscribe());
    const model = await fx.server.request(0);
    await eventually(() => subscription.closed);
    return model;
  }

  it('a Redis that stalls (SIGSTOP): its lease cannot be renewed, so the run is cancelled and its model socket closed', async () => {
    const leaseMs = 600;
    const { redis, server } = await serve(leaseMs);
    const model = await streaming(server);
    process.kill(redis.pid, 'SIGSTOP');
    cleanups.push(() => void process.kill(redis.pid, 'SIGCONT'));
    const stalledAt = performance.now();
    await model.closed;
    expect(model.closedByClient).toBe(true);
    // Lease-driven (renewals fail for a lease), not a long timeout; the margin is for a busy machine.
    expect(performance.now() - stalledAt).toBeLessThan(leaseMs * 4);
    await eventually(() => server.handler.activeRuns === 0, 10_000);
  });

  it('bad options are a UserError naming the option, before any connection is used', () => {
    expect(() => new RedisRunRegistry({} as never)).toThrow(UserError);
    expect(() => new RedisRunRegistry({} as never)).toThrow(/client/);
    const client = {} as Redis; // never used: the options are checked first
    expect(() => new RedisRunRegistry({ client, leaseMs: 10 })).toThrow(/leaseMs must be a number of at least 100 \(got 10\)/);
    expect(() => new RedisRunRegistry({ client, maxEvents: Number.NaN })).toThrow(/maxEvents/);
  });

  it('a Redis that dies: the run is cancelled, its model socket closed, and no run is left', async () => {
    const { redis, server } = await serve(600);
    const model = await streaming(server);
    await redis.stop();
    await model.closed;
    expect(model.closedByClient).toBe(true);
    await eventually(() => server.handler.activeRuns === 0, 10_000);
  });
});
