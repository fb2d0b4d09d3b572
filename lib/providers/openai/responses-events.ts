import type { Response, ResponseStreamEvent, ResponseUsage } from 'openai/resources/responses/responses';
import { ModelError } from '../../errors/agents-error.js';
import type { OutputItem } from '../../items/input-item.js';
import type { ModelEvent } from '../../model/model.js';
import type { Usage } from '../../model/usage.js';
import type { StreamTranslator } from './openai-stream.js';
import { itemId } from './response-anchors.js';
import type { ResponsesRequestContext } from './responses-request.js';
import { toOutputItem } from './responses-output-item.js';

/**
 * Translates Responses API stream events: `response.created` → `response.started`,
 * `response.output_text.delta` → `text.delta`, reasoning summary and reasoning
 * text deltas → `reasoning.delta`, `response.output_item.done` →
 * `item.done`, `response.completed` → `response.completed` (usage, finish reasons).
 * `response.failed`, `response.incomplete` and `error` throw a `ModelError`; so
 * does a stream that ends without `response.completed`.
 *
 * Given the model's context, it also notes what the model learns from the
 * response: that it reasons, and (with anchors) which output items the server
 * stored once the response completed. Done here rather than in an operator on
 * the stream: every response in flight would hold that operator.
 * @internal
 */
export class ResponsesEventTranslator implements StreamTranslator<ResponseStreamEvent> {
  private completed = false;
  /** The ids of this response's output items so far, for the anchors (only with anchors). */
  private ids: string[] | undefined;

  constructor(private readonly context?: ResponsesRequestContext) {}

  next(event: ResponseStreamEvent): readonly ModelEvent[] {
    switch (event.type) {
      case 'response.created':
        return [{ type: 'response.started', responseId: event.response.id, model: event.response.model }];
      case 'response.output_text.delta':
        return event.delta === '' ? [] : [{ type: 'text.delta', delta: event.delta }];
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        return event.delta === '' ? [] : [{ type: 'reasoning.delta', delta: event.delta }];
      case 'response.output_item.done': {
        const item = toOutputItem(event.item);
        if (this.context) this.learn(item);
        return [{ type: 'item.done', item }];
      }
      case 'response.completed':
        this.completed = true;
        if (this.ids) this.context?.anchors?.record(event.response.id, this.ids);
        return [completedEvent(event.response)];
      case 'response.failed': {
        const error = event.response.error;
        throw new ModelError(`OpenAI response ${event.response.id} failed: ${error?.message ?? 'no reason given'}`, {
          code: error?.code,
        });
      }
      case 'response.incomplete': {
        const reason = event.response.incomplete_details?.reason ?? 'unknown';
        throw new ModelError(`OpenAI response ${event.response.id} is incomplete (${reason}): the output was cut short.`, {
          code: reason,
        });
      }
      case 'error':
        throw new ModelError(`The OpenAI Responses stream reported an error: ${event.message}`, {
          code: event.code ?? undefined,
        });
      default:
        return [];
    }
  }

  private learn(item: OutputItem): void {
    const context = this.context!;
    if (item.type === 'reasoning') context.reasons = true;
    if (!context.anchors) return;
    const id = itemId(item);
    if (id !== undefined) (this.ids ??= []).push(id);
  }

  end(): readonly ModelEvent[] {
    if (!this.completed) {
      throw new ModelError('The OpenAI Responses stream ended without a response.completed event.');
    }
    return [];
  }
}

function completedEvent(response: Response): ModelEvent {
  const calledTools = response.output.some((item) => item.type === 'function_call');
  return {
    type: 'response.completed',
    responseId: response.id,
    model: response.model,
    ...(response.usage ? { usage: toUsage(response.usage) } : {}),
    finishReasons: [calledTools ? 'tool_calls' : 'stop'],
  };
}

/** Responses usage in our terms. Servers that omit the details report them as 0. */
export function toUsage(usage: ResponseUsage): Partial<Usage> {
  return {
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens,
    totalTokens: usage.total_tokens,
    cachedInputTokens: usage.input_tokens_details?.cached_tokens ?? 0,
    reasoningTokens: usage.output_tokens_details?.reasoning_tokens ?? 0,
  };
}
