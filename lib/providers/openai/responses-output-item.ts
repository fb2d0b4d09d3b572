import type { ResponseOutputItem } from 'openai/resources/responses/responses';
import type { OutputItem } from '../../items/input-item.js';

/**
 * A completed Responses output item in our history shape: messages (text and
 * refusal parts), function calls and reasoning items. Other item types (hosted
 * tools and the like) have no history shape here and give `undefined`; they still
 * reach the run as `raw` events.
 */
export function toOutputItem(item: ResponseOutputItem): OutputItem | undefined {
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
      };
    case 'function_call':
      return copyFunctionCall(item);
    case 'reasoning':
      return {
        type: 'reasoning',
        id: item.id,
        summary: item.summary.map((s) => ({ type: 'summary_text', text: s.text })),
        ...(item.encrypted_content ? { encrypted_content: item.encrypted_content } : {}),
      };
    default:
      return undefined;
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
