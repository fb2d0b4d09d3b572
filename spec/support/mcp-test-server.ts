import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { z } from 'zod';

/** What the test server saw, as plain lines: `started wait 3`, `aborted wait 3`, `cancelled 3`, … */
export type ServerLog = (line: string) => void;

/**
 * A real MCP server written with the official SDK, with tools that show the
 * client's behaviour: `wait` runs until its signal aborts (after one progress
 * notification), `fail` answers isError, `picture` answers an image and structured
 * content, `add_tool` changes the tool list, `die` kills the server mid-call.
 */
export function testMcpServer(log: ServerLog): McpServer {
  const server = new McpServer({ name: 'rxjs-agents-test', version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } });
  server.registerTool('echo', { description: 'Echoes the text', inputSchema: { text: z.string() } }, ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  server.registerTool(
    'count',
    { description: 'Counts to n', inputSchema: { n: z.number().int().min(1).max(5) } },
    ({ n }) => ({ content: [{ type: 'text', text: Array.from({ length: n }, (_, i) => i + 1).join(' ') }] }),
  );
  server.registerTool('wait', { description: 'Works until cancelled', inputSchema: {} }, async (_args, extra) => {
    log(`started wait ${extra.requestId}`);
    const token = extra._meta?.progressToken;
    if (token !== undefined) {
      await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: 1, total: 3, message: 'crawling' } });
    }
    await new Promise<void>((resolve) => extra.signal.addEventListener('abort', () => resolve(), { once: true }));
    log(`aborted wait ${extra.requestId}`);
    return { content: [{ type: 'text', text: 'too late' }] };
  });
  server.registerTool('fail', { description: 'Always fails', inputSchema: {} }, () => ({
    content: [{ type: 'text', text: 'disk full' }],
    isError: true,
  }));
  server.registerTool('picture', { description: 'A picture and its size', inputSchema: {} }, () => ({
    content: [{ type: 'image', data: Buffer.alloc(300).toString('base64'), mimeType: 'image/png' }],
    structuredContent: { width: 10, height: 30 },
  }));
  server.registerTool('add_tool', { description: 'Adds a tool named extra', inputSchema: {} }, () => {
    server.registerTool('extra', { description: 'Added later', inputSchema: {} }, () => ({ content: [{ type: 'text', text: 'extra!' }] }));
    return { content: [{ type: 'text', text: 'added' }] };
  });
  server.registerTool('spawn_child', { description: 'Starts a long-running child process', inputSchema: {} }, () => {
    const child = spawn('sleep', ['1000'], { stdio: 'ignore' });
    log(`child ${child.pid}`);
    return { content: [{ type: 'text', text: String(child.pid) }] };
  });
  server.registerTool('die', { description: 'Kills the server mid-call', inputSchema: {} }, () => {
    log('dying');
    setImmediate(() => process.exit(1));
    return new Promise(() => undefined);
  });
  return server;
}

/** Logs every `notifications/cancelled` the server receives on `transport`. */
export function logCancellations(transport: Transport, log: ServerLog): void {
  const onmessage = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if ('method' in message && message.method === 'notifications/cancelled') log(`cancelled ${String(message.params?.['requestId'])}`);
    onmessage?.(message, extra);
  };
}

/** A running Streamable HTTP MCP server on 127.0.0.1, one SDK server per session. */
export interface HttpMcpServer {
  readonly url: string;
  readonly lines: string[];
  /** How many sessions are open. */
  openSessions(): number;
  close(): Promise<void>;
}

export async function startHttpMcpServer(): Promise<HttpMcpServer> {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const http: Server = createServer(async (req, res) => {
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? transports.get(id) : undefined;
    if (!transport) {
      if (id !== undefined) {
        res.writeHead(404).end();
        return;
      }
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (sessionId) => void transports.set(sessionId, created),
        onsessionclosed: (sessionId) => {
          log(`session closed ${sessionId}`);
          transports.delete(sessionId);
        },
      });
      await testMcpServer(log).connect(created);
      logCancellations(created, log);
      transport = created;
    }
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    lines,
    openSessions: () => transports.size,
    close: async () => {
      for (const transport of transports.values()) await transport.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
