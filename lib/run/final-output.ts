import { prettifyError, safeParse } from 'zod/v4/core';
import type { AgentFor } from '../agent/agent.js';
import { ModelBehaviorError } from '../errors/agents-error.js';
import type { MessageOutputRunItem } from '../items/run-item.js';

/**
 * The final answer from the last message: its text (or its refusal), or, for an
 * agent with `outputType`, that text parsed and validated.
 */
export function finalOutput<TContext>(agent: AgentFor<TContext>, message: MessageOutputRunItem): unknown {
  const type = agent.outputType;
  const text = message.text;
  if (!type) return text === '' && message.refusal !== undefined ? message.refusal : text;
  if (message.refusal !== undefined) {
    throw new ModelBehaviorError(`Agent "${agent.name}": the model refused to give a structured answer: ${message.refusal}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ModelBehaviorError(
      `Agent "${agent.name}": the final output is not valid JSON (${(cause as Error).message}).`,
      { cause },
    );
  }
  const parsed = safeParse(type, json);
  if (!parsed.success) {
    throw new ModelBehaviorError(
      `Agent "${agent.name}": the final output does not match outputType:\n${prettifyError(parsed.error)}`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}
