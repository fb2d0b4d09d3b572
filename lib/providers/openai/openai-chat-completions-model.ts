import type { Observable } from 'rxjs';
import type { Model, ModelEvent, ModelRequest } from '../../model/model.js';
import { chatRequestBody } from './chat-request.js';
import { ChatChunkTranslator } from './chat-stream.js';
import { LazyClient } from './openai-client.js';
import type { OpenAIModelOptions } from './openai-model-options.js';
import { openAIStream } from './openai-stream.js';

/**
 * A model on the Chat Completions API (`POST /chat/completions`, streamed with
 * usage): OpenAI itself, or any server that speaks it (Ollama, vLLM, LM Studio…).
 * Each `stream` subscription is one HTTP request; unsubscribing aborts it and
 * closes its connection. Failures error the stream with a `ModelError`.
 *
 * @example
 * const client = new OpenAI({ baseURL: 'http://localhost:11434/v1', apiKey: 'ollama' });
 * const model = new OpenAIChatCompletionsModel({ client, model: 'llama3.2' });
 */
export class OpenAIChatCompletionsModel implements Model {
  /** Always `openai`. */
  readonly provider = 'openai';
  readonly modelName: string;
  private readonly client: LazyClient;

  constructor(options: OpenAIModelOptions) {
    this.modelName = options.model;
    this.client = new LazyClient(options.client);
  }

  /** Host of the client's base URL. */
  get serverAddress(): string | undefined {
    return this.client.location().address;
  }

  /** Port of the client's base URL (443 or 80 when it names none). */
  get serverPort(): number | undefined {
    return this.client.location().port;
  }

  /** Streams one response: one HTTP request per subscription, aborted on unsubscribe. */
  stream(request: ModelRequest): Observable<ModelEvent> {
    return openAIStream(
      'Chat Completions',
      (signal) => this.client.get().chat.completions.create(chatRequestBody(this.modelName, request), { signal }),
      () => new ChatChunkTranslator(),
    );
  }
}
