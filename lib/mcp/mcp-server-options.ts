import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/** How to reach an MCP server: its Streamable HTTP `url`, or a `transport` made for each connection. */
export interface McpServerOptions {
  /** Names the server in errors and traces. */
  readonly name: string;
  /** The server's Streamable HTTP endpoint. */
  readonly url?: string | URL;
  /** Options of the HTTP requests to `url` (headers for authentication, …). */
  readonly requestInit?: RequestInit;
  /**
   * Makes the transport of a new connection, for servers not reached by `url`
   * (a stdio server: `() => new McpStdioTransport({ command, args })` from `rxjs-agents/node`).
   */
  readonly transport?: () => Transport;
  /** Give up connecting after this many milliseconds; default 30 000. */
  readonly connectTimeoutMs?: number;
}
