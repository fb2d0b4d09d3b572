import { toJSONSchema } from 'zod/v4/core';
import type { AgentFor } from '../agent/agent.js';
import type { InputItem } from '../items/input-item.js';
import { withInputView } from '../model/input-view.js';
import type { ModelRequest, OutputSchema, ToolDefinition } from '../model/model.js';
import { isStrictSchema, toModelJsonSchema } from '../tools/strict-schema.js';
import type { RunState } from './run-state.js';

/** The request for the next model call of the agent in charge. */
export function modelRequest<TContext>(state: RunState<TContext>, instructions: string | undefined): ModelRequest {
  const agent = state.agent;
  const input = state.modelInput();
  const request: ModelRequest = {
    instructions,
    // Joined when read (see inputView): a model continuing a stored response reads only the end.
    get input() {
      return input.toArray();
    },
    // A model wrapper may still replace it: the new array is what every reader then sees.
    set input(value: readonly InputItem[]) {
      Object.defineProperty(this, 'input', { value, writable: true, enumerable: true, configurable: true });
    },
    tools: toolDefinitions(state.tools, agent.handoffs),
    ...(agent.hostedTools.length > 0 ? { hostedTools: agent.hostedTools } : {}),
    settings: agent.modelSettings,
    outputSchema: outputSchema(agent),
  };
  return withInputView(request, input);
}

/** The definitions of the tools and handoffs, in that order (a shared empty list when there are none). */
function toolDefinitions<TContext>(tools: RunState<TContext>['tools'], handoffs: AgentFor<TContext>['handoffs']): readonly ToolDefinition[] {
  if (tools.length === 0 && handoffs.length === 0) return noTools;
  return [...tools.map((t) => t.definition), ...handoffs.map((h) => h.definition)];
}

const noTools: readonly ToolDefinition[] = [];

const schemas = new WeakMap<object, OutputSchema>();

function outputSchema<TContext>(agent: AgentFor<TContext>): OutputSchema | undefined {
  const type = agent.outputType;
  if (!type) return undefined;
  let schema = schemas.get(type);
  if (!schema) {
    const json = toModelJsonSchema(toJSONSchema(type, { io: 'output' }) as Record<string, unknown>);
    schema = { name: 'final_output', schema: json, strict: isStrictSchema(json) };
    schemas.set(type, schema);
  }
  return schema;
}
