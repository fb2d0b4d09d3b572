import {
  AgentsError,
  MaxTurnsExceededError,
  ModelBehaviorError,
  ModelError,
  RunCancelledError,
  SessionError,
  UserCodeError,
  UserError,
} from '../errors/agents-error.js';
import { ConversationBusyError } from '../errors/conversation-busy-error.js';
import { RunStateError } from '../errors/run-state-error.js';
import { RunOwnerLostError } from '../errors/run-owner-lost-error.js';
import { InputGuardrailTripwireTriggered, OutputGuardrailTripwireTriggered } from '../errors/guardrail-tripwire.js';
import { ToolCallError } from '../errors/tool-call-error.js';
import type { ToolApprovalDecision } from '../tools/approval-desk.js';
import type { StreamEvent } from './stream-event.js';

/**
 * An error as it crosses a process boundary: its class name, its message and its
 * own plain fields (`status`, `code`, `kind`…). Never its stack or its cause.
 */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

/** A `StreamEvent` as plain JSON: what `encodeEvent` makes and `decodeEvent` reads. */
export interface WireEvent {
  readonly type: StreamEvent['type'];
  readonly [field: string]: unknown;
}

/**
 * Turns an event into plain JSON that `JSON.stringify` always accepts and that
 * holds nothing but data: errors become {@link WireError}s, an agent becomes its
 * name, and functions, class instances without `toJSON` (a client, a socket),
 * symbols and cycles are left out, so no secret a tool or a model holds can ride along.
 *
 * @example
 * run(agent, 'Hi').pipe(map(encodeEvent)).subscribe((e) => socket.send(JSON.stringify(e)));
 */
export function encodeEvent(event: StreamEvent<unknown>): WireEvent {
  switch (event.type) {
    case 'text.delta': // the most frequent event, and plain strings: no walk needed
      return { type: event.type, delta: event.delta, agent: event.agent };
    case 'agent.updated':
      return { type: event.type, agent: agentName(event.agent) };
    case 'tool.approval_requested': {
      const { approve: _approve, reject: _reject, ...data } = event;
      return toJson(data, new Set()) as WireEvent;
    }
    case 'run.updated': {
      const { result, ...rest } = event;
      const wire = toJson(rest, new Set()) as Record<string, unknown>;
      if (result) wire['result'] = toJson({ ...result, lastAgent: agentName(result.lastAgent) }, new Set());
      return wire as WireEvent;
    }
    default:
      return toJson(event, new Set()) as WireEvent;
  }
}

/** What `decodeEvent` needs to make approval events answerable. */
export interface DecodeOptions {
  /** Called by a decoded `tool.approval_requested` event's `approve()` / `reject()`. */
  readonly answer?: (decision: ToolApprovalDecision) => void;
}

/**
 * Rebuilds an event from its JSON: errors are instances of the same classes
 * again (`ModelError`, `ToolCallError`…; an unknown name gives an `Error` with that
 * name), and an approval request's `approve()` / `reject()` call `options.answer`.
 *
 * @example
 * const event = decodeEvent(JSON.parse(data), { answer: (d) => post('approvals', d) });
 */
export function decodeEvent<TOutput = string>(wire: WireEvent, options: DecodeOptions = {}): StreamEvent<TOutput> {
  const event = wire as Record<string, unknown> & { type: StreamEvent['type'] };
  switch (event.type) {
    case 'run.updated': {
      const result = event['result'] as Record<string, unknown> | undefined;
      return {
        ...event,
        ...(event['error'] ? { error: decodeError(event['error'] as WireError) } : {}),
        ...(result
          ? {
              result: {
                ...result,
                items: (result['items'] as Record<string, unknown>[]).map(decodeItem),
                ...(result['error'] ? { error: decodeError(result['error'] as WireError) } : {}),
              },
            }
          : {}),
      } as unknown as StreamEvent<TOutput>;
    }
    case 'item.created':
      return { ...event, item: decodeItem(event['item'] as Record<string, unknown>) } as unknown as StreamEvent<TOutput>;
    case 'tool.approval_requested': {
      const callId = event['callId'] as string;
      const answer = (decision: ToolApprovalDecision) => {
        if (!options.answer) throw new UserError('This approval request was decoded without a way to answer it.');
        options.answer(decision);
      };
      return {
        ...event,
        approve: () => answer({ callId, approved: true }),
        reject: (message?: string) => answer({ callId, approved: false, ...(message !== undefined ? { message } : {}) }),
      } as unknown as StreamEvent<TOutput>;
    }
    default:
      return event as unknown as StreamEvent<TOutput>;
  }
}

/** An error as plain JSON (see {@link WireError}). */
export function encodeError(error: Error): WireError {
  return toJson(error, new Set()) as WireError;
}

// The classes a decoded error can be (every error class the core exports: a test checks it);
// anything else comes back as an Error with its name.
const errorClasses: Readonly<Record<string, new (...args: never[]) => Error>> = {
  AgentsError,
  ConversationBusyError,
  RunStateError,
  RunOwnerLostError,
  SessionError,
  UserCodeError,
  MaxTurnsExceededError,
  ModelBehaviorError,
  ModelError,
  RunCancelledError,
  UserError,
  ToolCallError,
  InputGuardrailTripwireTriggered,
  OutputGuardrailTripwireTriggered,
};

/** Rebuilds an error as an instance of its class, with its fields, without running its constructor. */
export function decodeError(wire: WireError): Error {
  const { name, message, ...fields } = wire;
  const errorClass = Object.hasOwn(errorClasses, name) ? errorClasses[name]! : Error;
  const error = Reflect.construct(Error, [message], errorClass) as Error;
  return Object.assign(error, fields, { name });
}

function decodeItem(item: Record<string, unknown>): Record<string, unknown> {
  return item['error'] ? { ...item, error: decodeError(item['error'] as WireError) } : item;
}

function agentName(agent: unknown): string {
  return typeof agent === 'string' ? agent : String((agent as { name?: unknown } | undefined)?.name ?? '');
}

/** Plain data only: what `JSON.stringify` would keep, minus class instances, with errors as WireErrors. */
function toJson(value: unknown, seen: Set<object>): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined; // undefined, functions, symbols
  if (seen.has(value)) return undefined;
  seen.add(value);
  try {
    if (value instanceof Error) return errorJson(value, seen);
    if (Array.isArray(value)) return value.map((v) => toJson(v, seen) ?? null);
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return toJson(toJSON.call(value), seen);
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return undefined;
    return plainFields(value as Record<string, unknown>, seen, []);
  } finally {
    seen.delete(value);
  }
}

function errorJson(error: Error, seen: Set<object>): WireError {
  return { name: error.name, message: error.message, ...plainFields(error as never, seen, ['name', 'message', 'stack', 'cause']) };
}

function plainFields(value: Record<string, unknown>, seen: Set<object>, skip: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (skip.includes(key)) continue;
    const field = toJson(value[key], seen);
    if (field !== undefined) out[key] = field;
  }
  return out;
}
