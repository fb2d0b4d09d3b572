import { AgentsError } from '../errors/agents-error.js';

/**
 * An MCP server could not be reached or stopped answering: connecting failed,
 * or its tool list could not be read. It fails the runs that needed the server.
 */
export class McpConnectionError extends AgentsError {
  constructor(
    /** The server's name, as given to `mcpServer`. */
    readonly server: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`MCP server "${server}": ${message}`, options);
  }
}
