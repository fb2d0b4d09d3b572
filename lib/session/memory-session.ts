import type { InputItem } from '../items/input-item.js';
import type { Session } from './session.js';

/** A {@link Session} kept in memory, for tests, demos and short-lived processes. */
export class MemorySession implements Session {
  private items: readonly InputItem[];

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
    // concat copies a long history several times faster than spreading it.
    this.items = this.items.concat(items);
    return Promise.resolve();
  }

  clear(): Promise<void> {
    this.items = [];
    return Promise.resolve();
  }
}
