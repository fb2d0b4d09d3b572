/**
 * rxjs-agents: LLM agents where a run is a cold Observable.
 * @packageDocumentation
 */
export { Agent, type AgentOptions, type AnyAgent, type Instructions, type RunContext } from './agent/agent.js';
export { AgentsError, MaxTurnsExceededError, ModelBehaviorError, ModelError, RunCancelledError, UserError } from './errors/agents-error.js';
export { ToolCallError, type ToolCallErrorKind } from './errors/tool-call-error.js';
export type { RunResult } from './events/run-result.js';
export type { RunStatus, TerminalRunStatus } from './events/run-status.js';
export type {
  AgentUpdatedEvent,
  ItemCreatedEvent,
  ModelRawEvent,
  RunUpdatedEvent,
  StreamEvent,
  TextDeltaEvent,
  ToolProgressEvent,
  TurnInterruptedEvent,
} from './events/stream-event.js';
export type * from './items/input-item.js';
export type * from './items/run-item.js';
export type { JsonSchema, Model, ModelEvent, ModelRequest, OutputSchema, ToolDefinition } from './model/model.js';
export type { ModelSettings, ToolChoice } from './model/model-settings.js';
export type { Usage } from './model/usage.js';
export { runStatus } from './operators/run-status.js';
export { textDeltas } from './operators/text-deltas.js';
export { toResult } from './operators/to-result.js';
export {
  ScriptedModel,
  type ScriptedModelOptions,
  type ScriptedStep,
  type ScriptedToolCall,
  type ScriptedTurn,
} from './providers/scripted/scripted-model.js';
export type { CancelMode, CancelRequest } from './run/cancel-request.js';
export { run } from './run/run.js';
export type { ModelProvider, RunOptions } from './run/run-options.js';
export { MemorySession } from './session/memory-session.js';
export type { Session } from './session/session.js';
export { tool, type Tool, type ToolContext, type ToolOptions, type ToolResult } from './tools/tool.js';
