import type { AnyAgent } from '../agent/agent.js';
import { RunStateError } from '../errors/run-state-error.js';
import type { FunctionCallItem, FunctionCallOutputItem, InputItem } from '../items/input-item.js';
import type { Usage } from '../model/usage.js';

/** The version of {@link SuspendedRun} this library writes and reads. */
export const suspendedRunVersion = 1;

/** A call of the batch the run suspended in: answered already, or waiting for a decision. */
export interface SuspendedCall {
  readonly call: FunctionCallItem;
  /** The output, for a call that finished before the run suspended. */
  readonly output?: FunctionCallOutputItem;
  /** For a call waiting for approval: its validated arguments, as shown in `tool.approval_requested`. */
  readonly arguments?: unknown;
}

/**
 * A run suspended while its remaining work waited for approvals: plain JSON
 * (store it anywhere, for as long as needed) that `resume` continues, in any
 * process. The session (if any) holds the history before `calls`; the calls and
 * their outputs are stored when the resumed run answers them.
 */
export interface SuspendedRun {
  readonly version: typeof suspendedRunVersion;
  /** The agent in charge when the run suspended. */
  readonly agent: string;
  /** The model input before the waiting batch of calls (what the session holds, for a run with one). */
  readonly history: readonly InputItem[];
  /** The batch of calls the run suspended in, in order. */
  readonly calls: readonly SuspendedCall[];
  /** Model turns taken so far (counted against `maxTurns`). */
  readonly turn: number;
  readonly usage: Usage;
  /** Input injected that no model call took yet: the resumed run sends it with its next model call. */
  readonly unconsumedInput: readonly InputItem[];
}

/** Checks a suspended run read back from storage; a `RunStateError` says what is wrong. */
export function checkSuspendedRun(value: unknown): SuspendedRun {
  const fail = (what: string): never => {
    throw new RunStateError(`Cannot resume: ${what}.`);
  };
  if (!value || typeof value !== 'object') return fail('the state is not an object');
  const state = value as Partial<SuspendedRun>;
  if (state.version !== suspendedRunVersion) {
    return fail(`the state has version ${JSON.stringify(state.version)}; this version of rxjs-agents reads version ${suspendedRunVersion}`);
  }
  if (typeof state.agent !== 'string') fail('`agent` is not a string');
  if (!Array.isArray(state.history)) fail('`history` is not an array');
  if (!Array.isArray(state.calls) || state.calls.length === 0) fail('`calls` is not a non-empty array');
  for (const c of state.calls!) {
    if (c?.call?.type !== 'function_call' || typeof c.call.call_id !== 'string' || typeof c.call.name !== 'string') fail('a call in `calls` is malformed');
  }
  if (!Number.isInteger(state.turn) || state.turn! < 0) fail('`turn` is not a whole number');
  if (!state.usage || typeof state.usage !== 'object') fail('`usage` is missing');
  if (!Array.isArray(state.unconsumedInput)) fail('`unconsumedInput` is not an array');
  return state as SuspendedRun;
}

/** The agent named `name` among `agents` and the agents they hand off to. */
export function findAgent(agents: readonly AnyAgent[], name: string): AnyAgent {
  const seen = new Set<AnyAgent>();
  const queue = [...agents];
  for (let agent; (agent = queue.shift()); ) {
    if (seen.has(agent)) continue;
    seen.add(agent);
    if (agent.name === name) return agent;
    for (const h of agent.handoffs) queue.push(h.agent as AnyAgent);
  }
  throw new RunStateError(`Cannot resume: the state names agent "${name}", which is not among the agents given (${[...seen].map((a) => `"${a.name}"`).join(', ')}).`);
}
