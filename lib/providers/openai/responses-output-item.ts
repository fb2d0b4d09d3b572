import type { ResponseOutputItem } from 'openai/resources/responses/responses';
import { ModelBehaviorError } from '../../errors/agents-error.js';
import type { OutputItem } from '../../items/input-item.js';

/** The API name provider items of the Responses API carry. */
export const responsesApi = 'openai.responses';

/**
 * Output item types that ask the client to run something (a custom tool, a
 * shell, a patch, a computer action). No agent declares them, so a model that
 * produces one cannot be answered.
 */
const clientSideCalls = new Set(['custom_tool_call', 'local_shell_call', 'shell_call', 'apply_patch_call', 'computer_call']);

/**
 * A completed Responses output item in our history shape: messages (text and
 * refusal parts, `phase`), function calls and reasoning items (summary, reasoning
 * text, encrypted content) are copied into our types; every other item (hosted
 * tool calls, MCP items, compaction, programs…) is kept verbatim as a
 * `provider_item`, so it goes back to the server exactly as it came. A call of a
 * client-side tool type throws a `ModelBehaviorError` naming it.
 */
export function toOutputItem(item: ResponseOutputItem): OutputItem {
  switch (item.type) {
    case 'message':
      return {
        type: 'message',
        role: 'assistant',
        id: item.id,
        status: item.status,
        content: item.content.map((part) =>
          part.type === 'refusal'
            ? { type: 'refusal', refusal: part.refusal }
            : { type: 'output_text', text: part.text, annotations: part.annotations ?? [] },
        ),
        ...(item.phase != null ? { phase: item.phase } : {}),
      };
    case 'function_call':
      return copyFunctionCall(item);
    case 'reasoning':
      return {
        type: 'reasoning',
        id: item.id,
        summary: item.summary.map((s) => ({ type: 'summary_text', text: s.text })),
        ...(item.content?.length ? { content: item.content.map((c) => ({ type: 'reasoning_text', text: c.text })) } : {}),
        ...(item.encrypted_content ? { encrypted_content: item.encrypted_content } : {}),
      };
    default: {
      const type = (item as { type: string }).type;
      if (clientSideCalls.has(type)) {
        throw new ModelBehaviorError(
          `The model called a client-side tool of type "${type}", which the agent did not declare and rxjs-agents cannot run. ` +
            'Declare function tools (or hosted tools) instead.',
        );
      }
      return { type: 'provider_item', api: responsesApi, itemType: type, item: { ...item } };
    }
  }
}

/** A function call copied field by field: it has the same shape in our history and on the wire. */
export function copyFunctionCall(item: {
  readonly call_id: string;
  readonly name: string;
  readonly arguments: string;
  readonly id?: string | undefined;
  readonly status?: 'in_progress' | 'completed' | 'incomplete' | undefined;
}) {
  return {
    type: 'function_call' as const,
    call_id: item.call_id,
    name: item.name,
    arguments: item.arguments,
    ...(item.id !== undefined ? { id: item.id } : {}),
    ...(item.status !== undefined ? { status: item.status } : {}),
  };
}
