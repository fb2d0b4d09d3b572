import type { InputItem, RunInput } from './input-item.js';

/** Normalizes run input: text becomes one user message. */
export function toInputItems(input: RunInput): InputItem[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (isItemList(input)) return [...input];
  return [input];
}

function isItemList(input: InputItem | readonly InputItem[]): input is readonly InputItem[] {
  return Array.isArray(input);
}
