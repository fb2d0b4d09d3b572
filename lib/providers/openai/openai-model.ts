import type { Observable } from 'rxjs';
import type { Model, ModelEvent, ModelRequest } from '../../model/model.js';
import { LazyClient } from './openai-client.js';
import type { OpenAIModelOptions } from './openai-model-options.js';

/** What the two OpenAI models share: the lazily made client and where it points. */
export abstract class OpenAIModel implements Model {
  /** Always `openai`. */
  readonly provider = 'openai';
  readonly modelName: string;
  protected readonly client: LazyClient;

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
  abstract stream(request: ModelRequest): Observable<ModelEvent>;
}
