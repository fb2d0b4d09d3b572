import { asyncScheduler, Observable, Subscriber, type Subscription } from 'rxjs';
import { describe, ModelError } from '../errors/agents-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import { messageRefusal, messageText } from '../items/message-text.js';
import type { OutputItem } from '../items/input-item.js';
import type { RunItem } from '../items/run-item.js';
import type { ModelEvent } from '../model/model.js';
import { retryDelay } from './model-retry.js';
import type { RunState } from './run-state.js';

/** One model response as it streams: its text so far and the items it completed. */
export class ModelResponse {
  /**
   * Its text so far, kept only when `keepsText` (interrupt mode reports it as
   * `partialText`): otherwise a long stream would hold every delta.
   */
  text = '';
  /** Whether any text arrived (a failure after that is not retried). */
  hasText = false;
  readonly items: RunItem[] = [];
  completed = false;

  constructor(readonly keepsText = true) {}

  /** Adds a text delta. */
  addText(delta: string): void {
    if (delta === '') return;
    this.hasText = true;
    if (this.keepsText) this.text += delta;
  }

  /** Forgets an abandoned attempt. */
  reset(): void {
    this.text = '';
    this.hasText = false;
    this.items.length = 0;
    this.completed = false;
  }
}

/**
 * Turns a model stream into run events, recording completed items in the run
 * state as they arrive (so a cancel mid-stream keeps them). A transient failure
 * before anything was streamed is retried after a back-off (`modelRetry`),
 * reported by a `model.retry` event; unsubscribing stops the wait. An event the
 * run cannot read fails the stream with a `ModelError` rather than escaping.
 * Written as a plain subscriber rather than an operator chain: it is the hot path
 * of every delta.
 */
export function streamModelResponse<TContext>(
  model$: Observable<ModelEvent>,
  state: RunState<TContext>,
  response: ModelResponse,
): Observable<StreamEvent<unknown>> {
  const agent = state.agent.name;
  return new Observable<StreamEvent<unknown>>((subscriber) => {
    let attempt = 0;
    let current: Subscription | undefined;
    let wait: Subscription | undefined;
    const start = () => {
      // Held before subscribing: a stop from a handler of a synchronously emitted
      // event (re-entrant) unsubscribes the model stream at once, so nothing more of
      // it is recorded.
      const attempt$ = new Subscriber<ModelEvent>({
        next: (event) => {
          try {
            take(event);
          } catch (cause) {
            current?.unsubscribe();
            subscriber.error(new ModelError(`The model sent an event the run cannot read (${describe(cause)}).`, { cause }));
          }
        },
        error: (error: unknown) => {
          const delayMs = !response.hasText && response.items.length === 0 ? retryDelay(error, ++attempt, state.options.modelRetry) : undefined;
          if (delayMs === undefined) return subscriber.error(error);
          subscriber.next({ type: 'model.retry', agent, attempt, delayMs, error: error as ModelError });
          wait = (state.options.scheduler ?? asyncScheduler).schedule(start, delayMs);
        },
        complete: () => {
          if (response.completed) subscriber.complete();
          else subscriber.error(new ModelError('The model stream ended before the response was complete.'));
        },
      });
      if (current) subscriber.remove(current);
      current = attempt$;
      subscriber.add(attempt$);
      model$.subscribe(attempt$);
    };
    const take = (event: ModelEvent) => {
      switch (event.type) {
        case 'text.delta':
          if (typeof event.delta !== 'string') throw new TypeError('a text.delta event needs a string delta');
          response.addText(event.delta);
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
        default:
          throw new TypeError(`unknown event type ${String((event as { type?: unknown } | null)?.type)}`);
      }
    };
    start();
    return () => {
      current?.unsubscribe();
      wait?.unsubscribe();
    };
  });
}

function toRunItem(item: OutputItem, agentName: string): RunItem {
  switch (item.type) {
    case 'function_call':
      if (typeof item.call_id !== 'string' || typeof item.name !== 'string' || typeof item.arguments !== 'string') {
        throw new TypeError('a function_call item needs a call_id, a name and arguments as strings');
      }
      return { type: 'tool_call', agentName, rawItem: item };
    case 'reasoning':
      return { type: 'reasoning', agentName, rawItem: item };
    case 'provider_item':
      return { type: 'provider_item', agentName, itemType: item.itemType, rawItem: item };
    default: {
      if (item?.role !== 'assistant' || item.content === undefined) throw new TypeError('an output message needs role "assistant" and content');
      const refusal = messageRefusal(item);
      return { type: 'message_output', agentName, rawItem: item, text: messageText(item), ...(refusal ? { refusal } : {}) };
    }
  }
}
