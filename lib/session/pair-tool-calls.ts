import type { FunctionCallItem, FunctionCallOutputItem, InputItem } from '../items/input-item.js';

/** The calls in `items` that have no output with the same `call_id`. */
export function unpairedCalls(items: readonly InputItem[]): FunctionCallItem[] {
  const answered = new Set<string>();
  for (const item of items) if (item.type === 'function_call_output') answered.add(item.call_id);
  return items.filter((i): i is FunctionCallItem => i.type === 'function_call' && !answered.has(i.call_id));
}

/** The output a call gets when the run stopped before the call finished. */
export function cancelledOutput(call: FunctionCallItem, reason: string): FunctionCallOutputItem {
  return {
    type: 'function_call_output',
    call_id: call.call_id,
    output: `Tool call "${call.name}" was cancelled before it finished (${reason}). It produced no result.`,
  };
}
