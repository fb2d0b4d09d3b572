import type { Json } from './wire-step.js';

/** An error the server answers a request with, as the real API would. */
export interface RequestRejection {
  readonly status: number;
  readonly message: string;
  readonly param?: string;
  readonly code?: string;
}

/**
 * The checks the real Responses API makes that matter to agents: every
 * `function_call` has a `function_call_output` with its `call_id` and the other
 * way round, and with `store: false` a reasoning item can only be sent back with
 * its `encrypted_content`.
 */
export function checkResponsesRequest(body: Json): RequestRejection | undefined {
  if (body?.stream !== true) return { status: 400, message: 'This test server only streams: set stream to true.', param: 'stream' };
  if (typeof body.model !== 'string') return { status: 400, message: "Missing required parameter: 'model'.", param: 'model' };
  if (!Array.isArray(body.input)) return undefined;
  const calls = new Set<string>();
  const outputs = new Set<string>();
  for (const item of body.input as Json[]) {
    if (item?.type === 'function_call') calls.add(item.call_id);
    if (item?.type === 'function_call_output') outputs.add(item.call_id);
    if (item?.type === 'reasoning' && body.store === false && !item.encrypted_content) {
      return {
        status: 404,
        message: `Item with id '${item.id}' not found. Items are not persisted when \`store\` is set to false. Try again with \`store\` set to true, or remove this item from your input.`,
        param: 'input',
      };
    }
  }
  for (const id of calls) {
    if (!outputs.has(id)) return { status: 400, message: `No tool output found for function call ${id}.`, param: 'input' };
  }
  for (const id of outputs) {
    if (!calls.has(id)) return { status: 400, message: `No tool call found for function call output with call_id ${id}.`, param: 'input' };
  }
  return undefined;
}

/**
 * The Chat Completions equivalent: an assistant message with `tool_calls` must be
 * followed by a `tool` message for each call, and a `tool` message must answer one.
 */
export function checkChatRequest(body: Json): RequestRejection | undefined {
  if (body?.stream !== true) return { status: 400, message: 'This test server only streams: set stream to true.', param: 'stream' };
  if (typeof body.model !== 'string') return { status: 400, message: "Missing required parameter: 'model'.", param: 'model' };
  const messages: Json[] = Array.isArray(body.messages) ? body.messages : [];
  if (messages.length === 0) return { status: 400, message: "Invalid 'messages': empty array.", param: 'messages' };
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
