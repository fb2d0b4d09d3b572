import type { Observable } from 'rxjs';
import type { ModelEvent, ModelRequest } from '../../model/model.js';
import { OpenAIModel } from './openai-model.js';
import { openAIStream } from './openai-stream.js';
import { ResponsesEventTranslator } from './responses-events.js';
import { responsesRequestBody } from './responses-request.js';

/**
 * A model on OpenAI's Responses API (`POST /responses`, streamed). Each `stream`
 * subscription is one HTTP request; unsubscribing aborts it and closes its
 * connection. History is kept on the client (`store: false` unless `extraBody`
 * says otherwise). Failures error the stream with a `ModelError`.
 *
 * @example
 * const agent = new Agent({ name: 'Assistant', model: new OpenAIResponsesModel({ model: 'gpt-4.1' }) });
 */
export class OpenAIResponsesModel extends OpenAIModel {
  /** Streams one response: one HTTP request per subscription, aborted on unsubscribe. */
  stream(request: ModelRequest): Observable<ModelEvent> {
    // The client's own retries are off: the run retries (modelRetry), and unsubscribing stops its wait.
    return openAIStream(
      'Responses',
      (signal) => this.client.get().responses.create(responsesRequestBody(this.modelName, request), { signal, maxRetries: 0 }),
      () => new ResponsesEventTranslator(),
    );
  }
}
