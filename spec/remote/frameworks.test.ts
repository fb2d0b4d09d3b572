import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { filter, firstValueFrom, map, Subject, take, tap, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { expressApp } from '../../examples/remote/mounting/express.js';
import { fastifyApp } from '../../examples/remote/mounting/fastify.js';
import { honoApp } from '../../examples/remote/mounting/hono.js';
import { nodeServer } from '../../examples/remote/mounting/node-http.js';
import { remoteRun, RemoteRunError } from '../../lib/client/index.js';
import { Agent, encodeEvent, run, ScriptedModel, tool } from '../../lib/index.js';
import { MemoryRunRegistry, type RunControl, type RunsHandler, serveRuns, type ServeRunsOptions } from '../../lib/server/index.js';
import { collect, joinDeltas } from '../helpers/collect.js';
import { observedRegistry } from './observed-registry.js';
import { cancelledAtFirstDelta, eventually, terminalOf } from './remote-runs.suite.js';

// serveRuns mounted under /api/agents in real Node http, Express, Hono (@hono/node-server) and Fastify
// servers on 127.0.0.1, exactly as README "From the browser" shows (the mounting code is the files of
// examples/remote/mounting/), and driven by remoteRun over the real fetch.

describe('README "From the browser"', () => {
  it('shows, verbatim, the mounting files these tests run, and the type-checked Angular SSR server', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## From the browser'), readme.indexOf('\n## ', readme.indexOf('## From the browser') + 1));
    const files = ['express', 'hono', 'fastify'].map((name) => `examples/remote/mounting/${name}.ts`).concat('examples/angular/ssr-server.ts');
    for (const file of files) expect(section, file).toContain('```ts\n' + readFileSync(file, 'utf8') + '```');
    expect(readFileSync('examples/angular/tsconfig.server.json', 'utf8')).toContain('ssr-server.ts');
    // The Node http snippet mounts the handler with the same adapter, the same way.
    expect(section).toContain('createServer(getRequestListener(handler))');
  });
});

interface Listening {
  readonly server: Server;
  close?(): Promise<void>;
}

const frameworks: { name: string; listen: (handler: RunsHandler) => Promise<Listening> }[] = [
  {
    name: "Node's http",
    listen: async (handler) => {
      const server = nodeServer(handler).listen(0, '127.0.0.1');
      await once(server, 'listening');
      return { server };
    },
  },
  {
    name: 'Express',
    listen: async (handler) => {
      const server = expressApp(handler).listen(0, '127.0.0.1');
      await once(server, 'listening');
      return { server };
    },
  },
  {
    name: 'Hono',
    listen: async (handler) => {
      const server = serve({ fetch: honoApp(handler).fetch, port: 0, hostname: '127.0.0.1' }) as Server;
      await once(server, 'listening');
      return { server };
    },
  },
  {
    name: 'Fastify',
    listen: async (handler) => {
      const app = fastifyApp(handler);
      await app.listen({ port: 0, host: '127.0.0.1' });
      return { server: app.server, close: () => app.close() };
    },
  },
];

const json = { 'content-type': 'application/json' };

