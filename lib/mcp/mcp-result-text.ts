import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * What the model reads of a tool result: text parts as they are, structured
 * content as JSON when no text stands for it, embedded text resources as their
 * text, and a short note for images, audio and links (function outputs are text).
 */
export function mcpResultText(result: CallToolResult): string {
  const parts = (result.content ?? []).map((block) => {
    switch (block.type) {
      case 'text':
        return block.text;
      case 'image':
      case 'audio':
        return `[${block.type} ${block.mimeType}, ${Math.floor((block.data.length * 3) / 4)} bytes]`;
      case 'resource_link':
        return `[resource ${block.uri}${block.name ? ` "${block.name}"` : ''}]`;
      case 'resource':
        return 'text' in block.resource ? block.resource.text : `[resource ${block.resource.uri}${block.resource.mimeType ? `, ${block.resource.mimeType}` : ''}]`;
      default:
        return '';
    }
  });
  // A text block is the structured content's serialized form when both are given.
  if (result.structuredContent !== undefined && !result.content?.some((b) => b.type === 'text')) parts.push(JSON.stringify(result.structuredContent));
  return parts.filter((p) => p !== '').join('\n');
}
