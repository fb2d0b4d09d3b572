/**
 * rxjs-agents/testing: tools to test agents and the stores they use, kept out of
 * the core entry point. `ScriptedModel` plays scripted turns offline (it is also
 * exported from the root entry, where it always was); `sessionContract` checks a
 * `Session` implementation.
 *
 * @example
 * import { ScriptedModel } from 'rxjs-agents/testing';
 * const model = new ScriptedModel({ turns: [{ text: 'Hello.' }] });
 * @packageDocumentation
 */
// The offline model, for tests that need no server.
export { ScriptedModel } from '../providers/scripted/scripted-model.js';
export type { ScriptedModelOptions, ScriptedStep, ScriptedToolCall, ScriptedTurn } from '../providers/scripted/scripted-model.js';
export { sessionContract, SessionContractViolation, type SessionContractCase, type SessionContractOptions } from './session-contract.js';
