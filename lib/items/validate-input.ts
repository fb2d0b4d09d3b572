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

/** The schema an item must match: by its `type`, or a message when it has none. */
function schemaFor(item: unknown): z.ZodMiniType | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const type = (item as { type?: unknown }).type;
  if (type === undefined || type === 'message') return (item as { role?: unknown }).role === 'assistant' ? assistantMessage : message;
  if (typeof type !== 'string') return undefined;
  // Other item types (hosted tools' calls, …) are the provider's to check.
  return known[type as keyof typeof known] ?? z.looseObject({ type: z.string() });
}

/**
 * Checks run input (or an `inject$` value) at the door: text, one history item,
 * or a list of them. Returns the items, or a {@link UserError} naming what is
 * wrong, so nothing invalid reaches a model request or a session.
 */
export function validateRunInput(input: unknown, what = 'run input'): InputItem[] | UserError {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  const list = Array.isArray(input) ? (input as readonly unknown[]) : [input];
  const items: InputItem[] = [];
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    const where = Array.isArray(input) ? `${what}[${i}]` : what;
    const schema = schemaFor(item);
    if (!schema) return new UserError(`Invalid ${where}: expected text, a history item or a list of them, got ${shown(item)}.`);
    const parsed = z.safeParse(schema, item);
    if (!parsed.success) return new UserError(`Invalid ${where} (${shown(item)}):\n${z.prettifyError(parsed.error)}`);
    items.push(item as InputItem);
  }
  return items;
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
