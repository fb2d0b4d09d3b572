import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { ModelError } from '../../errors/agents-error.js';
import type { OutputItem } from '../../items/input-item.js';
import type { ModelEvent } from '../../model/model.js';
import type { Usage } from '../../model/usage.js';
import type { StreamTranslator } from './openai-stream.js';

/** A tool call being assembled from its deltas. */
interface PartialToolCall {
  id: string | undefined;
  name: string;
  arguments: string;
}

/**
 * Translates Chat Completions chunks. Content deltas become `text.delta` at once;
 * the message (text and refusal) and the tool calls (assembled by index, their
 * arguments concatenated) become `item.done` events when the stream ends, then
 * `response.completed` with the usage chunk and the finish reasons. A stream that
 * ends without a finish reason throws a `ModelError`. Only the first choice is read.
 * @internal
 */
export class ChatChunkTranslator implements StreamTranslator<ChatCompletionChunk> {
  private responseId: string | undefined;
  private model: string | undefined;
  private text = '';
  private refusal = '';
  private readonly toolCalls = new Map<number, PartialToolCall>();
  private readonly finishReasons: string[] = [];
  private usage: Partial<Usage> | undefined;

  next(chunk: ChatCompletionChunk): readonly ModelEvent[] {
    const events: ModelEvent[] = [];
    if (this.responseId === undefined) {
      this.responseId = chunk.id;
      this.model = chunk.model;
      events.push({ type: 'response.started', responseId: chunk.id, model: chunk.model });
    }
    if (chunk.usage) this.usage = toUsage(chunk.usage);
    for (const choice of chunk.choices ?? []) {
      if (choice.index !== 0) continue;
      const delta = choice.delta;
      if (delta?.content) {
        this.text += delta.content;
        events.push({ type: 'text.delta', delta: delta.content });
      }
      if (delta?.refusal) this.refusal += delta.refusal;
      for (const call of delta?.tool_calls ?? []) this.addToolCallDelta(call);
      if (choice.finish_reason) this.finishReasons.push(choice.finish_reason);
    }
    return events;
  }

  end(): readonly ModelEvent[] {
    if (this.finishReasons.length === 0) {
      throw new ModelError('The OpenAI Chat Completions stream ended before a finish_reason: the response is incomplete.');
    }
    const events: ModelEvent[] = this.items().map((item) => ({ type: 'item.done', item }));
    events.push({
      type: 'response.completed',
      responseId: this.responseId,
      model: this.model,
      ...(this.usage ? { usage: this.usage } : {}),
      finishReasons: [...this.finishReasons],
    });
    return events;
  }

  private addToolCallDelta(delta: ChatCompletionChunk.Choice.Delta.ToolCall): void {
    let call = this.toolCalls.get(delta.index);
    if (!call) {
      call = { id: undefined, name: '', arguments: '' };
      this.toolCalls.set(delta.index, call);
    }
    if (delta.id) call.id = delta.id;
    // Names arrive whole (some servers repeat them); arguments arrive in pieces.
    if (delta.function?.name) call.name = delta.function.name;
    if (delta.function?.arguments) call.arguments += delta.function.arguments;
  }

  private items(): OutputItem[] {
    const items: OutputItem[] = [];
    if (this.text !== '' || this.refusal !== '') {
      items.push({
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [
          ...(this.text !== '' ? [{ type: 'output_text' as const, text: this.text, annotations: [] }] : []),
          ...(this.refusal !== '' ? [{ type: 'refusal' as const, refusal: this.refusal }] : []),
        ],
      });
    }
    const indexes = [...this.toolCalls.keys()].sort((a, b) => a - b);
    for (const index of indexes) {
      const call = this.toolCalls.get(index)!;
      items.push({
        type: 'function_call',
        call_id: call.id ?? `call_${this.responseId ?? 'chat'}_${index}`,
        name: call.name,
        arguments: call.arguments,
        status: 'completed',
      });
    }
    return items;
  }
}

/** Chat Completions usage in our terms. Servers that omit the details report them as 0. */
export function toUsage(usage: CompletionUsage): Partial<Usage> {
  return {
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens,
    cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}
