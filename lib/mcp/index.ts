/**
 * rxjs-agents/mcp: MCP servers' tools as an agent's tools, with the official SDK
 * client. A cut-off call sends `notifications/cancelled`; progress becomes
 * `tool.progress`; the connection lives while something uses it. Browser-safe over
 * Streamable HTTP; stdio servers need `McpStdioTransport` from `rxjs-agents/node`.
 * @packageDocumentation
 */
export type { McpConnection } from './mcp-connection.js';
export { McpConnectionError } from './mcp-errors.js';
export { mcpResultText } from './mcp-result-text.js';
export { mcpServer, type McpServer } from './mcp-server.js';
export type { McpServerOptions } from './mcp-server-options.js';
export { mcpTool } from './mcp-tool.js';
export type { McpToolsOptions } from './mcp-tools-options.js';
