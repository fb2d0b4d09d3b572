import type { Subscription, Unsubscribable } from 'rxjs';

/**
 * Makes a subscription's list of finalizers, with room for `slots` more, before
 * rxjs makes it. `Subscription.add` starts the list as `[]` and pushes, and V8
 * grows an empty array to 17 slots on its first push: 185 bytes for one
 * finalizer, against about 70 for a list made to size. A run in flight holds
 * several subscribers with one finalizer each. Nothing else changes: rxjs still
 * keeps the list (`add`, `remove`, `unsubscribe`); a list that outgrows its room
 * grows as rxjs's own would.
 */
export function reserveFinalizers(subscription: Subscription, slots: 1 | 2 = 1): void {
  const internals = subscription as unknown as { _finalizers?: unknown[] | null };
  // Only a list rxjs has not made yet (null), of a Subscription of rxjs's own shape.
  if (internals._finalizers !== null) return;
  // An array literal is allocated to its length, and popping keeps the room. The list never
  // empties (`keeper` stays first): `remove` splices, and V8 drops the room of an emptied array.
  const list: unknown[] = slots === 1 ? [keeper, undefined] : [keeper, undefined, undefined];
  while (list.length > 1) list.pop();
  internals._finalizers = list;
}

/** The finalizer that holds a reserved list's first slot: it has nothing to do. */
const keeper: Unsubscribable = { unsubscribe: () => undefined };
