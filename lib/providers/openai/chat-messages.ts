import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionContentPart,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { AssistantMessageItem, FunctionCallItem, InputItem, InputMessageItem } from '../../items/input-item.js';
import { messageRefusal, messageText } from '../../items/message-text.js';

/**
 * History items as Chat Completions messages: the instructions as the first
 * system message; user, system and developer messages; assistant messages with
 * their text (and refusal); function calls as the `tool_calls` of one assistant
 * message (joined to the assistant message just before them, if any);
 * function call outputs as `tool` messages. Reasoning items have no Chat
 * Completions form and are dropped.
 */
export function toChatMessages(instructions: string | undefined, items: readonly InputItem[]): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [];
  if (instructions !== undefined && instructions !== '') messages.push({ role: 'system', content: instructions });
  // The assistant message that following function calls join, while there is one.
  let assistant: ChatCompletionAssistantMessageParam | undefined;
  for (const item of items) {
    switch (item.type) {
      case 'reasoning':
      case 'provider_item':
        break;
      case 'function_call': {
        if (!assistant) {
          assistant = { role: 'assistant', content: null };
          messages.push(assistant);
        }
        (assistant.tool_calls ??= []).push(toolCall(item));
        break;
      }
      case 'function_call_output':
        messages.push({ role: 'tool', tool_call_id: item.call_id, content: item.output });
        assistant = undefined;
        break;
      default:
        if (item.role === 'assistant') {
          assistant = assistantMessage(item);
          messages.push(assistant);
        } else {
          messages.push(inputMessage(item));
          assistant = undefined;
        }
    }
  }
  return messages;
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
