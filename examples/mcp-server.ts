/**
 * A small MCP server for examples/mcp.ts, written with the official SDK. It speaks
 * over stdin/stdout; what it does goes to stderr.
 *
 *   npx tsx examples/mcp-server.ts   (normally started by examples/mcp.ts)
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'example-counter', version: '1.0.0' });

server.registerTool('add', { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() } }, ({ a, b }) => ({
  content: [{ type: 'text', text: String(a + b) }],
}));

server.registerTool(
  'count_slowly',
  { description: 'Counts to a number, one step every 300 ms', inputSchema: { to: z.number().int().min(1).max(1000) } },
  async ({ to }, { signal, sendNotification, _meta }) => {
    for (let i = 1; i <= to; i++) {
      // The client's notifications/cancelled aborts this signal.
      if (signal.aborted) {
        process.stderr.write(`  [server] count_slowly stopped at ${i - 1}: ${String(signal.reason)}\n`);
        return { content: [{ type: 'text', text: `stopped at ${i - 1}` }] };
      }
      if (_meta?.progressToken !== undefined) {
        await sendNotification({ method: 'notifications/progress', params: { progressToken: _meta.progressToken, progress: i, total: to } });
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    return { content: [{ type: 'text', text: `counted to ${to}` }] };
  },
);

await server.connect(new StdioServerTransport());
process.stderr.write(`  [server] pid ${process.pid} ready\n`);
