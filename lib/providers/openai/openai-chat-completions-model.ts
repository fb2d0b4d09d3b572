import type { Observable } from 'rxjs';
import type { ModelEvent, ModelRequest } from '../../model/model.js';
import { chatRequestBody } from './chat-request.js';
import { ChatChunkTranslator } from './chat-stream.js';
import { OpenAIModel } from './openai-model.js';
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
export class OpenAIChatCompletionsModel extends OpenAIModel {
  /** Streams one response: one HTTP request per subscription, aborted on unsubscribe. */
  stream(request: ModelRequest): Observable<ModelEvent> {
    // The client's own retries are off: the run retries (modelRetry), and unsubscribing stops its wait.
    return openAIStream(
      'Chat Completions',
      (signal) => this.client.get().chat.completions.create(chatRequestBody(this.modelName, request), { signal, maxRetries: 0 }),
      () => new ChatChunkTranslator(),
    );
  }
}
