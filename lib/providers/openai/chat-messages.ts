import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionContentPart,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { AssistantMessageItem, FunctionCallItem, InputItem, InputMessageItem, ReasoningItem } from '../../items/input-item.js';
import { messageRefusal, messageText } from '../../items/message-text.js';

/**
 * History items as Chat Completions messages: the instructions as the first
 * system message; user, system and developer messages; assistant messages with
 * their text (and refusal); function calls as the `tool_calls` of one assistant
 * message (joined to the assistant message just before them, if any);
 * function call outputs as `tool` messages.
 *
 * Reasoning goes back only where a server requires it and in the field it came
 * in: DeepSeek's thinking mode rejects an assistant message with `tool_calls`
 * sent back without its `reasoning_content`, so once the history holds reasoning
 * that came as `reasoning_content`, every assistant message with tool calls
 * carries it (empty when that turn had none). Nothing else carries reasoning:
 * servers that stream `reasoning` (Groq…) reject it in a request, and OpenAI
 * rejects any unknown message field. Provider items have no Chat Completions form
 * and are skipped.
 */
export function toChatMessages(instructions: string | undefined, items: readonly InputItem[]): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [];
  if (instructions !== undefined && instructions !== '') messages.push({ role: 'system', content: instructions });
  const echoReasoning = items.some((i) => i.type === 'reasoning' && i.wireField === 'reasoning_content');
  // The assistant message that following function calls join, while there is one.
  let assistant: ChatCompletionAssistantMessageParam | undefined;
  // Reasoning waiting for the assistant message it belongs to.
  let reasoning: string | undefined;
  const toolCallMessages = new Map<ChatCompletionAssistantMessageParam, string | undefined>();
  const open = (message: ChatCompletionAssistantMessageParam): ChatCompletionAssistantMessageParam => {
    messages.push(message);
    toolCallMessages.set(message, reasoning);
    reasoning = undefined;
    return message;
  };
  for (const item of items) {
    switch (item.type) {
      case 'reasoning':
        reasoning = (reasoning ?? '') + reasoningText(item);
        assistant = undefined;
        break;
      case 'provider_item':
        break;
      case 'function_call':
        assistant ??= open({ role: 'assistant', content: null });
        (assistant.tool_calls ??= []).push(toolCall(item));
        break;
      case 'function_call_output':
        messages.push({ role: 'tool', tool_call_id: item.call_id, content: item.output });
        assistant = undefined;
        break;
      default:
        if (item.role === 'assistant') {
          assistant = open(assistantMessage(item));
        } else {
          messages.push(inputMessage(item));
          assistant = undefined;
          reasoning = undefined;
        }
    }
  }
  if (echoReasoning) {
    for (const [message, text] of toolCallMessages) {
      if (message.tool_calls?.length) (message as { reasoning_content?: string }).reasoning_content = text ?? '';
    }
  }
  return messages;
}

function reasoningText(item: ReasoningItem): string {
  const parts = item.content?.length ? item.content : item.summary;
  return parts.map((p) => p.text).join('');
}

function toolCall(item: FunctionCallItem): ChatCompletionMessageFunctionToolCall {
  return { id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } };
}

function assistantMessage(item: AssistantMessageItem): ChatCompletionAssistantMessageParam {
  const text = messageText(item);
  const refusal = messageRefusal(item);
  return { role: 'assistant', content: text === '' ? null : text, ...(refusal !== undefined ? { refusal } : {}) };
}

function inputMessage(item: InputMessageItem): ChatCompletionMessageParam {
  if (typeof item.content === 'string') return { role: item.role, content: item.content };
  if (item.role !== 'user') {
    // System and developer messages take text only.
    const text = item.content.map((part) => (part.type === 'input_text' ? part.text : '')).join('');
    return { role: item.role, content: text };
  }
  const content: ChatCompletionContentPart[] = item.content.map((part) =>
    part.type === 'input_text'
      ? { type: 'text', text: part.text }
      : { type: 'image_url', image_url: { url: part.image_url, ...(part.detail ? { detail: part.detail } : {}) } },
  );
  return { role: 'user', content };
}
