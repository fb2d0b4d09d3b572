import type { Tool as McpToolInfo } from '@modelcontextprotocol/sdk/types.js';

/** Which of a server's tools an agent gets, and how they are called. */
export interface McpToolsOptions {
  /** The server's tool names to offer, or a test of each tool; default all. */
  readonly filter?: readonly string[] | ((tool: McpToolInfo) => boolean);
  /** Put before each tool's name (to tell two servers' tools apart). */
  readonly prefix?: string;
  /** Stop a call (sending `notifications/cancelled`) after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Whether a human approves each call first: all calls, or per tool (by the server's tool name) and arguments. */
  readonly needsApproval?: boolean | ((toolName: string, args: unknown) => boolean | PromiseLike<boolean>);
}
