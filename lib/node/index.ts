/**
 * rxjs-agents/node: Node-only tools. Commands run in their own process group and
 * are killed as a group when the run stops; MCP servers run over stdio the same way.
 * @packageDocumentation
 */
export { processTool, type ProcessToolArguments, type ProcessToolOptions } from './process-tool.js';
export { runProcess, type ProcessChunk, type ProcessOutput, type RunProcessOptions } from './run-process.js';
export { McpStdioTransport, type McpStdioServerOptions } from './mcp-stdio-transport.js';
