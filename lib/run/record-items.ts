import { type MonoTypeOperatorFunction, Observable, Subscriber } from 'rxjs';
import type { StreamEvent } from '../events/stream-event.js';
import type { MessageOutputRunItem, RunItem } from '../items/run-item.js';
import type { RunState } from './run-state.js';
import { reserveFinalizers } from '../util/reserve-finalizers.js';

/**
 * The run's history of items, recorded from the loop's own events: the one place
 * the loop changes `state.items`. Whoever produces an item (model response,
 * tools, handoff step, injected input) only emits its `item.created`; an item is
 * in the history once its event has passed here, so a stop from a handler never
 * leaves an item recorded but unseen, nor seen but unrecorded. Two events take
 * items back: `turn.interrupted` (an abandoned stream's items), and an output
 * guardrail's tripwire, which retracts the answer it blocked (never stored nor
 * resent). Only `RunState`'s own `pairOpenCalls` and `suspend` change the list besides.
 */
export function recordItems<TContext>(state: RunState<TContext>): MonoTypeOperatorFunction<StreamEvent<unknown>> {
  // A subscriber of its own rather than `tap`: every run in flight holds it, so it is one object, no closures.
  return (source) => new Observable((subscriber) => source.subscribe(new ItemRecorder(subscriber, state.items)));
}

/** Records items as their events pass, then passes them on (as `tap` would). */
class ItemRecorder extends Subscriber<StreamEvent<unknown>> {
  /** The answer an output guardrail may block: the last message, unless tool output came after it (a stopping tool's). */
  private answer: MessageOutputRunItem | undefined;

  constructor(
    destination: Subscriber<StreamEvent<unknown>>,
    private readonly items: RunItem[],
  ) {
    super(destination);
    // Its one finalizer: the subscription of the loop's events.
    reserveFinalizers(this);
  }

  protected override _next(event: StreamEvent<unknown>): void {
    try {
      this.record(event);
    } catch (error) {
      this.destination.error(error);
      return;
    }
    this.destination.next(event);
  }

  private record(event: StreamEvent<unknown>): void {
    const { items } = this;
    switch (event.type) {
      case 'item.created':
        items.push(event.item);
        if (event.item.type === 'message_output') this.answer = event.item;
        else if (event.item.type !== 'reasoning' && event.item.type !== 'provider_item') this.answer = undefined;
        return;
      case 'turn.interrupted':
        for (const item of event.discardedItems) remove(items, item);
        this.answer = undefined;
        return;
      case 'guardrail.result':
        if (event.result.kind === 'output' && event.result.output.tripwireTriggered && this.answer) {
          remove(items, this.answer);
          this.answer = undefined;
        }
        return;
    }
  }
}

function remove<T>(items: T[], item: T): void {
  const index = items.indexOf(item);
  if (index >= 0) items.splice(index, 1);
}
