import type { ResponseInputItem, ResponseInputMessageContentList, ResponseOutputText } from 'openai/resources/responses/responses';
import type { AssistantMessageItem, InputItem, InputMessageItem, ReasoningItem } from '../../items/input-item.js';
import { messageRefusal, messageText } from '../../items/message-text.js';
import { copyFunctionCall, responsesApi } from './responses-output-item.js';

/** What the server can resolve by id, for deciding which reasoning items can be sent back. */
export interface ResponsesInputOptions {
  /** Whether the server holds this reasoning item (stored responses); without `encrypted_content` it must. */
  readonly serverHas: (reasoning: ReasoningItem) => boolean;
}

/**
 * History items as Responses API input, in an order and shape the API accepts.
 * Items already are in the Responses shape; this copies them into the client's
 * types, with the rules the API enforces:
 *
 * - A reasoning item is sent back only with its `encrypted_content` (or when the
 *   server stored it), and only followed by the item that followed it in the
 *   output (a message, a call, a provider item). Otherwise it is dropped, and the
 *   item that followed it loses its id (a message becomes plain assistant text, a
 *   call keeps its `call_id`) or, when it cannot go without one (a hosted tool's
 *   item), is dropped too: the API rejects an item whose reasoning is missing.
 * - Provider items of the Responses API go back verbatim; other APIs' are skipped.
 * - An assistant message without an `id` (written by hand, or by another provider)
 *   is sent as plain assistant text, which the API accepts without an id.
 */
export function toResponsesInput(items: readonly InputItem[], options: ResponsesInputOptions): ResponseInputItem[] {
  const sendable = sendableReasoning(items, options);
  const input: ResponseInputItem[] = [];
  // The item after a reasoning item that could not be sent: it must go without its id.
  let orphaned = false;
  items.forEach((item, i) => {
    const withoutId = orphaned;
    orphaned = false;
    switch (item.type) {
      case 'function_call': {
        const call = copyFunctionCall(item);
        if (withoutId) delete (call as { id?: string }).id;
        input.push(call);
        break;
      }
      case 'function_call_output':
        input.push({ type: 'function_call_output', call_id: item.call_id, output: item.output });
        break;
      case 'provider_item':
        if (item.api === responsesApi && !withoutId) input.push({ ...item.item } as unknown as ResponseInputItem);
        break;
      case 'reasoning':
        // A reasoning item cannot go without its id: after a dropped one, it is dropped too.
        if (sendable.has(i) && !withoutId) input.push(reasoning(item));
        else orphaned = true;
        break;
      default:
        if (item.role !== 'assistant') input.push(inputMessage(item));
        else input.push(assistantMessage(withoutId ? { ...item, id: undefined } : item));
    }
  });
  return input;
}

/**
 * The indexes of the reasoning items that can go back: resolvable by the server
 * (encrypted, or stored), and followed by the output item that followed them,
 * itself sent (a reasoning item followed by a dropped one cannot go).
 */
function sendableReasoning(items: readonly InputItem[], options: ResponsesInputOptions): Set<number> {
  const sendable = new Set<number>();
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (item.type !== 'reasoning' || item.id === undefined || !(item.encrypted_content || options.serverHas(item))) continue;
    const next = items[i + 1];
    if (next && (next.type === 'reasoning' ? sendable.has(i + 1) : isOutput(next))) sendable.add(i);
  }
  return sendable;
}

/** Whether an item is one a response produces (what may follow a reasoning item). */
function isOutput(item: InputItem): boolean {
  switch (item.type) {
    case 'function_call':
    case 'provider_item':
    case 'reasoning':
      return true;
    case 'function_call_output':
      return false;
    default:
      return item.role === 'assistant';
  }
}

function reasoning(item: ReasoningItem): ResponseInputItem {
  return {
    type: 'reasoning',
    id: item.id!,
    summary: item.summary.map((s) => ({ type: 'summary_text', text: s.text })),
    ...(item.content?.length ? { content: item.content.map((c) => ({ type: 'reasoning_text' as const, text: c.text })) } : {}),
    ...(item.encrypted_content ? { encrypted_content: item.encrypted_content } : {}),
  };
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
  const phase = item.phase != null ? { phase: item.phase } : {};
  if (typeof item.content === 'string' || item.id === undefined) {
    const text = messageText(item);
    return { type: 'message', role: 'assistant', content: text === '' ? (messageRefusal(item) ?? '') : text, ...phase };
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
    ...phase,
  };
}
