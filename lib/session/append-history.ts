import type { InputItem } from '../items/input-item.js';

/**
 * The method of a session that stores items at once, synchronously (see
 * `MemorySession`): it answers false when they must be written with `addItems`.
 * A run's writes then cost no promise and no wait.
 * @internal
 */
export const appendHistory: unique symbol = Symbol('rxjs-agents.appendHistory');

/** A session with an {@link appendHistory} method. @internal */
export interface AppendableHistory {
  [appendHistory](items: readonly InputItem[]): boolean;
}

/** Stores `items` in `session` now if it can (see {@link appendHistory}); false if they must be written with `addItems`. */
export function appendedNow(session: object, items: readonly InputItem[]): boolean {
  return (session as Partial<AppendableHistory>)[appendHistory]?.(items) === true;
}
