import { propagation, trace } from '@opentelemetry/api';
import type { CallToolResult, Tool as McpToolInfo } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { Tool, ToolContext } from '../tools/tool.js';
import type { McpConnection } from './mcp-connection.js';
import { mcpResultText } from './mcp-result-text.js';
import type { McpToolsOptions } from './mcp-tools-options.js';

/** No SDK-side request timeout: the tool's `timeoutMs` and the run's cancel stop a call (setTimeout's maximum). */
const NO_TIMEOUT = 2 ** 31 - 1;

let validators: AjvJsonSchemaValidator | undefined;

/**
 * One MCP tool as a run's tool. Arguments are checked against the server's
 * JSON Schema before the call; the call carries the tool's signal, so a call cut
 * off sends `notifications/cancelled` and the run does not wait for the answer;
 * the server's progress notifications become `tool.progress` events.
 */
export function mcpTool<TContext>(connection: McpConnection, info: McpToolInfo, options: McpToolsOptions): Tool<TContext> {
  const name = `${options.prefix ?? ''}${info.name}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  const description = info.description ?? info.title ?? `The ${info.name} tool of the ${connection.server} MCP server.`;
  const { $schema: _ignored, ...parameters } = info.inputSchema;
  const validate = (validators ??= new AjvJsonSchemaValidator()).getValidator(info.inputSchema);
  const { needsApproval } = options;
  return {
    type: 'function',
    name,
    description,
    // Not strict: servers' schemas use keywords OpenAI's strict mode rejects; they are checked here instead.
    definition: { name, description, parameters, strict: false },
    parse: (args) => {
      const checked = validate(args);
      return checked.valid ? { success: true, data: args } : { success: false, error: checked.errorMessage };
    },
    timeoutMs: options.timeoutMs,
    needsApproval: typeof needsApproval === 'function' ? (args) => needsApproval(info.name, args) : needsApproval,
    execute: (args, ctx) => callTool(connection, info.name, args as Record<string, unknown>, ctx),
  };
}

async function callTool<TContext>(
  connection: McpConnection,
  name: string,
  args: Record<string, unknown>,
  ctx: ToolContext<TContext>,
): Promise<string> {
  const spanContext = ctx.traceContext;
  const span = spanContext && trace.getSpan(spanContext);
  span?.setAttributes({ 'mcp.method.name': 'tools/call', ...connection.attributes() });
  const _meta: Record<string, string> = {};
  if (spanContext) propagation.inject(spanContext, _meta);
  const result = await connection.client.callTool({ name, arguments: args, ...(Object.keys(_meta).length > 0 ? { _meta } : {}) }, undefined, {
    signal: ctx.signal,
    timeout: NO_TIMEOUT,
    onprogress: ({ progress, total, message }) => ctx.progress({ progress, total, message }),
  });
  // Servers of the 2024-10-07 protocol answer with `toolResult` instead of content.
  if (!('content' in result)) return JSON.stringify(result.toolResult) ?? '';
  const text = mcpResultText(result as CallToolResult);
  if (result.isError) throw new Error(text || 'the MCP server reported an error without a message');
  return text;
}
