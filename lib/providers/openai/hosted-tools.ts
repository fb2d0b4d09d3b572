import type { FileSearchTool, Tool, WebSearchTool } from 'openai/resources/responses/responses';
import type { HostedTool } from '../../tools/hosted-tool.js';
import { responsesApi } from './responses-output-item.js';

/**
 * OpenAI's hosted tools, for an agent's `hostedTools` on the Responses API. The
 * server runs them; their calls and results come back as `provider_item` items
 * (`web_search_call`, `file_search_call`, `code_interpreter_call`,
 * `image_generation_call`, `mcp_list_tools`, `mcp_call`…), kept in history and
 * sent back as they came. Options are the API's own fields (see the `openai`
 * package's `Tool` types).
 * @module
 */

/** Options of {@link webSearchTool}: the API's `web_search` tool fields. */
export type WebSearchToolOptions = Omit<WebSearchTool, 'type'>;
/** Options of {@link fileSearchTool}: the API's `file_search` tool fields (`vector_store_ids` is required). */
export type FileSearchToolOptions = Omit<FileSearchTool, 'type'>;
/** Options of {@link codeInterpreterTool}: the API's `code_interpreter` tool fields. Default container: `{ type: 'auto' }`. */
export type CodeInterpreterToolOptions = Partial<Omit<Tool.CodeInterpreter, 'type'>>;
/** Options of {@link imageGenerationTool}: the API's `image_generation` tool fields. */
export type ImageGenerationToolOptions = Omit<Tool.ImageGeneration, 'type'>;
/**
 * Options of {@link hostedMcpTool}: the API's `mcp` tool fields (`server_label`
 * and a `server_url` or `connector_id`). `require_approval` defaults to `never`:
 * the run cannot answer the server's approval requests.
 */
export type HostedMcpToolOptions = Omit<Tool.Mcp, 'type'>;

function hosted(name: string, declaration: Record<string, unknown>): HostedTool {
  return { type: 'hosted_tool', name, api: responsesApi, declaration };
}

/**
 * The model searches the web.
 * @example
 * new Agent({ name: 'Researcher', model, hostedTools: [webSearchTool({ search_context_size: 'low' })] });
 */
export function webSearchTool(options: WebSearchToolOptions = {}): HostedTool {
  return hosted('web_search', { type: 'web_search', ...options });
}

/**
 * The model searches your vector stores.
 * @example
 * fileSearchTool({ vector_store_ids: ['vs_123'], max_num_results: 5 })
 */
export function fileSearchTool(options: FileSearchToolOptions): HostedTool {
  return hosted('file_search', { type: 'file_search', ...options });
}

/**
 * The model runs Python in a sandbox.
 * @example
 * codeInterpreterTool() // an automatic container
 */
export function codeInterpreterTool(options: CodeInterpreterToolOptions = {}): HostedTool {
  return hosted('code_interpreter', { type: 'code_interpreter', container: { type: 'auto' }, ...options });
}

/**
 * The model generates images.
 * @example
 * imageGenerationTool({ quality: 'low', size: '1024x1024' })
 */
export function imageGenerationTool(options: ImageGenerationToolOptions = {}): HostedTool {
  return hosted('image_generation', { type: 'image_generation', ...options });
}

/**
 * The model calls the tools of a remote MCP server, through OpenAI's servers.
 * @example
 * hostedMcpTool({ server_label: 'deepwiki', server_url: 'https://mcp.deepwiki.com/mcp' })
 */
export function hostedMcpTool(options: HostedMcpToolOptions): HostedTool {
  return hosted(`mcp:${options.server_label}`, { type: 'mcp', require_approval: 'never', ...options });
}
