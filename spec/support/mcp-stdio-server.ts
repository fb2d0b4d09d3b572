/**
 * The test MCP server over stdio, run as its own process (compiled first by
 * `stdioServerScript()`, or `node --import tsx spec/support/mcp-stdio-server.ts`). What it sees is appended
 * to the file named by MCP_TEST_LOG, one line at a time, with `pid <n>` first.
 */
import { appendFileSync } from 'node:fs';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { logCancellations, testMcpServer } from './mcp-test-server.js';

const file = process.env['MCP_TEST_LOG'];
const log = (line: string) => {
  if (file) appendFileSync(file, `${line}\n`);
};
log(`pid ${process.pid}`);
const transport = new StdioServerTransport();
await testMcpServer(log).connect(transport);
logCancellations(transport, log);
