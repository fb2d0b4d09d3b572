import { UserError } from '../errors/agents-error.js';
import { getDefaultModelProvider } from '../model/default-model-provider.js';
import type { Model } from '../model/model.js';
import type { AgentFor } from '../agent/agent.js';
import type { RunOptions } from './run-options.js';

/** The model an agent runs on: the run's override, the agent's own, or its name resolved by a provider. */
export function resolveModel<TContext>(agent: AgentFor<TContext>, options: RunOptions<TContext>): Model {
  const model = options.model ?? agent.model;
  if (model === undefined) {
    throw new UserError(`Agent "${agent.name}" has no model: give it one, or pass \`model\` to run().`);
  }
  if (typeof model !== 'string') return model;
  const provider = options.modelProvider ?? getDefaultModelProvider();
  if (!provider) {
    throw new UserError(
      `Agent "${agent.name}" names model "${model}", but no model provider is set to resolve names. ` +
        `Give the agent a Model object, or (with the \`openai\` package installed) ` +
        `call setDefaultModelProvider(openAIModelProvider()) once, importing openAIModelProvider from 'rxjs-agents/openai', ` +
        `or pass { modelProvider } to run().`,
    );
  }
  return provider(model);
}
