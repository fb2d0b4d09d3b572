/**
 * A tool the model's provider runs itself (OpenAI's web search, file search,
 * code interpreter, image generation, remote MCP…). The run loop never executes
 * it: the model provider declares it in its request, and the calls and results
 * come back as items of the response. Make one with a provider's helper (for
 * OpenAI: `webSearchTool()`, `fileSearchTool()`…) and list it in an agent's
 * `hostedTools`.
 */
export interface HostedTool {
  readonly type: 'hosted_tool';
  /** A name for traces and errors (`web_search`, `mcp:deepwiki`…). */
  readonly name: string;
  /** The API the declaration is for (`openai.responses`); other APIs reject the tool. */
  readonly api: string;
  /** The tool declaration sent in the request, as it is (plain JSON). */
  readonly declaration: Readonly<Record<string, unknown>>;
}
