import { toJSONSchema } from 'zod/v4/core';
import type { AgentFor } from '../agent/agent.js';
import type { ModelRequest, OutputSchema } from '../model/model.js';
import { isStrictSchema, toModelJsonSchema } from '../tools/strict-schema.js';
import type { RunState } from './run-state.js';

/** The request for the next model call of the agent in charge. */
export function modelRequest<TContext>(state: RunState<TContext>, instructions: string | undefined): ModelRequest {
  const agent = state.agent;
  return {
    instructions,
    input: state.modelInput(),
    tools: [...state.tools.map((t) => t.definition), ...agent.handoffs.map((h) => h.definition)],
    ...(agent.hostedTools.length > 0 ? { hostedTools: agent.hostedTools } : {}),
    settings: agent.modelSettings,
    outputSchema: outputSchema(agent),
  };
}

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
