import type { InputItem } from '../items/input-item.js';
import type { Session } from './session.js';

/** A {@link Session} kept in memory, for tests, demos and short-lived processes. */
export class MemorySession implements Session {
  /** Its own array: never handed out (reads get a copy), so appending in place is safe. */
  private items: InputItem[];

  constructor(
    readonly id?: string,
    initial: readonly InputItem[] = [],
  ) {
    this.items = initial.slice();
  }

  getItems(): Promise<readonly InputItem[]> {
    // A copy: a caller that changes what it read must not change the history.
    return Promise.resolve(this.items.slice());
  }

  addItems(items: readonly InputItem[]): Promise<void> {
    // Appended in place: a write costs what it adds, not the length of the history.
    for (const item of items) this.items.push(item);
    return Promise.resolve();
  }

  clear(): Promise<void> {
    this.items = [];
    return Promise.resolve();
  }
}
