import type { ResponseCreateParamsStreaming, ToolChoiceFunction, ToolChoiceOptions } from 'openai/resources/responses/responses';
import { UserError } from '../../errors/agents-error.js';
import { inputView } from '../../model/input-view.js';
import type { ModelRequest, ToolDefinition } from '../../model/model.js';
import type { ToolChoice } from '../../model/model-settings.js';
import type { ResponseAnchors } from './response-anchors.js';
import { toResponsesInput } from './responses-input.js';
import { responsesApi } from './responses-output-item.js';

/** What the model knows beyond the request: how history continues, and whether it reasons (learnt from its responses). */
export interface ResponsesRequestContext {
  /** Continue stored responses (the anchors say which), with `previous_response_id` or in `conversation`. */
  readonly anchors?: ResponseAnchors;
  /** The Conversations API conversation the requests continue, instead of `previous_response_id`. */
  readonly conversation?: string;
  /** The model is known to reason (by its name, or because it sent reasoning before). */
  reasons: boolean;
}

/**
 * The Responses API request body for a model request. Only settings that are set
 * are sent. `store` defaults to false (history lives on the client); then, for a
 * model that reasons, `include: ['reasoning.encrypted_content']` is added so its
 * reasoning items can be sent back (the API rejects that include for other
 * models). With anchors (`continuation` other than `client`) the request is
 * stored and sends only the items after the last stored response, continuing it
 * by `previous_response_id` or in its `conversation`. Hosted tools
 * are declared after the function tools. `extraBody` is merged last and may
 * override anything but `stream`.
 */
export function responsesRequestBody(model: string, request: ModelRequest, context: ResponsesRequestContext): ResponseCreateParamsStreaming {
  const { settings, tools, outputSchema } = request;
  const extra = settings.extraBody ?? {};
  const anchors = context.anchors;
  const store = anchors !== undefined || extra['store'] === true;
  // Through the view: a continued request reads only the end of the history.
  const history = anchors ? inputView(request) : request.input;
  const anchor = anchors?.find(history);
  const items = anchor ? history.slice(anchor.index + 1) : request.input;
  const body: ResponseCreateParamsStreaming = {
    model,
    input: toResponsesInput(items, { serverHas: (item) => store && (anchors === undefined || anchors.stored(item.id)) }),
    store,
    stream: true,
  };
  if (context.conversation !== undefined) body.conversation = context.conversation;
  else if (anchor) body.previous_response_id = anchor.responseId;
  if (request.instructions !== undefined) body.instructions = request.instructions;
  const declared = [
    ...tools.map(functionDeclaration),
    ...hostedDeclarations(request),
  ];
  if (declared.length > 0) body.tools = declared;
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
  }
  if (!store && (settings.reasoning || context.reasons)) body.include = ['reasoning.encrypted_content'];
  return { ...body, ...extra, stream: true } as ResponseCreateParamsStreaming;
}

type FunctionDeclaration = Extract<NonNullable<ResponseCreateParamsStreaming['tools']>[number], { type: 'function' }>;
const declarations = new WeakMap<ToolDefinition, FunctionDeclaration>();

/**
 * A function tool as the API declares it, made once per definition (definitions are
 * made once per tool): an agent with many tools would otherwise copy every one of
 * them into every request. Nothing writes to a request body once it is built.
 */
function functionDeclaration(tool: ToolDefinition): FunctionDeclaration {
  let declaration = declarations.get(tool);
  if (!declaration) {
    declaration = { type: 'function', name: tool.name, description: tool.description, parameters: tool.parameters as Record<string, unknown>, strict: tool.strict };
    declarations.set(tool, declaration);
  }
  return declaration;
}

/** The hosted tools' declarations; a tool made for another API is a `UserError`. */
function hostedDeclarations(request: ModelRequest): NonNullable<ResponseCreateParamsStreaming['tools']> {
  return (request.hostedTools ?? []).map((tool) => {
    if (tool.api !== responsesApi) {
      throw new UserError(`The hosted tool "${tool.name}" is for ${tool.api}; this model uses the OpenAI Responses API.`);
    }
    return { ...tool.declaration } as unknown as NonNullable<ResponseCreateParamsStreaming['tools']>[number];
  });
}

function toolChoice(choice: ToolChoice): ToolChoiceOptions | ToolChoiceFunction {
  return typeof choice === 'string' ? choice : { type: 'function', name: choice.name };
}

/** Model names of OpenAI's reasoning families (o-series, gpt-5 but its chat variants, codex). */
export function isReasoningModelName(model: string): boolean {
  return /(^|\/)(o\d|gpt-5(?!.*chat)|codex)/.test(model);
}
