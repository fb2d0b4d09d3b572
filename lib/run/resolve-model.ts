import { UserError } from '../errors/agents-error.js';
import type { Model } from '../model/model.js';
import type { Agent } from '../agent/agent.js';
import type { RunOptions } from './run-options.js';

/** The model an agent runs on: the run's override, the agent's own, or its name resolved by the provider. */
export function resolveModel<TContext>(agent: Agent<TContext, unknown>, options: RunOptions<TContext>): Model {
  const model = options.model ?? agent.model;
  if (model === undefined) {
    throw new UserError(`Agent "${agent.name}" has no model: give it one, or pass \`model\` to run().`);
  }
  if (typeof model !== 'string') return model;
  if (!options.modelProvider) {
    throw new UserError(`Agent "${agent.name}" names model "${model}" but the run has no modelProvider to resolve it.`);
  }
  return options.modelProvider(model);
}
