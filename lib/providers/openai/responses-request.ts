import type { ResponseCreateParamsStreaming, ToolChoiceFunction, ToolChoiceOptions } from 'openai/resources/responses/responses';
import type { ModelRequest } from '../../model/model.js';
import type { ToolChoice } from '../../model/model-settings.js';
import { toResponsesInput } from './responses-input.js';

/**
 * The Responses API request body for a model request. Only settings that are set
 * are sent. `store` defaults to false (history lives on the client); when it is
 * false and reasoning is configured, `include: ['reasoning.encrypted_content']` is
 * added so reasoning items can be sent back. `extraBody` is merged last and may
 * override anything but `stream`.
 */
export function responsesRequestBody(model: string, request: ModelRequest): ResponseCreateParamsStreaming {
  const { settings, tools, outputSchema } = request;
  const extra = settings.extraBody ?? {};
  const store = typeof extra['store'] === 'boolean' ? extra['store'] : false;
  const body: ResponseCreateParamsStreaming = {
    model,
    input: toResponsesInput(request.input, { store }),
    store: false,
    stream: true,
  };
  if (request.instructions !== undefined) body.instructions = request.instructions;
  if (tools.length > 0) {
    body.tools = tools.map((t) => ({
      type: 'function',
      name: t.name,
      description: t.description,
      parameters: { ...t.parameters },
      strict: t.strict,
    }));
  }
  if (outputSchema) {
    body.text = {
      format: { type: 'json_schema', name: outputSchema.name, schema: { ...outputSchema.schema }, strict: outputSchema.strict },
    };
  }
  if (settings.temperature !== undefined) body.temperature = settings.temperature;
  if (settings.topP !== undefined) body.top_p = settings.topP;
  if (settings.maxOutputTokens !== undefined) body.max_output_tokens = settings.maxOutputTokens;
  if (settings.toolChoice !== undefined) body.tool_choice = toolChoice(settings.toolChoice);
  if (settings.parallelToolCalls !== undefined) body.parallel_tool_calls = settings.parallelToolCalls;
  if (settings.reasoning) {
    const { effort, summary } = settings.reasoning;
    body.reasoning = { ...(effort !== undefined ? { effort } : {}), ...(summary !== undefined ? { summary } : {}) };
    if (!store) body.include = ['reasoning.encrypted_content'];
  }
  return { ...body, ...extra, stream: true } as ResponseCreateParamsStreaming;
}

function toolChoice(choice: ToolChoice): ToolChoiceOptions | ToolChoiceFunction {
  return typeof choice === 'string' ? choice : { type: 'function', name: choice.name };
}
