/**
 * rxjs-agents: LLM agents where a run is a cold Observable.
 * @packageDocumentation
 */
export {
  Agent,
  type AgentFor,
  type AgentOptions,
  type AnyAgent,
  type HandoffTarget,
  type Instructions,
  type RunContext,
  type ToolUseBehavior,
} from './agent/agent.js';
export type { AgentToolOptions } from './agent/agent-as-tool.js';
export type { RunOutput } from './agent/run-output.js';
export type {
  GuardrailAnswer,
  GuardrailContext,
  GuardrailFunctionOutput,
  GuardrailResult,
  InputGuardrail,
  OutputGuardrail,
} from './agent/guardrail.js';
export {
  handoff,
  handoffToolName,
  removeToolCalls,
  type Handoff,
  type HandoffContext,
  type HandoffInputFilter,
  type HandoffOptions,
} from './agent/handoff.js';
export type {
  ConversationClaim,
  ConversationLock,
  ConversationRequest,
  OnBusy,
  OwnerClaim,
  SteeredClaim,
} from './conversation/conversation-lock.js';
export { localConversationLock } from './conversation/local-conversation-lock.js';
export { ConversationBusyError } from './errors/conversation-busy-error.js';
export { InputGuardrailTripwireTriggered, OutputGuardrailTripwireTriggered } from './errors/guardrail-tripwire.js';
export {
  AgentsError,
  MaxTurnsExceededError,
  ModelBehaviorError,
  ModelError,
  RunCancelledError,
  SessionError,
  UserCodeError,
  UserError,
} from './errors/agents-error.js';
export { ToolCallError, type ToolCallErrorKind } from './errors/tool-call-error.js';
export {
  decodeError,
  decodeEvent,
  encodeError,
  encodeEvent,
  type DecodeOptions,
  type WireError,
  type WireEvent,
} from './events/event-codec.js';
export type { RunResult } from './events/run-result.js';
export type { RunStatus, TerminalRunStatus } from './events/run-status.js';
export type {
  AgentUpdatedEvent,
  GuardrailResultEvent,
  ToolApprovalRequestedEvent,
  ItemCreatedEvent,
  ModelRawEvent,
  ReasoningDeltaEvent,
  ModelRetryEvent,
  RunUpdatedEvent,
  StreamEvent,
  TextDeltaEvent,
  ToolProgressEvent,
  TurnInterruptedEvent,
} from './events/stream-event.js';
export type * from './items/input-item.js';
export type * from './items/run-item.js';
export type { JsonSchema, Model, ModelEvent, ModelProvider, ModelRequest, OutputSchema, ToolDefinition } from './model/model.js';
export type { ModelSettings, ToolChoice } from './model/model-settings.js';
export type { Usage } from './model/usage.js';
export { setDefaultModelProvider } from './model/default-model-provider.js';
export { coalesceDeltas } from './operators/coalesce-deltas.js';
export { runStatus } from './operators/run-status.js';
export { textDeltas } from './operators/text-deltas.js';
export { toResult } from './operators/to-result.js';
export { toTranscript, type TranscriptOptions } from './operators/to-transcript.js';
export {
  ScriptedModel,
  type ScriptedModelOptions,
  type ScriptedStep,
  type ScriptedToolCall,
  type ScriptedTurn,
} from './providers/scripted/scripted-model.js';
export type { CancelMode, CancelRequest } from './run/cancel-request.js';
export { resume, run, type ResumeOptions } from './run.js';
export { RunStateError } from './errors/run-state-error.js';
export { RunOwnerLostError } from './errors/run-owner-lost-error.js';
export type { SuspendedCall, SuspendedRun } from './run/suspended-run.js';
export type { ModelRetryOptions, RunOptions } from './run/run-options.js';
export { MemorySession } from './session/memory-session.js';
export type { Session } from './session/session.js';
export type { ToolApprovalDecision } from './tools/approval-desk.js';
export type {
  AssistantMessage,
  HandoffMessage,
  PendingApproval,
  ProviderItemMessage,
  ReasoningMessage,
  StreamedStatus,
  ToolCallMessage,
  ToolCallStatus,
  Transcript,
  TranscriptMessage,
  UserMessage,
} from './transcript/transcript.js';
export type { HostedTool } from './tools/hosted-tool.js';
export { tool, type Tool, type ToolArguments, type NestedRunner, type ToolContext, type ToolOptions, type ToolResult, type ToolSource } from './tools/tool.js';
