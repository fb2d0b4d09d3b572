import { Observable } from 'rxjs';
import { ModelError } from '../errors/agents-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import { messageRefusal, messageText } from '../items/message-text.js';
import type { OutputItem } from '../items/input-item.js';
import type { RunItem } from '../items/run-item.js';
import type { ModelEvent } from '../model/model.js';
import type { RunState } from './run-state.js';

/** One model response as it streams: its text so far and the items it completed. */
export class ModelResponse {
  text = '';
  readonly items: RunItem[] = [];
  completed = false;

  /** Forgets an abandoned attempt. */
  reset(): void {
    this.text = '';
    this.items.length = 0;
    this.completed = false;
  }
}

/**
 * Turns a model stream into run events, recording completed items in the run
 * state as they arrive (so a cancel mid-stream keeps them). Written as a plain
 * subscriber rather than an operator chain: it is the hot path of every delta.
 */
export function streamModelResponse<TContext>(
  model$: Observable<ModelEvent>,
  state: RunState<TContext>,
  response: ModelResponse,
): Observable<StreamEvent<unknown>> {
  const agent = state.agent.name;
  return new Observable<StreamEvent<unknown>>((subscriber) =>
    model$.subscribe({
      next: (event) => {
        switch (event.type) {
          case 'text.delta':
            response.text += event.delta;
            subscriber.next({ type: 'text.delta', delta: event.delta, agent });
            return;
          case 'reasoning.delta':
            subscriber.next({ type: 'reasoning.delta', delta: event.delta, agent });
            return;
          case 'raw':
            subscriber.next({ type: 'model.event', event: event.event });
            return;
          case 'item.done': {
            const item = toRunItem(event.item, agent);
            response.items.push(item);
            state.items.push(item);
            subscriber.next({ type: 'item.created', item });
            return;
          }
          case 'response.completed':
            response.completed = true;
            if (event.usage) state.addUsage(event.usage);
            return;
          case 'response.started':
            return;
        }
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => {
        if (response.completed) subscriber.complete();
        else subscriber.error(new ModelError('The model stream ended before the response was complete.'));
      },
    }),
  );
}

function toRunItem(item: OutputItem, agentName: string): RunItem {
  switch (item.type) {
    case 'function_call':
      return { type: 'tool_call', agentName, rawItem: item };
    case 'reasoning':
      return { type: 'reasoning', agentName, rawItem: item };
    case 'provider_item':
      return { type: 'provider_item', agentName, itemType: item.itemType, rawItem: item };
    default: {
      const refusal = messageRefusal(item);
      return { type: 'message_output', agentName, rawItem: item, text: messageText(item), ...(refusal ? { refusal } : {}) };
    }
  }
}
