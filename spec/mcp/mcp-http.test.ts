import { filter, firstValueFrom, lastValueFrom, Subject, type Subscription, tap } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, ScriptedModel, run, type ScriptedTurn, type StreamEvent, type ToolOutputRunItem } from '../../lib/index.js';
import { McpConnectionError, mcpServer, mcpTool, type McpServer } from '../../lib/mcp/index.js';
import { collect, statuses } from '../helpers/collect.js';
import { tracingHarness } from '../helpers/tracing.js';
import { type HttpMcpServer, startHttpMcpServer } from '../support/mcp-test-server.js';

let http: HttpMcpServer;
let server: McpServer;
beforeAll(async () => {
  http = await startHttpMcpServer();
  server = mcpServer({ name: 'test', url: http.url });
});
afterAll(() => http.close());

const outputs = (events: readonly StreamEvent[]): ToolOutputRunItem[] =>
  events.flatMap((e) => (e.type === 'item.created' && e.item.type === 'tool_output' ? [e.item] : []));

/** Resolves once `predicate` holds, polling; fails after `timeoutMs`. */
async function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Resolves once the server logged a line matching `pattern`; returns its match. */
async function logged(pattern: RegExp): Promise<RegExpMatchArray> {
  let match: RegExpMatchArray | null = null;
  await until(() => http.lines.some((line) => (match = line.match(pattern)) !== null)).catch(() => {
    throw new Error(`the server never logged ${pattern}; it logged: ${http.lines.join(' | ')}`);
  });
  return match!;
}

function agentCalling(turns: ScriptedTurn[], options: Parameters<McpServer['tools']>[0] = {}) {
  const model = new ScriptedModel({ turns: [...turns, { text: 'done' }] });
  return { model, agent: new Agent({ name: 'A', model, tools: [server.tools(options)] }) };
}

/** Starts a run that calls `wait`, resolving once the server has started it and its progress arrived. */
async function startWaiting(runOptions: Parameters<typeof run>[2] = {}, toolOptions: Parameters<McpServer['tools']>[0] = {}) {
  const { agent } = agentCalling([{ toolCalls: [{ name: 'wait' }] }], toolOptions);
  const events: StreamEvent[] = [];
  let finished = false;
  const subscription: Subscription = run(agent, 'go', runOptions).subscribe({
    next: (e) => events.push(e),
    complete: () => (finished = true),
  });
  const [, requestId] = await logged(/^started wait (\d+)$/);
  await until(() => events.some((e) => e.type === 'tool.progress'));
  return { events, subscription, requestId: requestId!, finished: () => finished };
}

describe('MCP over Streamable HTTP: calls', () => {
  it('offers the server’s tools (filtered) with their JSON Schema, calls them, and maps results to text', async () => {
    const { model, agent } = agentCalling(
      [{ toolCalls: [{ name: 'echo', arguments: { text: 'hi' } }, { name: 'picture' }, { name: 'fail' }] }],
      { filter: ['echo', 'picture', 'fail'] },
    );
    const { events } = await collect(run(agent, 'go'));
    expect(statuses(events)).toEqual(['running', 'completed']);
    const tools = model.requests[0]!.tools;
    // In the server's order.
    expect(tools.map((t) => t.name)).toEqual(['echo', 'fail', 'picture']);
    expect(tools[0]!.parameters).toMatchObject({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] });
    const [echo, picture, fail] = outputs(events);
    expect(echo!.output).toBe('hi');
    expect(picture!.output).toBe('[image image/png, 300 bytes]\n{"width":10,"height":30}');
    expect(fail!.error?.kind).toBe('execution_failed');
    expect(fail!.rawItem.output).toContain('disk full');
  });

  it('validates arguments against the server’s JSON Schema before calling, naming what was wrong', async () => {
    const { agent } = agentCalling([{ toolCalls: [{ name: 'count', arguments: { n: 9 } }, { name: 'count', arguments: { n: 3 } }] }]);
    const { events } = await collect(run(agent, 'go'));
    const [bad, good] = outputs(events);
    expect(bad!.error?.kind).toBe('invalid_arguments');
    expect(bad!.rawItem.output).toMatch(/n.*must be <= 5/);
    expect(good!.output).toBe('1 2 3');
  });

  it('a call to a tool the server no longer lists is a tool-call error, never a hang', async () => {
    const held = server.connection$.subscribe();
    const connection = await firstValueFrom(server.connection$);
    // A tool the run still offers (its list not yet refreshed) but the server has dropped.
    const gone = mcpTool(connection, { name: 'dropped', inputSchema: { type: 'object' } }, {});
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'dropped' }] }, { text: 'done' }] });
    const { events } = await collect(run(new Agent({ name: 'A', model, tools: [gone] }), 'go'));
    expect(statuses(events)).toEqual(['running', 'completed']);
    const [output] = outputs(events);
    expect(output!.error?.kind).toBe('execution_failed');
    expect(output!.rawItem.output).toMatch(/dropped/);
    held.unsubscribe();
  });

  it('a tool-list change reaches the tool source: the new tool is offered', async () => {
    const held = server.connection$.subscribe();
    const source$ = server.tools();
    const first = await firstValueFrom(source$);
    expect(first.map((t) => t.name)).not.toContain('extra');
    const connection = await firstValueFrom(server.connection$);
    const withExtra = firstValueFrom(source$.pipe(filter((tools) => tools.some((t) => t.name === 'extra'))));
    await connection.client.callTool({ name: 'add_tool', arguments: {} });
    expect((await withExtra).map((t) => t.name)).toContain('extra');
    held.unsubscribe();
  });

  it('a connection failure fails the run with a typed McpConnectionError, never a hang', async () => {
    const closed = await startHttpMcpServer();
    await closed.close();
    const unreachable = mcpServer({ name: 'gone', url: closed.url });
    const model = new ScriptedModel({ turns: [{ text: 'never' }] });
    const { events, error } = await collect(run(new Agent({ name: 'A', model, tools: [unreachable.tools()] }), 'go'));
    expect(statuses(events)).toEqual(['running', 'failed']);
    expect(error).toBeInstanceOf(McpConnectionError);
    expect((error as Error).message).toMatch(/^MCP server "gone": could not connect/);
    expect(model.requests).toHaveLength(0);
  });
});

