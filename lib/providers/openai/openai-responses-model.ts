import type { Observable } from 'rxjs';
import type { ModelEvent, ModelRequest } from '../../model/model.js';
import type { OpenAIModelOptions } from './openai-model-options.js';
import { OpenAIModel } from './openai-model.js';
import { openAIStream } from './openai-stream.js';
import { ResponseAnchors } from './response-anchors.js';
import { ResponsesEventTranslator } from './responses-events.js';
import { isReasoningModelName, responsesRequestBody, type ResponsesRequestContext } from './responses-request.js';

/** Options of {@link OpenAIResponsesModel}. */
export interface OpenAIResponsesModelOptions extends OpenAIModelOptions {
  /**
   * How history reaches the server.
   * - `client` (default): every request carries the whole history, nothing is
   *   stored (`store: false`), reasoning travels encrypted.
   * - `previous_response_id`: responses are stored and each request continues the
   *   last stored one, sending only what is new since, so a request's size does
   *   not grow with the conversation.
   * - `{ conversation: 'conv_…' }`: the same, in a conversation of the
   *   Conversations API (create it empty; the server appends each turn to it).
   *
   * Either way, a turn cut off before its response completed is not trusted to be
   * stored: its items (their calls paired with outputs by the run) are sent again.
   */
  readonly continuation?: 'client' | 'previous_response_id' | { readonly conversation: string };
}

/**
 * A model on OpenAI's Responses API (`POST /responses`, streamed). Each `stream`
 * subscription is one HTTP request; unsubscribing aborts it and closes its
 * connection. Failures error the stream with a `ModelError`. Reasoning (summary
 * and reasoning text) streams as `reasoning.delta`; output items the library does
 * not model (hosted tool calls, compaction…) are kept verbatim as `provider_item`s.
 *
 * @example
 * const agent = new Agent({ name: 'Assistant', model: new OpenAIResponsesModel({ model: 'gpt-4.1' }) });
 * @example
 * // Requests that do not grow with the conversation:
 * new OpenAIResponsesModel({ model: 'gpt-5', continuation: 'previous_response_id' });
 */
export class OpenAIResponsesModel extends OpenAIModel {
  /** How history continues, and whether the model reasons (its responses teach it). */
  private readonly context: ResponsesRequestContext;

  constructor(options: OpenAIResponsesModelOptions) {
    super(options);
    const continuation = options.continuation ?? 'client';
    this.context = {
      anchors: continuation === 'client' ? undefined : new ResponseAnchors(),
      conversation: typeof continuation === 'object' ? continuation.conversation : undefined,
      reasons: isReasoningModelName(options.model),
    };
  }

  /** Streams one response: one HTTP request per subscription, aborted on unsubscribe. */
  stream(request: ModelRequest): Observable<ModelEvent> {
    // The client's own retries are off: the run retries (modelRetry), and unsubscribing stops its wait.
    return openAIStream(
      'Responses',
      (signal) => this.client.get().responses.create(responsesRequestBody(this.modelName, request, this.context), { signal, maxRetries: 0 }),
      () => new ResponsesEventTranslator(this.context),
    );
  }
}
