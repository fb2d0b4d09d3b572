import type { InputItem } from '../items/input-item.js';

/**
 * A session's history read without a copy: the first `length` items of `items`,
 * an array its session only ever appends to, so those items never change.
 * @internal
 */
export interface HistoryView {
  readonly items: readonly InputItem[];
  readonly length: number;
}

/**
 * The method of a session that can hand a run its history as a view, at once
 * (`MemorySession`) or once read (`RedisSession`); it answers undefined when the
 * history must be read with `getItems`.
 * @internal
 */
export const viewHistory: unique symbol = Symbol('rxjs-agents.viewHistory');

/** A session with a {@link viewHistory} method. @internal */
export interface ViewableHistory {
  [viewHistory](): HistoryView | PromiseLike<HistoryView> | undefined;
}

/** The session's history as a view if it hands one out (see {@link viewHistory}); undefined if it must be read with `getItems`. @internal */
export function historyViewOf(session: object): HistoryView | PromiseLike<HistoryView> | undefined {
  return (session as Partial<ViewableHistory>)[viewHistory]?.();
}

/** The whole of an array, as a view. @internal */
export function wholeView(items: readonly InputItem[]): HistoryView {
  return { items, length: items.length };
}
