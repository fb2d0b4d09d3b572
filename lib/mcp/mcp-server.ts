import { map, type Observable, ReplaySubject, share, switchMap } from 'rxjs';
import { UserError } from '../errors/agents-error.js';
import type { ToolSource } from '../tools/tool.js';
import { connectMcp, type McpConnection } from './mcp-connection.js';
import type { McpServerOptions } from './mcp-server-options.js';
import { mcpTool } from './mcp-tool.js';
import type { McpToolsOptions } from './mcp-tools-options.js';

/** An MCP server, connected while something uses it. */
export interface McpServer {
  readonly name: string;
  /**
   * The shared connection: opened by the first subscriber, closed when the last
   * one leaves. Subscribe to it yourself to hold the connection between runs.
   */
  readonly connection$: Observable<McpConnection>;
  /**
   * The server's tools as a live tool list for an agent's `tools`: a run holds the
   * connection while the agent runs, and sees the list change when the server says so.
   */
  tools<TContext = unknown>(options?: McpToolsOptions): ToolSource<TContext>;
}

/**
 * An MCP server reached with the official SDK client, over Streamable HTTP
 * (`url`) or any transport (stdio with `McpStdioTransport` from `rxjs-agents/node`).
 *
 * @example
 * const docs = mcpServer({ name: 'docs', url: 'http://127.0.0.1:3000/mcp' });
 * const agent = new Agent({ name: 'Helper', model, tools: [docs.tools({ filter: ['search'], timeoutMs: 30_000 })] });
 */
export function mcpServer(options: McpServerOptions): McpServer {
  if ((options.url === undefined) === (options.transport === undefined)) {
    throw new UserError(`MCP server "${options.name}": give either \`url\` or \`transport\`.`);
  }
  const connection$ = connectMcp(options).pipe(
    share({ connector: () => new ReplaySubject<McpConnection>(1), resetOnError: true, resetOnComplete: true, resetOnRefCountZero: true }),
  );
  return {
    name: options.name,
    connection$,
    tools: <TContext>(toolOptions: McpToolsOptions = {}) =>
      connection$.pipe(
        switchMap((connection) =>
          connection.tools$.pipe(map((infos) => infos.filter(selected(toolOptions)).map((info) => mcpTool<TContext>(connection, info, toolOptions)))),
        ),
      ),
  };
}

function selected({ filter }: McpToolsOptions): (tool: { readonly name: string }) => boolean {
  if (filter === undefined) return () => true;
  if (typeof filter === 'function') return filter as (tool: { readonly name: string }) => boolean;
  return (tool) => filter.includes(tool.name);
}
