import type { InputItem } from '../../items/input-item.js';
import type { InputView } from '../../model/input-view.js';

/** Where a continued request starts: the stored response it continues, and the history index of its last item. */
export interface ResponseAnchor {
  readonly responseId: string;
  readonly index: number;
}

/** How many item ids a model remembers; the oldest are forgotten first. */
const capacity = 50_000;

/**
 * What a model knows the server has stored: the output items of responses that
 * completed (an aborted response may not be stored, so its items never count).
 * From it, a continued request (`previous_response_id`) finds the last stored
 * response in the history and sends only what came after it.
 * @internal
 */
export class ResponseAnchors {
  /** Output item id → the response it belongs to. */
  private readonly owners = new Map<string, string>();
  /** Response id → the id of its last output item. */
  private readonly last = new Map<string, string>();

  /** A response completed with these output item ids, in order. */
  record(responseId: string, itemIds: readonly string[]): void {
    if (itemIds.length === 0) return;
    for (const id of itemIds) this.owners.set(id, responseId);
    this.last.set(responseId, itemIds[itemIds.length - 1]!);
    while (this.owners.size > capacity) this.owners.delete(this.owners.keys().next().value!);
    while (this.last.size > capacity) this.last.delete(this.last.keys().next().value!);
  }

  /** Whether the server stored the item with this id. */
  stored(id: string | undefined): boolean {
    return id !== undefined && this.owners.has(id);
  }

  /**
   * The latest stored response whose last output item is in `items`: everything
   * up to that item is on the server already.
   */
  find(items: InputView): ResponseAnchor | undefined {
    for (let index = items.length - 1; index >= 0; index--) {
      const id = itemId(items.at(index)!);
      const responseId = id === undefined ? undefined : this.owners.get(id);
      if (responseId !== undefined) return this.last.get(responseId) === id ? { responseId, index } : undefined;
    }
    return undefined;
  }
}

/** The server's id of a history item, if it has one. */
export function itemId(item: InputItem): string | undefined {
  if (item.type === 'provider_item') return typeof item.item['id'] === 'string' ? item.item['id'] : undefined;
  if (item.type === 'function_call_output') return undefined;
  return 'id' in item ? item.id : undefined;
}
