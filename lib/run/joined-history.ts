import type { InputItem } from '../items/input-item.js';
import type { HistoryView } from '../session/history-view.js';

/**
 * A history made of what the session held when the run started (a view) and the
 * items after it, joined into one array only when something reads it whole: a model
 * that continues a stored response reads its end alone, so a turn of a long
 * conversation copies nothing the length of the history.
 * @internal
 */
export class JoinedHistory {
  private joined: readonly InputItem[] | undefined;

  constructor(
    private readonly past: HistoryView,
    private readonly after: readonly InputItem[],
  ) {}

  get length(): number {
    return this.past.length + this.after.length;
  }

  /** The item at `index` (from the end when negative), as `Array.prototype.at`. */
  at(index: number): InputItem | undefined {
    const { past } = this;
    index = Math.trunc(index) || 0;
    if (index < 0) index += this.length;
    if (index < 0) return undefined;
    return index < past.length ? past.items[index] : this.after[index - past.length];
  }

  /** The items from `start` on (from the end when negative), a new array, as `Array.prototype.slice`. */
  slice(start: number): InputItem[] {
    const { past } = this;
    start = Math.trunc(start) || 0;
    if (start < 0) start = Math.max(0, start + this.length);
    if (start >= past.length) return this.after.slice(start - past.length);
    return past.items.slice(start, past.length).concat(this.after);
  }

  /** The whole history, joined once. */
  toArray(): readonly InputItem[] {
    return (this.joined ??= this.join());
  }

  private join(): readonly InputItem[] {
    const { past, after } = this;
    if (past.length === 0) return after;
    // One copy of the long part: concat when the session has not grown since the read.
    if (past.items.length === past.length) return past.items.concat(after);
    const joined = past.items.slice(0, past.length);
    for (const item of after) joined.push(item);
    return joined;
  }
}
