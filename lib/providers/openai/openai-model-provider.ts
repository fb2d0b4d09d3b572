import OpenAI from 'openai';
import type { Model, ModelProvider } from '../../model/model.js';
import { OpenAIChatCompletionsModel } from './openai-chat-completions-model.js';
import { OpenAIResponsesModel } from './openai-responses-model.js';

/** Options of {@link openAIModelProvider}. */
export interface OpenAIModelProviderOptions {
  /** The client every model shares. Default: one `new OpenAI()`, created when the first model first streams. */
  readonly client?: OpenAI;
  /** Which API the models use. Default `responses`. */
  readonly api?: 'responses' | 'chat_completions';
}

/**
 * Resolves model names (an agent's `model: 'gpt-4.1'`) to OpenAI models that share
 * one client. The same name gives the same model object.
 *
 * @example
 * run(agent, 'Hi', { modelProvider: openAIModelProvider({ api: 'chat_completions' }) });
 */
export function openAIModelProvider(options: OpenAIModelProviderOptions = {}): ModelProvider {
  let defaultClient: OpenAI | undefined;
  const client = options.client ?? (() => (defaultClient ??= new OpenAI()));
  const models = new Map<string, Model>();
  return (modelName) => {
    let model = models.get(modelName);
    if (!model) {
      model =
        options.api === 'chat_completions'
          ? new OpenAIChatCompletionsModel({ client, model: modelName })
          : new OpenAIResponsesModel({ client, model: modelName });
      models.set(modelName, model);
    }
    return model;
  };
}
