/**
 * rxjs-agents/testing: tools to test agents and the stores they use.
 * @packageDocumentation
 */
// The offline model, for tests that need no server.
export { ScriptedModel } from '../providers/scripted/scripted-model.js';
export type { ScriptedModelOptions, ScriptedStep, ScriptedToolCall, ScriptedTurn } from '../providers/scripted/scripted-model.js';
export { sessionContract, SessionContractViolation, type SessionContractCase, type SessionContractOptions } from './session-contract.js';
