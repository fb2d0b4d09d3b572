/**
 * Conversation items in the OpenAI Responses input shape. They are the lingua
 * franca of history: run input, session contents and model requests all use them.
 * @module
 */

/** A text part of a user, system or developer message. */
export interface InputTextPart {
  readonly type: 'input_text';
  readonly text: string;
}

/** An image part of a user message, by URL or data URL. */
export interface InputImagePart {
  readonly type: 'input_image';
  readonly image_url: string;
  readonly detail?: 'low' | 'high' | 'auto';
}

/** A text part of an assistant message. */
export interface OutputTextPart {
  readonly type: 'output_text';
  readonly text: string;
  readonly annotations?: readonly unknown[];
}

/** A refusal part of an assistant message. */
export interface RefusalPart {
  readonly type: 'refusal';
  readonly refusal: string;
}

/** A message written by the user, the system or a developer. */
export interface InputMessageItem {
  readonly type?: 'message';
  readonly role: 'user' | 'system' | 'developer';
  readonly content: string | readonly (InputTextPart | InputImagePart)[];
}

/** A message written by the model. */
export interface AssistantMessageItem {
  readonly type?: 'message';
  readonly role: 'assistant';
  readonly id?: string;
  readonly status?: 'in_progress' | 'completed' | 'incomplete';
  readonly content: string | readonly (OutputTextPart | RefusalPart)[];
  /** Responses API: whether the message is commentary or the final answer; sent back as it came. */
  readonly phase?: 'commentary' | 'final_answer' | null;
}

/** The model asking for a function (tool) to be called. */
export interface FunctionCallItem {
  readonly type: 'function_call';
  readonly id?: string;
  readonly call_id: string;
  readonly name: string;
  /** The arguments as the model wrote them: a JSON text, not yet validated. */
  readonly arguments: string;
  readonly status?: 'in_progress' | 'completed' | 'incomplete';
}

/** The output of a function call, matched to it by `call_id`. */
export interface FunctionCallOutputItem {
  readonly type: 'function_call_output';
  readonly call_id: string;
  readonly output: string;
}

/** A part of a reasoning item's full reasoning text (as opposed to its summary). */
export interface ReasoningTextPart {
  readonly type: 'reasoning_text';
  readonly text: string;
}

/**
 * A reasoning item produced by a reasoning model: its summary and, where the
 * server sends it, its reasoning text. Chat Completions servers send reasoning
 * in a message field (`reasoning_content` or `reasoning`), named in `wireField`
 * so it can be sent back in the form that server requires.
 */
export interface ReasoningItem {
  readonly type: 'reasoning';
  /** The server's id for the item (Responses API); Chat Completions reasoning has none. */
  readonly id?: string;
  readonly summary: readonly { readonly type: 'summary_text'; readonly text: string }[];
  readonly content?: readonly ReasoningTextPart[];
  readonly encrypted_content?: string | null;
  /** The Chat Completions message field the reasoning came in. */
  readonly wireField?: 'reasoning_content' | 'reasoning';
}

/**
 * An item of a kind this library does not model (a hosted tool call, a
 * compaction, an unknown content part…), kept verbatim so it can be sent back
 * exactly as the server produced it. Only requests to the API named in `api`
 * carry it.
 */
export interface ProviderItem {
  readonly type: 'provider_item';
  /** The API that produced the item: `openai.responses` or `openai.chat`. */
  readonly api: string;
  /** The item's own type, as the server named it (`web_search_call`, `compaction`, `thinking`…). */
  readonly itemType: string;
  /** The item exactly as the server sent it (plain JSON). */
  readonly item: Readonly<Record<string, unknown>>;
}

/** Any item of conversation history. */
export type InputItem =
  | InputMessageItem
  | AssistantMessageItem
  | FunctionCallItem
  | FunctionCallOutputItem
  | ReasoningItem
  | ProviderItem;

/** An item the model can produce in one response. */
export type OutputItem = AssistantMessageItem | FunctionCallItem | ReasoningItem | ProviderItem;

/** What `run` and `inject$` accept as input: plain text, one item, or a list of items. */
export type RunInput = string | InputItem | readonly InputItem[];
