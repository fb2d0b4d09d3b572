import type { Observable } from 'rxjs';
import type { InputItem, OutputItem } from '../items/input-item.js';
import type { HostedTool } from '../tools/hosted-tool.js';
import type { ModelSettings } from './model-settings.js';
import type { Usage } from './usage.js';

/** A JSON Schema document, as produced by zod's `toJSONSchema`. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** A function tool as the model sees it. */
export interface ToolDefinition {
  readonly name: string;
  readonly description: string;
  readonly parameters: JsonSchema;
  /** Whether the provider should enforce the schema exactly (OpenAI "strict" mode). */
  readonly strict: boolean;
}

/** A JSON schema the final answer must follow (structured output). */
export interface OutputSchema {
  readonly name: string;
  readonly schema: JsonSchema;
  readonly strict: boolean;
}

/** Everything a model needs for one call. */
export interface ModelRequest {
  readonly instructions?: string;
  /**
   * The whole history the model answers. In a request the run made, joined into one
   * array when first read: a model that continues a stored response reads only the
   * items after it (the OpenAI Responses model with `continuation`), and then a turn of
   * a long conversation copies nothing the length of the history.
   */
  readonly input: readonly InputItem[];
  readonly tools: readonly ToolDefinition[];
  /** Tools the provider runs itself (web search, code interpreter…), declared as the provider expects them. */
  readonly hostedTools?: readonly HostedTool[];
  readonly settings: ModelSettings;
  readonly outputSchema?: OutputSchema;
}

/**
 * What a model stream emits. Providers translate their wire format into these;
 * the run loop never sees the wire format except through `raw`.
 */
export type ModelEvent =
  /** The provider accepted the request. */
  | { readonly type: 'response.started'; readonly responseId?: string; readonly model?: string }
  /** A piece of the visible answer. */
  | { readonly type: 'text.delta'; readonly delta: string }
  /** A piece of the model's reasoning (summary or reasoning text). */
  | { readonly type: 'reasoning.delta'; readonly delta: string }
  /** One output item is complete (a message, a function call, a reasoning item, a provider item). */
  | { readonly type: 'item.done'; readonly item: OutputItem }
  /** The response is complete; it is the last event of a successful stream. */
  | {
      readonly type: 'response.completed';
      readonly responseId?: string;
      readonly model?: string;
      readonly usage?: Partial<Usage>;
      readonly finishReasons?: readonly string[];
    }
  /** The provider's own streaming event, untouched. */
  | { readonly type: 'raw'; readonly event: unknown };

/** Turns a model name (an agent's `model: 'gpt-4.1'`) into a {@link Model}. */
export type ModelProvider = (modelName: string) => Model;

/**
 * A language model provider. `stream` must be cold: nothing is sent before
 * subscribe, and unsubscribing aborts the underlying request (closes its socket).
 * A failed call errors the Observable, preferably with a `ModelError`.
 */
export interface Model {
  /** Provider name, as in the OpenTelemetry attribute `gen_ai.provider.name` (`openai`, …). */
  readonly provider: string;
  /** The model's name, as requested (`gpt-4.1`, …). */
  readonly modelName: string;
  /** Host of the server the model talks to, when there is one. */
  readonly serverAddress?: string | undefined;
  /** Port of the server the model talks to, when there is one. */
  readonly serverPort?: number | undefined;
  /** Streams one response. */
  stream(request: ModelRequest): Observable<ModelEvent>;
}