describe.each(frameworks)('serveRuns mounted in $name under /api/agents', ({ listen }) => {
  const open: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of open.splice(0)) await close();
  });

  /** The handler in a real server; `delivered` reports each control message that reached a run. */
  async function mount(agent: Agent, options: Partial<ServeRunsOptions> = {}) {
    const { registry, delivered } = observedRegistry(new MemoryRunRegistry());
    const handler = serveRuns({ agents: { assistant: agent }, registry, onError: (e) => expect.fail(String(e)), ...options });
    const listening = await listen(handler);
    open.push(async () => {
      await handler.close();
      listening.server.closeAllConnections();
      await (listening.close?.() ?? new Promise<void>((done) => listening.server.close(() => done())));
    });
    const { port } = listening.server.address() as AddressInfo;
    const serverLog = (id: string) => firstValueFrom(registry.events(id).pipe(map((logged) => logged.event), toArray()));
    return { url: `http://127.0.0.1:${port}/api/agents`, handler, delivered, serverLog };
  }

  it('streams the same events as a local run, and replays them to a client attaching by id', async () => {
    const weather = tool({ name: 'get_weather', description: 'Weather', parameters: z.object({ city: z.string() }), execute: ({ city }) => `Sunny in ${city}` });
    const makeAgent = () =>
      new Agent({
        name: 'Assistant',
        tools: [weather],
        model: new ScriptedModel({ turns: [{ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] }, { text: 'Sunny in Paris today.' }] }),
      });
    const { url } = await mount(makeAgent());
    const local = await collect(run(makeAgent(), 'Weather in Paris?'));
    let runId = '';
    const remote = await collect(remoteRun({ url, agent: 'assistant', input: 'Weather in Paris?', onRunId: (id) => (runId = id) }));
    expect(remote.error).toBeUndefined();
    expect(remote.events.map(encodeEvent)).toEqual(joinDeltas(local.events.map(encodeEvent)));
    expect(terminalOf(remote.events)).toMatchObject({ status: 'completed', result: { finalOutput: 'Sunny in Paris today.' } });
    // GET runs/{id}/events under the prefix: the finished run replays to its end.
    const replay = await collect(remoteRun({ url, runId }));
    expect(replay.events.map(encodeEvent)).toEqual(remote.events.map(encodeEvent));
  });

  it('streams as the model speaks, and cancel$ reaches the run: cancelled with its reason on both sides', async () => {
    const model = new ScriptedModel({ turns: [{ text: 'Once upon a time', hang: true }] });
    const { url, serverLog, handler } = await mount(new Agent({ name: 'Assistant', model }));
    // The first delta arrives while the model still hangs: nothing between the handler and the socket buffers the stream.
    const { events, error, runId } = await cancelledAtFirstDelta(url, 'A story', 'the user pressed Stop');
    expect(error).toBeUndefined();
    expect(terminalOf(events)).toMatchObject({ status: 'cancelled', reason: 'the user pressed Stop' });
    expect(terminalOf(await serverLog(runId))).toMatchObject({ status: 'cancelled', reason: 'the user pressed Stop' });
    expect(model.openStreams).toBe(0);
    expect(handler.activeRuns).toBe(0);
  });

  it('unsubscribing in the client cancels the run on the server', async () => {
    const model = new ScriptedModel({ turns: [{ text: 'Once upon a time', hang: true }] });
    const { url, serverLog, handler } = await mount(new Agent({ name: 'Assistant', model }));
    let runId = '';
    const subscription = remoteRun({ url, agent: 'assistant', input: 'A story', onRunId: (id) => (runId = id) })
      .pipe(filter((e) => e.type === 'text.delta'), take(1))
      .subscribe();
    await eventually(() => subscription.closed);
    await eventually(() => handler.activeRuns === 0);
    expect(terminalOf(await serverLog(runId))).toMatchObject({ status: 'cancelled', reason: 'the client unsubscribed' });
    expect(model.openStreams).toBe(0);
  });

  it('injected input reaches the next turn', async () => {
    let delivered$: Subject<RunControl> | undefined;
    const waitForInput = tool({
      name: 'wait_for_input',
      description: 'Waits until the user said more',
      parameters: z.object({}),
      execute: () => firstValueFrom(delivered$!.pipe(filter((c) => c.type === 'inject'))).then(() => 'ready'),
    });
    const heard: string[] = [];
    const model = new ScriptedModel({
      turns: (request, index) => {
        heard.push(JSON.stringify(request.input));
        return index === 0 ? { toolCalls: [{ name: 'wait_for_input', arguments: {} }] } : { text: 'Paris and Rome: sunny.' };
      },
    });
    const { url, delivered } = await mount(new Agent({ name: 'Assistant', model, tools: [waitForInput] }));
    delivered$ = delivered;
    const inject$ = new Subject<string>();
    const events$ = remoteRun({ url, agent: 'assistant', input: 'Weather in Paris?', inject$ }).pipe(
      tap((e) => e.type === 'item.created' && e.item.type === 'tool_call' && inject$.next('And in Rome?')),
    );
    const { events } = await collect(events$);
    expect(terminalOf(events)).toMatchObject({ status: 'completed' });
    expect(events.some((e) => e.type === 'item.created' && e.item.type === 'injected_input')).toBe(true);
    expect(heard).toHaveLength(2);
    expect(heard[1]).toContain('And in Rome?');
  });

  it("refuses bad requests with the handler's own 4xx JSON errors (the framework neither parses nor limits bodies)", async () => {
    const { url, handler } = await mount(new Agent({ name: 'Assistant', model: new ScriptedModel({ turns: [{ text: 'unused' }] }) }), {
      maxBodyBytes: 10_000,
    });
    const post = (path: string, body: string) => fetch(`${url}/${path}`, { method: 'POST', headers: json, body });
    const cases: [string, Promise<Response>, number, string, RegExp][] = [
      ['unknown agent', post('runs', JSON.stringify({ agent: 'root', input: 'hi' })), 404, 'not_found', /"root"/],
      ['not JSON', post('runs', '{"agent": '), 400, 'bad_request', /not valid JSON/],
      ['oversize', post('runs', JSON.stringify({ agent: 'assistant', input: 'x'.repeat(20_000) })), 413, 'payload_too_large', /10000 bytes/],
      ['unknown run', post(`runs/${crypto.randomUUID()}/cancel`, '{}'), 404, 'not_found', /No run/],
    ];
    for (const [label, answer, status, code, message] of cases) {
      const response = await answer;
      expect({ label, status: response.status, type: response.headers.get('content-type') }).toMatchObject({ label, status, type: expect.stringContaining('application/json') });
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(Object.keys(body), label).toEqual(['error']);
      expect(body.error.code, label).toBe(code);
      expect(body.error.message, label).toMatch(message);
    }
    // The same refusal, through the client: a typed RemoteRunError.
    const { error } = await collect(remoteRun({ url, agent: 'nobody', input: 'hi' }));
    expect(error).toBeInstanceOf(RemoteRunError);
    expect(error).toMatchObject({ status: 404 });
    expect(handler.activeRuns).toBe(0);
  });
});
