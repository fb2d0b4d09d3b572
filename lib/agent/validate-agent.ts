import { isObservable } from 'rxjs';
import { UserError } from '../errors/agents-error.js';
import { Agent } from './agent.js';

/**
 * Checks an agent before the run uses it: that it is an {@link Agent}, that its
 * tools are tools, and that no two tools (handoff transfer tools included) share
 * a name, which the model could not tell apart. Returns the problem as a
 * {@link UserError} naming it, or undefined. Handoffs given as a function are
 * read (and checked) each time. A long pair of lists found sound is remembered
 * (lists are immutable): every turn checks, and an agent may have hundreds of tools.
 */
export function validateAgent(agent: unknown, tools?: readonly unknown[]): UserError | undefined {
  if (!(agent instanceof Agent)) {
    const shown = agent === null || typeof agent !== 'object' ? String(agent) : `an object with keys ${Object.keys(agent).join(', ') || '(none)'}`;
    return new UserError(`run() expects an Agent (new Agent({ name, … })), got ${shown}.`);
  }
  const where = `Agent "${agent.name}"`;
  if (!Array.isArray(agent.tools)) return new UserError(`${where}: tools must be an array of tools.`);
  let handoffs;
  try {
    handoffs = agent.handoffs;
  } catch (error) {
    return new UserError(`${where}: its handoffs could not be read: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
  const listed = tools ?? agent.tools;
  if (sound.get(listed)?.has(handoffs)) return undefined;
  const names = new Map<string, string>();
  // Live tool lists (Observables) are checked once listed: `tools` is then the current list.
  for (const [index, tool] of (tools ?? agent.tools.filter((t) => !isObservable(t))).entries()) {
    const t = tool as { name?: unknown; definition?: unknown; execute?: unknown; parse?: unknown } | undefined;
    if (!t || typeof t.name !== 'string' || typeof t.execute !== 'function' || typeof t.parse !== 'function' || typeof t.definition !== 'object') {
      return new UserError(`${where}: tools[${index}] is not a tool (make tools with tool({ name, description, parameters, execute })).`);
    }
    if (names.has(t.name)) return new UserError(`${where}: two tools are named "${t.name}"; tool names must be unique.`);
    names.set(t.name, `tool "${t.name}"`);
  }
  for (const handoff of handoffs) {
    const name = handoff.definition.name;
    const clash = names.get(name);
    if (clash) return new UserError(`${where}: the handoff to "${handoff.agent.name}" uses the tool name "${name}", which ${clash} already has.`);
    names.set(name, `the handoff to "${handoff.agent.name}"`);
  }
  // Short lists are checked again each time: remembering them would cost more than checking.
  if (listed.length + handoffs.length < 8) return undefined;
  let withTools = sound.get(listed);
  if (!withTools) sound.set(listed, (withTools = new WeakSet()));
  withTools.add(handoffs);
  return undefined;
}

/** Tool lists found sound, each with the handoff lists it was found sound with. */
const sound = new WeakMap<readonly unknown[], WeakSet<readonly unknown[]>>();
