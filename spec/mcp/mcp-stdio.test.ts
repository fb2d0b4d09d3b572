import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Subject, type Subscription } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, ScriptedModel, run, type ScriptedTurn, type StreamEvent, type ToolOutputRunItem } from '../../lib/index.js';
import { McpConnectionError, mcpServer, type McpToolsOptions } from '../../lib/mcp/index.js';
import { McpStdioTransport } from '../../lib/node/index.js';
import { collect, statuses } from '../helpers/collect.js';
import { tracingHarness } from '../helpers/tracing.js';
import { stdioServerScript } from '../support/mcp-stdio-server-build.js';
import { allGone, isRunning } from '../support/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'rxjs-agents-mcp-'));
let script: string;
beforeAll(async () => {
  script = await stdioServerScript();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let logs = 0;

const outputs = (events: readonly StreamEvent[]): ToolOutputRunItem[] =>
  events.flatMap((e) => (e.type === 'item.created' && e.item.type === 'tool_output' ? [e.item] : []));

async function until(predicate: () => boolean, what: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A stdio test server (its own process, started on first use) whose log the test reads. */
function stdioServer(command = process.execPath) {
  const file = join(dir, `log-${++logs}.txt`);
  const read = () => {
    try {
      return readFileSync(file, 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  const server = mcpServer({
    name: 'stdio-test',
    transport: () =>
      new McpStdioTransport({
        command,
        args: [script],
        env: { PATH: process.env['PATH'], MCP_TEST_LOG: file },
        // The default: time for a starved server (a loaded machine) to read the last messages before SIGTERM.
        killGraceMs: 2000,
        // The server's own complaints (writing to a closed pipe as it is stopped) are not the test's.
        stderr: 'ignore',
      }),
  });
  const logged = async (pattern: RegExp) => {
    let match: RegExpMatchArray | null = null;
    await until(() => read().some((line) => (match = line.match(pattern)) !== null), () => `${pattern} in ${read().join(' | ')}`);
    return match!;
  };
  /** Every pid the server reported: its own, and its children's. */
  const pids = () => read().flatMap((line) => (/^(pid|child) (\d+)$/.exec(line) ? [Number(line.split(' ')[1])] : []));
  return { server, logged, pids, read };
}

function runWith(server: ReturnType<typeof stdioServer>['server'], turns: ScriptedTurn[], runOptions: Parameters<typeof run>[2] = {}, tools: McpToolsOptions = {}) {
  const model = new ScriptedModel({ turns: [...turns, { text: 'done' }] });
  const events: StreamEvent[] = [];
  let finished = false;
  const subscription: Subscription = run(new Agent({ name: 'A', model, tools: [server.tools(tools)] }), 'go', runOptions).subscribe({
    next: (e) => events.push(e),
    complete: () => (finished = true),
    error: () => (finished = true),
  });
  return { events, subscription, finished: () => finished };
}

// Each test starts a Node process; on a loaded machine that alone can take seconds.
describe('MCP over stdio: the server process never outlives its use', { timeout: 40_000 }, () => {
  it('calls work (traced as MCP over a pipe), and the server process is gone once the run completes', async () => {
    const s = stdioServer();
    const harness = tracingHarness();
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'echo', arguments: { text: 'hi' } }] }, { text: 'done' }] });
    const { events } = await collect(run(new Agent({ name: 'A', model, tools: [s.server.tools()] }), 'go', { tracer: harness.tracer }));
    expect(outputs(events)[0]!.output).toBe('hi');
    expect(harness.one('execute_tool echo').attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'mcp.protocol.version': expect.any(String),
      'network.transport': 'pipe',
    });
    expect(s.pids()).toHaveLength(1);
    await allGone(s.pids());
  });

  it('on unsubscribe mid-call: the server sees notifications/cancelled and its signal abort, then it and its children are gone', async () => {
    const s = stdioServer();
    const call = runWith(s.server, [{ toolCalls: [{ name: 'spawn_child' }] }, { toolCalls: [{ name: 'wait' }] }]);
    const [, id] = await s.logged(/^started wait (\d+)$/);
    await until(() => call.events.some((e) => e.type === 'tool.progress'), () => 'progress');
    expect(s.pids()).toHaveLength(2);
    expect(s.pids().every(isRunning)).toBe(true);
    call.subscription.unsubscribe();
    await s.logged(new RegExp(`^cancelled ${id}$`));
    await s.logged(new RegExp(`^aborted wait ${id}$`));
    await allGone(s.pids());
  });

  it('on cancel: the run ends cancelled and the server process is gone', async () => {
    const s = stdioServer();
    const cancel$ = new Subject<string>();
    const call = runWith(s.server, [{ toolCalls: [{ name: 'wait' }] }], { cancel$ });
    const [, id] = await s.logged(/^started wait (\d+)$/);
    cancel$.next('stop');
    await until(call.finished, () => 'the run to end');
    expect(statuses(call.events)).toEqual(['running', 'cancelled']);
    await s.logged(new RegExp(`^cancelled ${id}$`));
    await allGone(s.pids());
  });

  it('on timeout: the server is told while the run goes on; the process is gone when the run ends', async () => {
    const s = stdioServer();
    const call = runWith(s.server, [{ toolCalls: [{ name: 'wait' }] }, { toolCalls: [{ name: 'echo', arguments: { text: 'after' } }] }], {}, { timeoutMs: 300 });
    const [, id] = await s.logged(/^started wait (\d+)$/);
    await s.logged(new RegExp(`^cancelled ${id}$`));
    await until(call.finished, () => 'the run to end');
    expect(outputs(call.events).map((o) => o.error?.kind ?? o.output)).toEqual(['timeout', 'after']);
    await allGone(s.pids());
  });

  it('a server that dies mid-call is a tool-call error, later calls fail fast, and the run goes on', async () => {
    const s = stdioServer();
    const call = runWith(s.server, [{ toolCalls: [{ name: 'die' }] }, { toolCalls: [{ name: 'echo', arguments: { text: 'anyone?' } }] }]);
    await until(call.finished, () => 'the run to end');
    expect(statuses(call.events)).toEqual(['running', 'completed']);
    const [died, after] = outputs(call.events);
    expect(died!.error?.kind).toBe('execution_failed');
    expect(died!.rawItem.output).toMatch(/Connection closed/);
    expect(after!.error?.kind).toBe('execution_failed');
    expect(after!.rawItem.output).toMatch(/Not connected/);
    await allGone(s.pids());
  });

  it('a server that cannot start fails the run with McpConnectionError', async () => {
    const s = stdioServer('/nonexistent/mcp-server');
    const { error } = await collect(run(new Agent({ name: 'A', model: new ScriptedModel({ turns: [{ text: 'never' }] }), tools: [s.server.tools()] }), 'go'));
    expect(error).toBeInstanceOf(McpConnectionError);
    expect((error as Error).message).toMatch(/^MCP server "stdio-test": could not connect: .*ENOENT/);
  });
});