describe('MCP over Streamable HTTP: a server that goes away', () => {
  it('mid-call: the call becomes a tool-call error, later calls fail fast, and the run goes on', async () => {
    const doomed = await startHttpMcpServer();
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'wait' }] }, { toolCalls: [{ name: 'echo', arguments: { text: 'x' } }] }, { text: 'done' }] });
    const events: StreamEvent[] = [];
    const done = collect(run(new Agent({ name: 'A', model, tools: [mcpServer({ name: 'doomed', url: doomed.url }).tools()] }), 'go').pipe(tap((e) => events.push(e))));
    await until(() => events.some((e) => e.type === 'tool.progress'));
    await doomed.close();
    const result = await done;
    expect(statuses(result.events)).toEqual(['running', 'completed']);
    const [lost, later] = outputs(result.events);
    expect(lost!.error?.kind).toBe('execution_failed');
    expect(lost!.rawItem.output).toMatch(/Connection closed/);
    expect(later!.error?.kind).toBe('execution_failed');
  }, 15_000);
});

describe('MCP over Streamable HTTP: cancellation reaches the server', () => {
  it('progress notifications arrive as tool.progress events', async () => {
    const call = await startWaiting();
    const progress = call.events.find((e) => e.type === 'tool.progress');
    expect(progress).toMatchObject({ toolName: 'wait', value: { progress: 1, total: 3, message: 'crawling' } });
    call.subscription.unsubscribe();
    await logged(new RegExp(`^aborted wait ${call.requestId}$`));
  });

  it('on unsubscribe: the server gets notifications/cancelled, its handler’s signal aborts, and the session is closed', async () => {
    http.lines.length = 0;
    const call = await startWaiting();
    call.subscription.unsubscribe();
    await logged(new RegExp(`^cancelled ${call.requestId}$`));
    await logged(new RegExp(`^aborted wait ${call.requestId}$`));
    await logged(/^session closed /);
    await until(() => http.openSessions() === 0);
  });

  it('on cancel: the same, and the run ends cancelled', async () => {
    http.lines.length = 0;
    const cancel$ = new Subject<string>();
    const call = await startWaiting({ cancel$ });
    cancel$.next('stop');
    await logged(new RegExp(`^cancelled ${call.requestId}$`));
    await logged(new RegExp(`^aborted wait ${call.requestId}$`));
    await until(call.finished);
    expect(statuses(call.events)).toEqual(['running', 'cancelled']);
  });

  it('on timeout: the server is told, and the run goes on without waiting for it', async () => {
    http.lines.length = 0;
    const { agent } = agentCalling([{ toolCalls: [{ name: 'wait' }] }], { timeoutMs: 300 });
    const { events } = await collect(run(agent, 'go'));
    expect(statuses(events)).toEqual(['running', 'completed']);
    expect(outputs(events)[0]!.error?.kind).toBe('timeout');
    const [, id] = await logged(/^cancelled (\d+)$/);
    await logged(new RegExp(`^aborted wait ${id}$`));
  });
});

describe('MCP over Streamable HTTP: the connection is a shared resource', () => {
  it('is opened by the first user, shared, and closed when the last one leaves (or held by the application)', async () => {
    await until(() => http.openSessions() === 0);
    const held = server.connection$.subscribe();
    const a = server.tools().subscribe();
    const b = server.tools().subscribe();
    await until(() => http.openSessions() === 1);
    a.unsubscribe();
    b.unsubscribe();
    // Still held by the application.
    const { agent } = agentCalling([{ toolCalls: [{ name: 'echo', arguments: { text: 'x' } }] }]);
    await lastValueFrom(run(agent, 'go'));
    expect(http.openSessions()).toBe(1);
    held.unsubscribe();
    await until(() => http.openSessions() === 0);
  });

  it('calls get execute_tool spans with the MCP attributes of the OpenTelemetry conventions', async () => {
    const harness = tracingHarness();
    const { agent } = agentCalling([{ toolCalls: [{ name: 'echo', arguments: { text: 'x' } }] }]);
    await lastValueFrom(run(agent, 'go', { tracer: harness.tracer }));
    const span = harness.one('execute_tool echo');
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'echo',
      'mcp.method.name': 'tools/call',
      'mcp.protocol.version': expect.any(String),
      'network.transport': 'tcp',
      'network.protocol.name': 'http',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(http.url).port),
    });
    expect(span.attributes['mcp.session.id']).toMatch(/^[0-9a-f-]{36}$/);
    harness.expectAllEndedChildrenFirst();
  });
});
