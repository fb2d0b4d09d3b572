/**
 * rxjs-agents/openai: models on OpenAI's Responses and Chat Completions APIs (and
 * compatible servers) through the official `openai` client, an optional peer
 * dependency that only this entry point loads.
 *
 * @example
 * import { Agent, run, setDefaultModelProvider } from 'rxjs-agents';
 * import { OpenAIResponsesModel, openAIModelProvider } from 'rxjs-agents/openai';
 *
 * const agent = new Agent({ name: 'Assistant', model: new OpenAIResponsesModel({ model: 'gpt-4.1-mini' }) });
 * // or let model names (`model: 'gpt-4.1-mini'`) resolve to OpenAI in every run:
 * setDefaultModelProvider(openAIModelProvider());
 * @packageDocumentation
 */
export { OpenAIChatCompletionsModel } from '../providers/openai/openai-chat-completions-model.js';
export type { OpenAIClientSource } from '../providers/openai/openai-client.js';
export type { OpenAIModelOptions } from '../providers/openai/openai-model-options.js';
export { openAIModelProvider, type OpenAIModelProviderOptions } from '../providers/openai/openai-model-provider.js';
export { OpenAIResponsesModel, type OpenAIResponsesModelOptions } from '../providers/openai/openai-responses-model.js';
export {
  codeInterpreterTool,
  fileSearchTool,
  hostedMcpTool,
  imageGenerationTool,
  webSearchTool,
  type CodeInterpreterToolOptions,
  type FileSearchToolOptions,
  type HostedMcpToolOptions,
  type ImageGenerationToolOptions,
  type WebSearchToolOptions,
} from '../providers/openai/hosted-tools.js';
