import fc from 'fast-check';
import { Subject, tap } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FetchLike, remoteRun } from '../../lib/client/index.js';
import { Agent, encodeEvent, type ModelRequest, ScriptedModel, tool } from '../../lib/index.js';
import { RedisRunRegistry } from '../../lib/redis/index.js';
import { serveRuns } from '../../lib/server/index.js';
import { useRedis } from '../durable/use-redis.js';
import { collect } from '../helpers/collect.js';
import { propertyRuns, propertyTimeoutMs, tally } from '../helpers/property-runs.js';
import { eventually, serverLog } from '../remote/remote-runs.suite.js';
import { type RunsServer, startRunsServer } from '../remote/runs-server.js';

type Action = 'cancel' | 'after_turn' | 'inject' | 'drop';

const scenario = fc.record({
  words: fc.integer({ min: 1, max: 25 }),
  delayMs: fc.constantFrom(0, 1, 2),
  approval: fc.boolean(),
  startOn: fc.integer({ min: 0, max: 2 }),
  // The node each later request lands on, in order (a load balancer's choices).
  routes: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 12 }),
  // What the client does from inside its handler of the n-th event: several per run.
  actions: fc.array(fc.record({ at: fc.integer({ min: 0, max: 30 }), kind: fc.constantFrom<Action>('cancel', 'after_turn', 'inject', 'drop') }), { maxLength: 4 }),
});

/** What the user said last. */
function lastUserText(request: ModelRequest): string {
  const last = [...request.input].reverse().find((item) => 'role' in item && item.role === 'user');
  return last && 'content' in last && typeof last.content === 'string' ? last.content : '';
}

describe('property: three nodes on one Redis, requests spread at random', () => {
  const redis = useRedis();
  const count = tally('many nodes');
  const servers: RunsServer[] = [];
  const registries: RedisRunRegistry[] = [];
  let words = 5;
  let delayMs = 0;
  let approval = false;

  beforeAll(async () => {
    const deleteFile = tool({ name: 'delete_file', description: 'Deletes a file', parameters: z.object({ path: z.string() }), needsApproval: true, execute: ({ path }) => `deleted ${path}` });
    const model = () =>
      new ScriptedModel({
        turns: (request) => {
          const answered = request.input.some((item) => item.type === 'function_call_output');
          if (approval && !answered) return { toolCalls: [{ name: 'delete_file', arguments: { path: 'a.txt' } }], delayMs };
          return { text: Array.from({ length: words }, (_, i) => `${lastUserText(request)}-${i} `), delayMs };
        },
      });
    for (let i = 0; i < 3; i++) {
      const registry = new RedisRunRegistry({ client: redis.client(), prefix: `property-${process.pid}`, leaseMs: 5_000 });
      registries.push(registry);
      const assistant = new Agent({ name: 'Assistant', model: model(), tools: [deleteFile] });
      servers.push(await startRunsServer(serveRuns({ agents: { assistant }, registry, onError: (e) => expect.fail(String(e)) })));
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    for (const registry of registries) registry.close();
  });

  it('every event once and in order, one terminal, accepted input used or reported, no run left', { timeout: propertyTimeoutMs }, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        ({ words, delayMs, approval } = s);
        const origins = servers.map((server) => new URL(server.url).origin);
        let routed = 0;
        const injects: { text: string; status: number }[] = [];
        const balancer: FetchLike = async (input, init) => {
          const url = new URL(input);
          const node = url.pathname.endsWith('/runs') ? s.startOn : s.routes[routed++ % s.routes.length]!;
          const response = await fetch(`${origins[node]}${url.pathname}`, init);
          if (url.pathname.endsWith('/inject')) injects.push({ text: (JSON.parse(String(init.body)) as { input: string }).input, status: response.status });
          return response;
        };
        const cancel$ = new Subject<{ reason: string; mode: 'immediate' | 'after_turn' }>();
        const inject$ = new Subject<string>();
        let runId = '';
        let index = 0;
        const { events, error } = await collect(
          remoteRun({ url: 'http://balancer/api', agent: 'assistant', input: 'go', fetch: balancer, cancel$, inject$, onRunId: (id) => (runId = id), reconnect: { delayMs: 1 } }).pipe(
            tap((event) => {
              if (event.type === 'tool.approval_requested') event.approve();
              for (const { at, kind } of s.actions.filter((a) => a.at === index)) {
                if (kind === 'cancel' || kind === 'after_turn') cancel$.next({ reason: kind, mode: kind === 'cancel' ? 'immediate' : 'after_turn' });
                else if (kind === 'inject') inject$.next(`more${at}`);
                else for (const server of servers) server.dropStreams();
              }
              index++;
            }),
          ),
        );
        await eventually(() => servers.every((server) => server.handler.activeRuns === 0), 10_000);
        const log = await serverLog(registries[0]!, runId);
        const terminals = log.filter((e) => e.type === 'run.updated' && e['status'] !== 'running');
        expect(terminals).toHaveLength(1);
        expect(log.at(-1)).toBe(terminals[0]);
        // The client saw exactly the log: each event once, in order, none lost across drops and nodes.
        expect(events.map(encodeEvent)).toEqual(log);
        const terminal = terminals[0]!;
        if (terminal['status'] === 'failed') expect(error).toBeDefined();
        else expect(error).toBeUndefined();
        // An inject the run took (202) is in its log or reported unconsumed; a refused one was too late (409).
        const text = JSON.stringify(log);
        for (const { text: said, status } of injects) {
          expect([202, 409]).toContain(status);
          if (status === 202) expect(text).toContain(said);
        }
        count(String(terminal['status']));
      }),
      { numRuns: Math.max(30, Math.ceil(propertyRuns / 10)) },
    );
  });
});
