import type { AssistantMessageItem } from './input-item.js';

/** The visible text of an assistant message (its `output_text` parts, joined). */
export function messageText(message: AssistantMessageItem): string {
  if (typeof message.content === 'string') return message.content;
  let text = '';
  for (const part of message.content) if (part.type === 'output_text') text += part.text;
  return text;
}

/** The refusal of an assistant message, if the model refused. */
export function messageRefusal(message: AssistantMessageItem): string | undefined {
  if (typeof message.content === 'string') return undefined;
  const parts = message.content.filter((p) => p.type === 'refusal');
  return parts.length ? parts.map((p) => p.refusal).join('') : undefined;
}
