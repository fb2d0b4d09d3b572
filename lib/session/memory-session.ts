import type { InputItem } from '../items/input-item.js';
import { type AppendableHistory, appendHistory } from './append-history.js';
import { type HistoryView, type ViewableHistory, viewHistory, wholeView } from './history-view.js';
import type { Session } from './session.js';

/** A {@link Session} kept in memory, for tests, demos and short-lived processes. */
export class MemorySession implements Session, ViewableHistory, AppendableHistory {
  /**
   * Its own array, only ever appended to in place (`clear` starts a new one): reads
   * get a copy, a run a view of its first items, which never change.
   */
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
    this.append(items);
    return Promise.resolve();
  }

  /** @internal The history for a run, without a copy (a long conversation's turn then costs what it adds). */
  [viewHistory](): HistoryView | undefined {
    // A subclass that reads its history its own way (a window, a filter) is read through its getItems.
    return this.getItems === ownGetItems ? wholeView(this.items) : undefined;
  }

  /** @internal A run's write, stored at once (no promise): unless `addItems` is not the class's own (see `viewHistory`). */
  [appendHistory](items: readonly InputItem[]): boolean {
    if (this.addItems !== ownAddItems) return false;
    this.append(items);
    return true;
  }

  clear(): Promise<void> {
    this.items = [];
    return Promise.resolve();
  }

  private append(items: readonly InputItem[]): void {
    // Appended in place: a write costs what it adds, not the length of the history.
    for (const item of items) this.items.push(item);
  }
}

// The methods as the class defines them: a subclass's, or a spy or patch put on the prototype later, is another.
const ownGetItems = MemorySession.prototype.getItems;
const ownAddItems = MemorySession.prototype.addItems;
