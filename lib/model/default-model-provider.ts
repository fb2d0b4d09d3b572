import type { ModelProvider } from './model.js';

// One per module instance, set by the application: the core never picks a provider
// itself, so no provider (and no provider's client library) is loaded unless asked for.
let defaultProvider: ModelProvider | undefined;

/**
 * Sets the provider that resolves agents' model names (`model: 'gpt-4.1-mini'`) in
 * every run that has no `modelProvider` of its own; `undefined` removes it. Without
 * one, a model name fails the run with a `UserError` saying how to set one.
 *
 * @example
 * import { setDefaultModelProvider } from 'rxjs-agents';
 * import { openAIModelProvider } from 'rxjs-agents/openai';
 *
 * setDefaultModelProvider(openAIModelProvider()); // once, at start-up
 * run(new Agent({ name: 'Assistant', model: 'gpt-4.1-mini' }), 'Hi').subscribe(console.log);
 */
export function setDefaultModelProvider(provider: ModelProvider | undefined): void {
  defaultProvider = provider;
}

/** The provider set by {@link setDefaultModelProvider}, if any. @internal */
export function getDefaultModelProvider(): ModelProvider | undefined {
  return defaultProvider;
}
