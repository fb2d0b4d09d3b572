import type { ToolCallError } from '../errors/tool-call-error.js';
import type {
  AssistantMessageItem,
  FunctionCallItem,
  FunctionCallOutputItem,
  InputItem,
  ProviderItem,
  ReasoningItem,
} from './input-item.js';

/** A message the model finished writing. */
export interface MessageOutputRunItem {
  readonly type: 'message_output';
  readonly agentName: string;
  readonly rawItem: AssistantMessageItem;
  /** The message's visible text. */
  readonly text: string;
  /** Set when the model refused to answer. */
  readonly refusal?: string;
}

/** A tool call the model asked for. */
export interface ToolCallRunItem {
  readonly type: 'tool_call';
  readonly agentName: string;
  readonly rawItem: FunctionCallItem;
}

/** The output of a tool call: its result, or a description of what went wrong. */
export interface ToolOutputRunItem {
  readonly type: 'tool_output';
  readonly agentName: string;
  readonly rawItem: FunctionCallOutputItem;
  readonly toolName: string;
  /** The tool's own return value (before it was turned into text for the model). */
  readonly output: unknown;
  /** Set when the call failed, timed out, was cancelled or could not run. */
  readonly error?: ToolCallError;
  /** Set when the output text was cut to the run's `maxToolOutputChars`: the full text's length. */
  readonly truncatedFrom?: number;
  /** Set when the tool's `onCancel` threw while the call was being stopped (nothing else changes). */
  readonly onCancelError?: Error;
}

/** Input pushed into the run through `inject$`, at the moment it reached the model. */
export interface InjectedInputRunItem {
  readonly type: 'injected_input';
  readonly agentName: string;
  readonly rawItem: InputItem;
}

/** A reasoning item of a reasoning model. */
export interface ReasoningRunItem {
  readonly type: 'reasoning';
  readonly agentName: string;
  readonly rawItem: ReasoningItem;
}

/**
 * An item the library does not model (a hosted tool's call and result, a
 * compaction…), kept in history verbatim. `itemType` is the server's name for it.
 */
export interface ProviderRunItem {
  readonly type: 'provider_item';
  readonly agentName: string;
  readonly itemType: string;
  readonly rawItem: ProviderItem;
}

/** The conversation moved to another agent. `rawItem` is the output of the transfer call. */
export interface HandoffRunItem {
  readonly type: 'handoff';
  /** The agent that handed off. */
  readonly agentName: string;
  /** The agent now in charge. */
  readonly targetAgent: string;
  readonly rawItem: FunctionCallOutputItem;
}

/** An item a run produced; `rawItem` is its form in conversation history. */
export type RunItem =
  | MessageOutputRunItem
  | HandoffRunItem
  | ToolCallRunItem
  | ToolOutputRunItem
  | InjectedInputRunItem
  | ReasoningRunItem
  | ProviderRunItem;
