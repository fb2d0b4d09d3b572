import type { Json } from './wire-step.js';

/** An error the server answers a request with, as the real API would. */
export interface RequestRejection {
  readonly status: number;
  readonly message: string;
  readonly param?: string;
  readonly code?: string;
}

/**
 * The checks the real Responses API makes that matter to agents, on the whole
 * input (a `previous_response_id` chain included): every `function_call` has a
 * `function_call_output` with its `call_id` and the other way round. (Reasoning
 * rules need the server's memory: see `ResponsesStore.check`.)
 */
export function checkResponsesRequest(body: Json, input: readonly Json[]): RequestRejection | undefined {
  if (body?.stream !== true) return { status: 400, message: 'This test server only streams: set stream to true.', param: 'stream' };
  if (typeof body.model !== 'string') return { status: 400, message: "Missing required parameter: 'model'.", param: 'model' };
  const calls = new Set<string>();
  const outputs = new Set<string>();
  for (const item of input) {
    if (item?.type === 'function_call') calls.add(item.call_id);
    if (item?.type === 'function_call_output') outputs.add(item.call_id);
  }
  for (const id of calls) {
    if (!outputs.has(id)) return { status: 400, message: `No tool output found for function call ${id}.`, param: 'input' };
  }
  for (const id of outputs) {
    if (!calls.has(id)) return { status: 400, message: `No tool call found for function call output with call_id ${id}.`, param: 'input' };
  }
  return undefined;
}

/** Fields OpenAI's schema allows on an assistant message; anything else is rejected. */
const assistantFields = new Set(['role', 'content', 'name', 'refusal', 'tool_calls', 'function_call', 'audio']);

/**
 * The Chat Completions checks, as each vendor makes them (the vendor is the first
 * path segment: `/deepseek/v1/chat/completions`; none is OpenAI):
 * - everyone: an assistant message with `tool_calls` must be followed by a `tool`
 *   message for each call, and a `tool` message must answer one;
 * - OpenAI and Azure: no unknown field on an assistant message (`reasoning_content`…);
 * - Groq: no `reasoning` or `reasoning_content` on an assistant message;
 * - DeepSeek in thinking mode (`deepseek-reasoner`, or `thinking: { type: 'enabled' }`):
 *   an assistant message with `tool_calls` must carry its `reasoning_content`.
 */
export function checkChatRequest(body: Json, vendor: string): RequestRejection | undefined {
  if (body?.stream !== true) return { status: 400, message: 'This test server only streams: set stream to true.', param: 'stream' };
  if (typeof body.model !== 'string') return { status: 400, message: "Missing required parameter: 'model'.", param: 'model' };
  const messages: Json[] = Array.isArray(body.messages) ? body.messages : [];
  if (messages.length === 0) return { status: 400, message: "Invalid 'messages': empty array.", param: 'messages' };
  const thinking = vendor === 'deepseek' && (body.model === 'deepseek-reasoner' || body.thinking?.type === 'enabled');
  for (const [index, message] of messages.entries()) {
    if (message?.role !== 'assistant') continue;
    const rejection = vendorRule(vendor, thinking, message, index);
    if (rejection) return rejection;
  }
  return checkToolPairs(messages);
}

function vendorRule(vendor: string, thinking: boolean, message: Json, index: number): RequestRejection | undefined {
  const fields = Object.keys(message);
  if (vendor === 'openai' || vendor === 'azure') {
    const unknown = fields.find((f) => !assistantFields.has(f));
    if (unknown) {
      return { status: 400, message: `Additional properties are not allowed ('${unknown}' was unexpected) - 'messages.${index}'`, param: 'messages' };
    }
  }
  if (vendor === 'groq') {
    const unknown = fields.find((f) => f === 'reasoning' || f === 'reasoning_content');
    if (unknown) {
      return {
        status: 400,
        message: `'messages.${index}' : for 'role:assistant' the following must be satisfied[('messages.${index}' : property '${unknown}' is unsupported)]`,
      };
    }
  }
  if (thinking && Array.isArray(message.tool_calls) && message.tool_calls.length > 0 && typeof message.reasoning_content !== 'string') {
    return {
      status: 400,
      message: `Missing \`reasoning_content\` field in the assistant message at message index ${index}. For more information, please refer to https://api-docs.deepseek.com/guides/thinking_mode#tool-calls`,
      code: 'invalid_request_error',
    };
  }
  return undefined;
}

/** An assistant message with `tool_calls` is followed by a `tool` message for each call; a `tool` message answers one. */
function checkToolPairs(messages: readonly Json[]): RequestRejection | undefined {
  let open: Set<string> | undefined;
  const unanswered = (): RequestRejection => ({
    status: 400,
    message: `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...open!].join(', ')}`,
    param: 'messages',
  });
  for (const message of messages) {
    if (message?.role === 'tool') {
      if (!open?.delete(message.tool_call_id)) {
        return {
          status: 400,
          message: "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          param: 'messages',
        };
      }
      continue;
    }
    if (open && open.size > 0) return unanswered();
    open = message?.role === 'assistant' && Array.isArray(message.tool_calls) ? new Set(message.tool_calls.map((c: Json) => c.id)) : undefined;
  }
  if (open && open.size > 0) return unanswered();
  return undefined;
}
