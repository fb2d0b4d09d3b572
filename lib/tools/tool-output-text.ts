/** A tool's return value as the text of its `function_call_output`, and whether it was cut. */
export interface ToolOutputText {
  readonly text: string;
  /** Set when the text was longer than the limit: its full length. */
  readonly truncatedFrom?: number;
}

/**
 * The text a tool's return value becomes: a string as is, anything else as JSON.
 * Values JSON cannot render faithfully (a `BigInt`, a cycle, a `Map`, a `Set`, a
 * function, a symbol) throw a `TypeError` naming them rather than becoming
 * `"{}"`. Text longer than `limit` is cut, and says so to the model.
 */
export function toolOutputText(value: unknown, limit = Infinity): ToolOutputText {
  const text = typeof value === 'string' ? value : value === undefined ? '' : render(value);
  if (text.length <= limit) return { text };
  return { text: `${text.slice(0, limit)}\n[output truncated: ${limit} of ${text.length} characters shown]`, truncatedFrom: text.length };
}

function render(value: unknown): string {
  const json = JSON.stringify(value, (key, v: unknown) => {
    const what = unrenderable(v);
    if (what) throw new TypeError(`the output contains ${what}${key ? ` (at key "${key}")` : ''}, which JSON cannot represent`);
    return v;
  });
  if (json === undefined) throw new TypeError(`the output (${typeof value}) cannot be rendered as JSON`);
  return json;
}

function unrenderable(v: unknown): string | undefined {
  switch (typeof v) {
    case 'bigint':
      return 'a BigInt';
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    case 'object':
      if (v instanceof Map) return 'a Map';
      if (v instanceof Set) return 'a Set';
      if (v instanceof WeakMap || v instanceof WeakSet) return 'a WeakMap or WeakSet';
      if (v instanceof Promise) return 'a Promise';
      return undefined;
    default:
      return undefined;
  }
}
