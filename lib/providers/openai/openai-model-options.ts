import type { OpenAIClientSource } from './openai-client.js';

/** Options of the OpenAI models (`OpenAIResponsesModel`, `OpenAIChatCompletionsModel`). */
export interface OpenAIModelOptions {
  /**
   * The client, or a function making one (called once, on the first stream).
   * Default: `new OpenAI()`, created on the first stream, so a model can be built
   * without `OPENAI_API_KEY` set.
   */
  readonly client?: OpenAIClientSource;
  /** The model name sent to the API (`gpt-4.1`, …). */
  readonly model: string;
}
