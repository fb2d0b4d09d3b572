import type {
  ChatCompletionCreateParamsStreaming,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import { UserError } from '../../errors/agents-error.js';
import type { ModelRequest } from '../../model/model.js';
import type { ToolChoice } from '../../model/model-settings.js';
import { toChatMessages } from './chat-messages.js';

/**
 * The Chat Completions request body for a model request, streamed with usage
 * (`stream_options.include_usage`). Only settings that are set are sent:
 * `maxOutputTokens` → `max_completion_tokens`, `reasoning.effort` →
 * `reasoning_effort` (`reasoning.summary` has no Chat Completions form);
 * `tool_choice` and `parallel_tool_calls` only with tools, as the API requires.
 * `extraBody` is merged last and may override anything but `stream`. Hosted
 * tools have no Chat Completions form: declaring one is a `UserError`.
 */
export function chatRequestBody(model: string, request: ModelRequest): ChatCompletionCreateParamsStreaming {
  const { settings, tools, outputSchema } = request;
  const hosted = request.hostedTools ?? [];
  if (hosted.length > 0) {
    throw new UserError(
      `The hosted tool "${hosted[0]!.name}" needs the OpenAI Responses API; this model uses Chat Completions (use OpenAIResponsesModel).`,
    );
  }
  const body: ChatCompletionCreateParamsStreaming = {
    model,
    messages: toChatMessages(request.instructions, request.input),
    stream: true,
    stream_options: { include_usage: true },
  };
  if (tools.length > 0) {
    body.tools = tools.map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: { ...t.parameters }, strict: t.strict },
    }));
    if (settings.toolChoice !== undefined) body.tool_choice = toolChoice(settings.toolChoice);
    if (settings.parallelToolCalls !== undefined) body.parallel_tool_calls = settings.parallelToolCalls;
  }
  if (outputSchema) {
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: outputSchema.name, schema: { ...outputSchema.schema }, strict: outputSchema.strict },
    };
  }
  if (settings.temperature !== undefined) body.temperature = settings.temperature;
  if (settings.topP !== undefined) body.top_p = settings.topP;
  if (settings.maxOutputTokens !== undefined) body.max_completion_tokens = settings.maxOutputTokens;
  if (settings.reasoning?.effort !== undefined) body.reasoning_effort = settings.reasoning.effort;
  return { ...body, ...settings.extraBody, stream: true } as ChatCompletionCreateParamsStreaming;
}

function toolChoice(choice: ToolChoice): ChatCompletionToolChoiceOption {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}
