import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { ModelError } from '../../errors/agents-error.js';
import type { OutputItem, ProviderItem, ReasoningItem } from '../../items/input-item.js';
import type { ModelEvent } from '../../model/model.js';
import type { Usage } from '../../model/usage.js';
import type { StreamTranslator } from './openai-stream.js';

/** The API name provider items of Chat Completions carry. */
export const chatApi = 'openai.chat';

/** A tool call being assembled from its deltas. */
interface PartialToolCall {
  id: string | undefined;
  name: string;
  arguments: string;
}

/** A chunk's delta as servers really send it: reasoning fields, content as parts, tool calls without `index`. */
interface WireDelta {
  readonly content?: string | readonly unknown[] | null;
  readonly refusal?: string | null;
  readonly reasoning_content?: string | null;
  readonly reasoning?: string | null;
  readonly tool_calls?: readonly WireToolCall[];
}

interface WireToolCall {
  readonly index?: number;
  readonly id?: string | null;
  readonly function?: { readonly name?: string | null; readonly arguments?: string | null };
}

/**
 * Translates Chat Completions chunks as compatible servers stream them. Visible
 * text (`delta.content` as a string, or the `text` parts of a content array) is
 * `text.delta` at once; reasoning (`delta.reasoning_content`, `delta.reasoning`,
 * `thinking` parts) is `reasoning.delta`. When the stream ends come the items, in
 * order: the reasoning, the message (text and refusal), unknown content parts
 * (kept raw as provider items), the tool calls (assembled by index; a server that
 * omits `index` continues the last call unless a new id starts one), then
 * `response.completed` with the last usage seen (`usage`, or Groq's `x_groq.usage`)
 * and the finish reasons. A stream
 * that ends without a finish reason throws a `ModelError`. Only the first choice
 * is read.
 * @internal
 */
export class ChatChunkTranslator implements StreamTranslator<ChatCompletionChunk> {
  private started = false;
  private responseId: string | undefined;
  private model: string | undefined;
  private text = '';
  private refusal = '';
  private reasoning = '';
  private reasoningField: ReasoningItem['wireField'];
  private readonly parts: ProviderItem[] = [];
  private readonly toolCalls: PartialToolCall[] = [];
  private readonly byIndex = new Map<number, PartialToolCall>();
  private readonly finishReasons: string[] = [];
  private usage: Partial<Usage> | undefined;

  next(chunk: ChatCompletionChunk): readonly ModelEvent[] {
    const events: ModelEvent[] = [];
    if (!this.started) {
      this.started = true;
      events.push({ type: 'response.started', ...(chunk.id ? { responseId: chunk.id } : {}), ...(chunk.model ? { model: chunk.model } : {}) });
    }
    this.responseId ||= chunk.id || undefined;
    this.model ||= chunk.model || undefined;
    // Groq reports usage in `x_groq.usage` of the last chunk.
    const usage = chunk.usage ?? (chunk as { x_groq?: { usage?: CompletionUsage } }).x_groq?.usage;
    if (usage) this.usage = toUsage(usage);
    for (const choice of chunk.choices ?? []) {
      if ((choice.index ?? 0) !== 0) continue;
      const delta = choice.delta as WireDelta | undefined;
      if (delta) this.readDelta(delta, events);
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
      ...(this.responseId ? { responseId: this.responseId } : {}),
      ...(this.model ? { model: this.model } : {}),
      ...(this.usage ? { usage: this.usage } : {}),
      finishReasons: [...this.finishReasons],
    });
    return events;
  }

  private readDelta(delta: WireDelta, events: ModelEvent[]): void {
    for (const field of ['reasoning_content', 'reasoning'] as const) {
      const piece = delta[field];
      if (typeof piece === 'string' && piece !== '') {
        this.reasoningField ??= field;
        this.addReasoning(piece, events);
      }
    }
    const content = delta.content;
    if (typeof content === 'string') this.addText(content, events);
    else if (Array.isArray(content)) for (const part of content) this.addPart(part, events);
    if (delta.refusal) this.refusal += delta.refusal;
    for (const call of delta.tool_calls ?? []) this.addToolCallDelta(call);
  }

  private addText(text: string, events: ModelEvent[]): void {
    if (text === '') return;
    this.text += text;
    events.push({ type: 'text.delta', delta: text });
  }

  private addReasoning(text: string, events: ModelEvent[]): void {
    if (text === '') return;
    this.reasoning += text;
    events.push({ type: 'reasoning.delta', delta: text });
  }

  /** One part of a content array: text is text, thinking is reasoning, anything else is kept as it came. */
  private addPart(part: unknown, events: ModelEvent[]): void {
    const p = (typeof part === 'object' && part !== null ? part : { type: typeof part, value: part }) as Record<string, unknown>;
    if (p['type'] === 'text' && typeof p['text'] === 'string') return this.addText(p['text'], events);
    if (p['type'] === 'thinking') {
      const thinking = p['thinking'];
      if (typeof thinking === 'string') return this.addReasoning(thinking, events);
      if (Array.isArray(thinking)) {
        for (const piece of thinking) {
          const text = (piece as { text?: unknown } | null)?.text;
          if (typeof text === 'string') this.addReasoning(text, events);
        }
        return;
      }
    }
    this.parts.push({ type: 'provider_item', api: chatApi, itemType: String(p['type'] ?? 'unknown'), item: { ...p } });
  }

  private addToolCallDelta(delta: WireToolCall): void {
    const id = delta.id || undefined;
    let call: PartialToolCall | undefined;
    if (typeof delta.index === 'number') {
      call = this.byIndex.get(delta.index);
      if (!call) this.byIndex.set(delta.index, (call = this.newCall()));
    } else {
      // No index: a delta with a new id starts a call, any other continues the last one.
      const last = this.toolCalls[this.toolCalls.length - 1];
      call = last && (id === undefined || last.id === undefined || last.id === id) ? last : this.newCall();
    }
    if (id) call.id = id;
    // Names arrive whole (some servers repeat them); arguments arrive in pieces.
    if (delta.function?.name) call.name = delta.function.name;
    if (delta.function?.arguments) call.arguments += delta.function.arguments;
  }

  private newCall(): PartialToolCall {
    const call = { id: undefined, name: '', arguments: '' };
    this.toolCalls.push(call);
    return call;
  }

  private items(): OutputItem[] {
    const items: OutputItem[] = [];
    if (this.reasoning !== '') {
      items.push({
        type: 'reasoning',
        summary: [],
        content: [{ type: 'reasoning_text', text: this.reasoning }],
        ...(this.reasoningField ? { wireField: this.reasoningField } : {}),
      });
    }
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
    items.push(...this.parts);
    this.toolCalls.forEach((call, index) => {
      items.push({
        type: 'function_call',
        call_id: call.id ?? `call_${this.responseId ?? 'chat'}_${index}`,
        name: call.name,
        arguments: call.arguments,
        status: 'completed',
      });
    });
    return items;
  }
}

/**
 * Chat Completions usage in our terms. Servers that omit the details report them
 * as 0; DeepSeek reports cache hits as `prompt_cache_hit_tokens`.
 */
export function toUsage(usage: CompletionUsage & { readonly prompt_cache_hit_tokens?: number }): Partial<Usage> {
  return {
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens,
    cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens ?? 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}
