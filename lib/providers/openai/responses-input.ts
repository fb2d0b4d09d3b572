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
 *
 * An item already in the wire shape (only fields the API accepts, as the run and
 * the provider write them; a text message as `{ role, content }`, which the API
 * takes without its `type`) is sent as it is, not copied, and a history of such
 * items is sent as the very array: a long history would otherwise cost an object
 * per item, or an array, per request, in time and in the heap of every request in flight.
 */
export function toResponsesInput(items: readonly InputItem[], options: ResponsesInputOptions): ResponseInputItem[] {
  // Found at the first reasoning item: a history without any is not walked twice.
  let sendable: Set<number> | undefined;
  // Made at the first item that is not sent as it is: until then, and when every item goes
  // as it is (a history the run and the provider wrote), the request sends `items` itself.
  let input: ResponseInputItem[] | undefined;
  const send = (i: number, item: ResponseInputItem | undefined) => {
    if (input === undefined) {
      if (item === items[i]) return;
      input = items.slice(0, i) as ResponseInputItem[];
    }
    if (item !== undefined) input.push(item);
  };
  // The item after a reasoning item that could not be sent: it must go without its id.
  let orphaned = false;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const withoutId = orphaned;
    orphaned = false;
    switch (item.type) {
      case 'function_call': {
        if (!withoutId && functionCallOnWire(item)) {
          send(i, item as ResponseInputItem);
          break;
        }
        const call = copyFunctionCall(item);
        if (withoutId) delete (call as { id?: string }).id;
        send(i, call);
        break;
      }
      case 'function_call_output':
        send(i, callOutputOnWire(item) ? (item as ResponseInputItem) : { type: 'function_call_output', call_id: item.call_id, output: item.output });
        break;
      case 'provider_item':
        // Verbatim: as the server sent it (the client does not change what it sends).
        send(i, item.api === responsesApi && !withoutId ? (item.item as unknown as ResponseInputItem) : undefined);
        break;
      case 'reasoning':
        // A reasoning item cannot go without its id: after a dropped one, it is dropped too.
        if ((sendable ??= sendableReasoning(items, options)).has(i) && !withoutId) send(i, reasoningOnWire(item) ? (item as ResponseInputItem) : reasoning(item));
        else {
          send(i, undefined);
          orphaned = true;
        }
        break;
      default:
        if (item.role !== 'assistant') send(i, inputMessageOnWire(item) ? (item as ResponseInputItem) : inputMessage(item));
        else if (!withoutId && assistantMessageOnWire(item)) send(i, item as ResponseInputItem);
        else send(i, assistantMessage(withoutId ? { ...item, id: undefined } : item));
    }
  }
  return input ?? (items as ResponseInputItem[]);
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

// Whether an object has no fields but those the API accepts for it, by item and part type:
// such an item goes as it is. One loop over the keys per type, a `switch` on each key (it
// compares interned strings): the check of a long history makes it for every key of every
// item, and a shared loop over a predicate or a `Set` costs it a few times more.
function functionCallOnWire(value: object): boolean {
  for (const key in value) {
    switch (key) {
      case 'type': case 'id': case 'call_id': case 'name': case 'arguments': case 'status': continue;
    }
    return false;
  }
  return true;
}
function callOutputOnWire(value: object): boolean {
  for (const key in value) if (key !== 'type' && key !== 'call_id' && key !== 'output') return false;
  return true;
}
function messageFieldsOnWire(value: object): boolean {
  for (const key in value) if (key !== 'role' && key !== 'content' && key !== 'type') return false;
  return true;
}
function assistantFieldsOnWire(value: object): boolean {
  for (const key in value) {
    switch (key) {
      case 'type': case 'role': case 'id': case 'status': case 'content': case 'phase': continue;
    }
    return false;
  }
  return true;
}
function reasoningFieldsOnWire(value: object): boolean {
  for (const key in value) {
    switch (key) {
      case 'type': case 'id': case 'summary': case 'content': case 'encrypted_content': continue;
    }
    return false;
  }
  return true;
}
function textOnWire(value: object): boolean {
  for (const key in value) if (key !== 'type' && key !== 'text') return false;
  return true;
}
function imageOnWire(value: object): boolean {
  for (const key in value) if (key !== 'type' && key !== 'image_url' && key !== 'detail') return false;
  return true;
}
function outputTextOnWire(value: object): boolean {
  for (const key in value) if (key !== 'type' && key !== 'text' && key !== 'annotations') return false;
  return true;
}
function refusalOnWire(value: object): boolean {
  for (const key in value) if (key !== 'type' && key !== 'refusal') return false;
  return true;
}

/** As {@link inputMessage} would write it: its own fields only, image parts with their `detail`; `type` may be left out. */
function inputMessageOnWire(item: InputMessageItem): boolean {
  if ((item.type !== undefined && item.type !== 'message') || !messageFieldsOnWire(item)) return false;
  if (typeof item.content === 'string') return true;
  for (const part of item.content) {
    if (part.type === 'input_text' ? !textOnWire(part) : part.detail === undefined || !imageOnWire(part)) return false;
  }
  return true;
}

/** As {@link assistantMessage} would write it: plain text (`type` may be left out), or with its type, id, status, parts with annotations, and a phase if any. */
function assistantMessageOnWire(item: AssistantMessageItem): boolean {
  if (typeof item.content === 'string') return item.id === undefined && (item.type === undefined || item.type === 'message') && messageFieldsOnWire(item);
  if (item.id === undefined || item.status === undefined || item.type !== 'message' || ('phase' in item && item.phase == null)) return false;
  if (!assistantFieldsOnWire(item)) return false;
  for (const part of item.content) {
    if (part.type === 'refusal' ? !refusalOnWire(part) : !Array.isArray(part.annotations) || !outputTextOnWire(part)) return false;
  }
  return true;
}

/** As {@link reasoning} would write it: summary and content parts of their own fields, content only when there is some, encrypted content only when set. */
function reasoningOnWire(item: ReasoningItem): boolean {
  if (!reasoningFieldsOnWire(item)) return false;
  if ('encrypted_content' in item && !item.encrypted_content) return false;
  if ('content' in item && !item.content?.length) return false;
  for (const part of item.summary) if (part.type !== 'summary_text' || !textOnWire(part)) return false;
  for (const part of item.content ?? []) if (part.type !== 'reasoning_text' || !textOnWire(part)) return false;
  return true;
}
