import { fileURLToPath } from 'node:url';
import { firstValueFrom, Subject, take, tap, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FetchLike, remoteRun } from '../../lib/client/index.js';
import { encodeEvent, RunOwnerLostError, type StreamEvent } from '../../lib/index.js';
import { RedisRunRegistry, RedisSession } from '../../lib/redis/index.js';
import { collect, expectPaired } from '../helpers/collect.js';
import { useRedis } from '../durable/use-redis.js';
import { allGone, processState } from '../support/processes.js';
import { bundleChild, type JsonLinesChild, spawnJsonLines } from '../support/json-lines-child.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { useOpenAIServer } from '../support/use-openai-server.js';
import type { NodeConfig } from './fixtures/run-node.js';

const leaseMs = 1_000;
const prefix = `many-nodes-${process.pid}`;
const source = fileURLToPath(new URL('./fixtures/run-node.ts', import.meta.url));
const alice = { authorization: 'Bearer alice' };

interface ServerNode {
  readonly child: JsonLinesChild;
  /** Its origin, e.g. `http://127.0.0.1:4321`. */
  readonly origin: string;
}

/** What the balancer sent where: method, path, node and answer status. */
interface Routed {
  readonly node: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

function terminalOf(events: readonly StreamEvent<unknown>[]) {
  return events.filter((e) => e.type === 'run.updated').at(-1);
}

describe('many nodes, one run: a RedisRunRegistry shared by three server processes', { timeout: 60_000 }, () => {
  const redis = useRedis();
  const fx = useOpenAIServer();
  const nodes: ServerNode[] = [];
  let logs: RedisRunRegistry;

  async function startNode(): Promise<ServerNode> {
    const config: NodeConfig = { redisUrl: redis.server.url, openaiBaseURL: `${fx.server.url}/v1`, prefix, leaseMs };
    const child = spawnJsonLines(await bundleChild(source), { RUN_NODE: JSON.stringify(config) });
    const listening = await child.line((l) => l.type === 'listening');
    const node = { child, origin: new URL(String(listening['url'])).origin };
    nodes.push(node);
    return node;
  }

  /**
   * A load balancer in front of the nodes: each request goes where `route` says
   * (by method and path), and what it did is recorded.
   */
  function balancer(route: (method: string, path: string) => string): { fetch: FetchLike; routed: Routed[] } {
    const routed: Routed[] = [];
    return {
      routed,
      fetch: async (input, init) => {
        const url = new URL(input);
        const method = init.method ?? 'GET';
        const node = route(method, url.pathname);
        const response = await fetch(`${node}${url.pathname}`, init);
        routed.push({ node, method, path: url.pathname, status: response.status });
        return response;
      },
    };
  }

  beforeAll(async () => {
    await Promise.all([startNode(), startNode(), startNode()]);
    logs = new RedisRunRegistry({ client: redis.client(), prefix, leaseMs });
  });
  afterAll(async () => {
    logs?.close();
    for (const { child } of nodes) child.process.kill('SIGKILL');
    await allGone(nodes.flatMap(({ child }) => (child.process.pid ? [child.process.pid] : [])));
  });

  const serverLog = (id: string) => firstValueFrom(logs.events(id).pipe(toArray()));

  it('a stream cut on node A resumes on node B: every event once, in order, none lost', async () => {
    const [a, b] = nodes as [ServerNode, ServerNode];
    const proxy: TcpProxy = await startTcpProxy(Number(new URL(a.origin).port));
    try {
      const words = Array.from({ length: 40 }, (_, i) => `w${i} `);
      fx.server.enqueue({ text: words, delayMs: 4 });
      const viaProxy = `http://127.0.0.1:${proxy.port}`;
      // The run starts on A (through a link the test cuts); every reconnect lands on B.
      const lb = balancer((method) => (method === 'POST' ? viaProxy : b.origin));
      let deltas = 0;
      let runId = '';
      const { events, error } = await collect(
        remoteRun({ url: 'http://balancer/api', agent: 'assistant', input: 'Count', headers: alice, fetch: lb.fetch, onRunId: (id) => (runId = id) }).pipe(
          tap((e) => e.type === 'text.delta' && ++deltas === 5 && proxy.dropAll()),
        ),
      );
      expect(error).toBeUndefined();
      // Words that reach the server in one read cross as one delta: the text is whole, each word once.
      expect(events.flatMap((e) => (e.type === 'text.delta' ? [e.delta] : [])).join('')).toBe(words.join(''));
      expect(terminalOf(events)).toMatchObject({ status: 'completed' });
      // Exactly the server's log, and the rest of it came from B.
      const log = await serverLog(runId);
      expect(events.map(encodeEvent)).toEqual(log.map((logged) => logged.event));
      expect(lb.routed.filter((r) => r.method === 'GET' && r.node === b.origin && r.status === 200).length).toBeGreaterThanOrEqual(1);
    } finally {
      await proxy.close();
    }
  });

  it("a cancel sent to node C closes node A's model socket, and the run ends cancelled everywhere", async () => {
    const [a, , c] = nodes as [ServerNode, ServerNode, ServerNode];
    fx.server.enqueue({ text: 'Once upon a time', fault: { kind: 'hang' } });
    const cancel$ = new Subject<string>();
    const lb = balancer((method, path) => (path.endsWith('/cancel') ? c.origin : a.origin));
    const done = collect(
      remoteRun({ url: 'http://balancer/api', agent: 'assistant', input: 'Story', headers: alice, fetch: lb.fetch, cancel$ }).pipe(
        tap((e) => e.type === 'text.delta' && e.delta.startsWith('Once') && cancel$.next('stop from C')),
      ),
    );
    const model = await fx.server.request(fx.server.requests.length);
    await model.closed;
    expect(model.closedByClient).toBe(true);
    const { events } = await done;
    expect(terminalOf(events)).toMatchObject({ status: 'cancelled', reason: 'stop from C' });
    // C's 202 and A's terminal event race on two connections: on a loaded machine the answer may come second.
    await vi.waitFor(() => expect(lb.routed).toContainEqual(expect.objectContaining({ node: c.origin, path: expect.stringMatching(/cancel$/), status: 202 })), { timeout: 10_000 });
  });

  it('a cancel sent while the owner is paused (SIGSTOP, shorter than its lease) waits in its stream and is applied when it resumes', async () => {
    const [a, b] = nodes as [ServerNode, ServerNode];
    fx.server.enqueue({ text: 'Once upon a time', fault: { kind: 'hang' } });
    let runId = '';
    // Paused once, at the first delta: the later deltas, which A sends on once resumed, must not pause it again.
    let paused = false;
    const done = collect(remoteRun({ url: `${a.origin}/api`, agent: 'assistant', input: 'Story', headers: alice, onRunId: (id) => (runId = id) }).pipe(
      tap((e) => {
        if (e.type !== 'text.delta' || paused) return;
        paused = true;
        a.child.process.kill('SIGSTOP');
      }),
    ));
    const model = await fx.server.request(fx.server.requests.length);
    await waitFor(() => runId);
    await waitFor(() => a.child.process.kill(0) && processState(a.child.process.pid!) === 'T');
    const cancelled = fetch(`${b.origin}/api/runs/${runId}/cancel`, { method: 'POST', headers: { ...alice, 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'while paused' }) });
    // Not applied while A is paused: its model stream is still open.
    const early = await Promise.race([model.closed.then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('open'), leaseMs / 4))]);
    a.child.process.kill('SIGCONT');
    expect(early).toBe('open');
    expect((await cancelled).status).toBe(202);
    await model.closed;
    expect(terminalOf((await done).events)).toMatchObject({ status: 'cancelled', reason: 'while paused' });
  });

  it("an inject sent to node B reaches the run's next turn on node A", async () => {
    const [a, b] = nodes as [ServerNode, ServerNode];
    const first = fx.server.requests.length;
    fx.server.enqueue({ toolCalls: [{ name: 'gate', arguments: {} }] }, { text: 'Paris and Rome: sunny.' });
    const inject$ = new Subject<string>();
    const lb = balancer((method, path) => (path.endsWith('/inject') ? b.origin : a.origin));
    let injected!: () => void;
    const answered = new Promise<void>((resolve) => (injected = resolve));
    const fetchAndTell: FetchLike = async (input, init) => {
      const response = await lb.fetch(input, init);
      if (input.endsWith('/inject')) injected();
      return response;
    };
    const done = collect(
      remoteRun({ url: 'http://balancer/api', agent: 'assistant', input: 'Weather in Paris?', headers: alice, fetch: fetchAndTell, inject$ }),
    );
    await a.child.line((l) => l.type === 'gate.waiting' && !a.child.lines.slice(0, -1).includes(l));
    inject$.next('And in Rome?');
    await answered;
    a.child.write('open');
    const { events } = await done;
    expect(terminalOf(events)).toMatchObject({ status: 'completed' });
    expect(lb.routed).toContainEqual(expect.objectContaining({ node: b.origin, path: expect.stringMatching(/inject$/), status: 202 }));
    expect(JSON.stringify(fx.server.requests[first + 1]!.body)).toContain('And in Rome?');
    expect(events.some((e) => e.type === 'item.created' && e.item.type === 'injected_input')).toBe(true);
  });

  it('an approval sent to node C is applied on node A', async () => {
    const [a, , c] = nodes as [ServerNode, ServerNode, ServerNode];
    const first = fx.server.requests.length;
    fx.server.enqueue({ toolCalls: [{ name: 'delete_file', arguments: { path: 'a.txt' } }] }, { text: 'Deleted.' });
    const lb = balancer((method, path) => (path.endsWith('/approvals') ? c.origin : a.origin));
    const { events } = await collect(
      remoteRun({ url: 'http://balancer/api', agent: 'assistant', input: 'Delete a.txt', headers: alice, fetch: lb.fetch }).pipe(
        tap((e) => e.type === 'tool.approval_requested' && e.approve()),
      ),
    );
    expect(terminalOf(events)).toMatchObject({ status: 'completed' });
    expect(lb.routed).toContainEqual(expect.objectContaining({ node: c.origin, path: expect.stringMatching(/approvals$/), status: 202 }));
    expect(JSON.stringify(fx.server.requests[first + 1]!.body)).toContain('deleted a.txt');
  });

  it('another identity is refused on every node', async () => {
    const [a, b, c] = nodes as [ServerNode, ServerNode, ServerNode];
    fx.server.enqueue({ text: 'Secret', fault: { kind: 'hang' } });
    const cancel$ = new Subject<string>();
    let runId = '';
    const done = collect(
      remoteRun({ url: `${a.origin}/api`, agent: 'assistant', input: 'Plan', headers: alice, cancel$, onRunId: (id) => (runId = id) }),
    );
    await firstValueFrom(logs.events(await waitFor(() => runId)).pipe(take(1)));
    for (const node of [a, b, c]) {
      const asBob = { authorization: 'Bearer bob', 'content-type': 'application/json' };
      expect((await fetch(`${node.origin}/api/runs/${runId}/events`, { headers: asBob })).status).toBe(404);
      expect((await fetch(`${node.origin}/api/runs/${runId}/cancel`, { method: 'POST', headers: asBob, body: '{}' })).status).toBe(404);
    }
    cancel$.next('done');
    expect(terminalOf((await done).events)).toMatchObject({ status: 'cancelled' });
  });

  it('SIGKILL of the owner: another node ends the run failed within the lease time, and the conversation continues there', async () => {
    const [, b] = nodes as [ServerNode, ServerNode];
    const owner = await startNode();
    const conversationId = `killed-${process.pid}`;
    const onOwner = balancer(() => owner.origin);
    fx.server.enqueue({ text: 'First answer.' });
    const firstRun = await collect(remoteRun({ url: 'http://balancer/api', agent: 'assistant', input: 'First question', conversationId, headers: alice, fetch: onOwner.fetch }));
    expect(terminalOf(firstRun.events)).toMatchObject({ status: 'completed' });

    // The second run waits in a tool on the owner; then the owner dies. The client's reconnects land on B.
    fx.server.enqueue({ toolCalls: [{ name: 'gate', arguments: {} }] });
    const lb = balancer((method) => (method === 'POST' ? owner.origin : b.origin));
    const killedRun = collect(
      remoteRun({ url: 'http://balancer/api', agent: 'assistant', input: 'Second question', conversationId, headers: alice, fetch: lb.fetch, reconnect: { delayMs: 20 } }),
    );
    await owner.child.line((l) => l.type === 'gate.waiting');
    const killedAt = performance.now();
    owner.child.process.kill('SIGKILL');
    const { events, error } = await killedRun;
    const noticedIn = performance.now() - killedAt;
    expect(error).toBeInstanceOf(RunOwnerLostError);
    expect(terminalOf(events)).toMatchObject({ status: 'failed' });
    // Lease-driven, not a long timeout: a claim expires at most a lease after the kill, the next sweep (a quarter
    // of a lease later) ends the run, then the client's reconnect reads it; a busy 2-core machine adds the rest.
    expect(noticedIn).toBeLessThan(leaseMs * 2);
    expect(lb.routed.some((r) => r.method === 'GET' && r.node === b.origin)).toBe(true);

    // The history holds every completed turn, is valid, and B continues it.
    const history = await new RedisSession({ client: redis.client(), id: conversationId }).getItems();
    expectPaired(history);
    fx.server.enqueue({ text: 'Third answer.' });
    const onB = balancer(() => b.origin);
    const next = await collect(remoteRun({ url: 'http://balancer/api', agent: 'assistant', input: 'Third question', conversationId, headers: alice, fetch: onB.fetch }));
    expect(terminalOf(next.events)).toMatchObject({ status: 'completed', result: { finalOutput: 'Third answer.' } });
    const sent = JSON.stringify(fx.server.requests.at(-1)!.body);
    for (const text of ['First question', 'First answer.', 'Second question', 'Third question']) expect(sent).toContain(text);
  });
});

/** Resolves with `read()`'s value once it is truthy. */
async function waitFor<T>(read: () => T): Promise<T> {
  for (;;) {
    const value = read();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
