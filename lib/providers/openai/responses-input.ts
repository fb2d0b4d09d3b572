import type { ResponseInputItem, ResponseInputMessageContentList, ResponseOutputText } from 'openai/resources/responses/responses';
import type { AssistantMessageItem, InputItem, InputMessageItem } from '../../items/input-item.js';
import { messageRefusal, messageText } from '../../items/message-text.js';
import { copyFunctionCall } from './responses-output-item.js';

/**
 * History items as Responses API input. Items already are in the Responses shape;
 * this copies them into the client's types with two adjustments:
 *
 * - With `store: false` (our default) the server keeps nothing, so a reasoning item
 *   can only be sent back with its `encrypted_content`; one without it would be
 *   rejected ("Item with id 'rs_…' not found"), so it is dropped. Reasoning items
 *   are optional context: the model answers without them.
 * - An assistant message without an `id` (written by hand, or by another provider)
 *   is sent as plain assistant text, which the API accepts without an id.
 */
export function toResponsesInput(items: readonly InputItem[], options: { readonly store: boolean }): ResponseInputItem[] {
  const input: ResponseInputItem[] = [];
  for (const item of items) {
    switch (item.type) {
      case 'function_call':
        input.push(copyFunctionCall(item));
        break;
      case 'function_call_output':
        input.push({ type: 'function_call_output', call_id: item.call_id, output: item.output });
        break;
      case 'provider_item':
        if (item.api === 'openai.responses') input.push({ ...item.item } as unknown as ResponseInputItem);
        break;
      case 'reasoning':
        if (item.id === undefined || (!options.store && !item.encrypted_content)) break;
        input.push({
          type: 'reasoning',
          id: item.id,
          summary: item.summary.map((s) => ({ type: 'summary_text', text: s.text })),
          ...(item.encrypted_content ? { encrypted_content: item.encrypted_content } : {}),
        });
        break;
      default:
        input.push(item.role === 'assistant' ? assistantMessage(item) : inputMessage(item));
    }
  }
  return input;
}

function inputMessage(item: InputMessageItem): ResponseInputItem {
  if (typeof item.content === 'string') return { type: 'message', role: item.role, content: item.content };
  const content: ResponseInputMessageContentList = item.content.map((part) =>
    part.type === 'input_text'
      ? { type: 'input_text', text: part.text }
      : { type: 'input_image', image_url: part.image_url, detail: part.detail ?? 'auto' },
  );
  return { type: 'message', role: item.role, content };
}

function assistantMessage(item: AssistantMessageItem): ResponseInputItem {
  if (typeof item.content === 'string' || item.id === undefined) {
    const text = messageText(item);
    return { type: 'message', role: 'assistant', content: text === '' ? (messageRefusal(item) ?? '') : text };
  }
  return {
    type: 'message',
    role: 'assistant',
    id: item.id,
    status: item.status ?? 'completed',
    content: item.content.map((part) =>
      part.type === 'refusal'
        ? { type: 'refusal', refusal: part.refusal }
        : { type: 'output_text', text: part.text, annotations: [...(part.annotations ?? [])] as ResponseOutputText['annotations'] },
    ),
  };
}
