/**
 * An MCP server's tools as an agent's tools, and a cancel that reaches the server.
 * The server (examples/mcp-server.ts) runs as a child process over stdio; the model
 * is scripted, so this runs offline. After three progress reports the user stops
 * the run: the server receives notifications/cancelled for the call in flight, and
 * its process (with anything it started) is stopped.
 *
 *   npx tsx examples/mcp.ts
 */
import { fileURLToPath } from 'node:url';
import { lastValueFrom, Subject, tap } from 'rxjs';
import { Agent, run, ScriptedModel } from '../lib/index.js';
import { mcpServer } from '../lib/mcp/index.js';
import { McpStdioTransport } from '../lib/node/index.js';
import { printEvent } from './print-events.js';

let serverPid: number | undefined;
const counter = mcpServer({
  name: 'counter',
  transport: () => {
    const transport = new McpStdioTransport({
      command: process.execPath,
      args: ['--import', 'tsx', fileURLToPath(new URL('./mcp-server.ts', import.meta.url))],
      killGraceMs: 500,
    });
    // Only to show below that the process is gone.
    const start = transport.start.bind(transport);
    transport.start = () => start().then(() => void (serverPid = transport.pid));
    return transport;
  },
});

const agent = new Agent({
  name: 'Counter',
  // The run holds the connection while this agent runs, and sees tool-list changes.
  tools: [counter.tools({ filter: ['add', 'count_slowly'] })],
  model: new ScriptedModel({
    delayMs: 20,
    turns: [
      { toolCalls: [{ name: 'add', arguments: { a: 2, b: 3 } }] },
      { text: 'Now counting.', toolCalls: [{ name: 'count_slowly', arguments: { to: 100 } }] },
      { text: 'never reached' },
    ],
  }),
});

const stop$ = new Subject<string>();
await lastValueFrom(
  run(agent, 'Add 2 and 3, then count to 100', { cancel$: stop$ }).pipe(
    tap(printEvent),
    tap((event) => {
      if (event.type === 'tool.progress' && (event.value as { progress: number }).progress === 3) stop$.next('the user pressed stop');
    }),
  ),
);

// Nothing waited for the server; give it a moment to log, then check its process.
await new Promise((resolve) => setTimeout(resolve, 1000));
const alive = (() => {
  try {
    process.kill(serverPid!, 0);
    return true;
  } catch {
    return false;
  }
})();
console.log(`server process ${serverPid} ${alive ? 'is still running (zombie until reaped)' : 'is gone'}`);
