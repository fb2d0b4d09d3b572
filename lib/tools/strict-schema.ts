import type { JsonSchema } from '../model/model.js';

/**
 * Closes every object of a JSON schema (`additionalProperties: false`) where zod left
 * it open, and drops the bounds zod gives every integer (the safe-integer range,
 * which says nothing to a model and costs tokens in every request). zod objects
 * strip unknown keys, and parsing still checks the range, so this only tells the model less noise.
 */
function forModel(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forModel);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'minimum' && value === Number.MIN_SAFE_INTEGER) || (key === 'maximum' && value === Number.MAX_SAFE_INTEGER)) continue;
    out[key] = forModel(value);
  }
  if (out['type'] === 'object' && !('additionalProperties' in out)) out['additionalProperties'] = false;
  return out;
}

/**
 * Whether a JSON schema meets OpenAI's strict-mode rules: every object lists all
 * its properties as required and forbids others. Optional fields break it, so a
 * tool with them is sent non-strict rather than rejected by the API.
 */
export function isStrictSchema(schema: JsonSchema): boolean {
  return check(schema);
}

function check(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(check);
  if (node === null || typeof node !== 'object') return true;
  const obj = node as Record<string, unknown>;
  if (obj['type'] === 'object') {
    const props = Object.keys((obj['properties'] as Record<string, unknown> | undefined) ?? {});
    const required = new Set((obj['required'] as string[] | undefined) ?? []);
    if (obj['additionalProperties'] !== false) return false;
    if (!props.every((p) => required.has(p))) return false;
  }
  return Object.values(obj).every(check);
}

/** The JSON schema of a zod type, as a model API wants it (no `$schema`, objects closed, no safe-integer bounds). */
export function toModelJsonSchema(jsonSchema: Record<string, unknown>): JsonSchema {
  const { $schema: _ignored, ...rest } = jsonSchema;
  return forModel(rest) as JsonSchema;
}
