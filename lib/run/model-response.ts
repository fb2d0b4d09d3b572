import { asyncScheduler, from, type MonoTypeOperatorFunction, Observable, Subscriber } from 'rxjs';
import { describe, ModelError } from '../errors/agents-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import { messageRefusal, messageText } from '../items/message-text.js';
import type { OutputItem } from '../items/input-item.js';
import type { RunItem } from '../items/run-item.js';
import type { Model, ModelEvent, ModelRequest } from '../model/model.js';
import { retryDelay } from './model-retry.js';
import type { RunState } from './run-state.js';
import { reserveFinalizers } from '../util/reserve-finalizers.js';

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
 * A model call: the model, the request, and the call's tracing operator. Each
 * attempt opens the stream anew (a retried call asks the model again). An object
 * rather than an Observable over a closure: every response in flight holds it.
 */
export class ModelCall {
  constructor(
    private readonly model: Model,
    private readonly request: ModelRequest,
    private readonly traced: MonoTypeOperatorFunction<ModelEvent>,
  ) {}

  /** The model's stream for one attempt; the model's own throw is the stream's error. */
  open(): Observable<ModelEvent> {
    const { model, request } = this;
    return this.traced(new Observable<ModelEvent>((subscriber) => from(model.stream(request)).subscribe(subscriber)));
  }
}

/**
 * Turns a model stream into run events, each completed item as it arrives (so a
 * cancel mid-stream keeps it: see `recordItems`). A transient failure
 * before anything was streamed is retried after a back-off (`modelRetry`),
 * reported by a `model.retry` event; unsubscribing stops the wait. An event the
 * run cannot read fails the stream with a `ModelError` rather than escaping.
 */
export function streamModelResponse<TContext>(
  call: ModelCall,
  state: RunState<TContext>,
  response: ModelResponse,
): Observable<StreamEvent<unknown>> {
  const agent = state.agent.name;
  return new Observable<StreamEvent<unknown>>((subscriber) => {
    new ModelAttempt(subscriber, call, state, response, agent, 0).start();
  });
}

/**
 * One attempt at the model stream, as its subscriber. Written as one object
 * rather than an operator chain or closures: it is the hot path of every delta,
 * and every response in flight holds one. A retry is a new attempt.
 */
class ModelAttempt<TContext> extends Subscriber<ModelEvent> {
  constructor(
    private readonly out: Subscriber<StreamEvent<unknown>>,
    private readonly call: ModelCall,
    private readonly state: RunState<TContext>,
    private readonly response: ModelResponse,
    private readonly agent: string,
    /** Retries before this attempt. */
    private readonly retries: number,
  ) {
    // `out` as the destination adds the attempt to its teardown: unsubscribing `out` stops it.
    super(out);
    // Its one finalizer: the subscription of the model stream.
    reserveFinalizers(this);
  }

  /**
   * Subscribes to the model stream. The attempt is in `out`'s teardown before it
   * subscribes: a stop from a handler of a synchronously emitted event (re-entrant)
   * unsubscribes the model stream at once, so nothing more of it is recorded.
   */
  start(): void {
    this.call.open().subscribe(this);
  }

  protected override _next(event: ModelEvent): void {
    try {
      this.take(event);
    } catch (cause) {
      this.unsubscribe();
      this.out.error(new ModelError(`The model sent an event the run cannot read (${describe(cause)}).`, { cause }));
    }
  }

  protected override _error(error: unknown): void {
    const { out, state, response } = this;
    this.unsubscribe();
    const attempt = this.retries + 1;
    const delayMs = !response.hasText && response.items.length === 0 ? retryDelay(error, attempt, state.options.modelRetry) : undefined;
    if (delayMs === undefined) return out.error(error);
    out.next({ type: 'model.retry', agent: this.agent, attempt, delayMs, error: error as ModelError });
    const retry = new ModelAttempt(out, this.call, state, response, this.agent, attempt);
    // In `out`'s teardown: unsubscribing stops the wait.
    out.add((state.options.scheduler ?? asyncScheduler).schedule(() => retry.start(), delayMs));
  }

  protected override _complete(): void {
    const out = this.out;
    this.unsubscribe();
    if (this.response.completed) out.complete();
    else out.error(new ModelError('The model stream ended before the response was complete.'));
  }

  private take(event: ModelEvent): void {
    const { out, agent, response } = this;
    switch (event.type) {
      case 'text.delta':
        if (typeof event.delta !== 'string') throw new TypeError('a text.delta event needs a string delta');
        response.addText(event.delta);
        out.next({ type: 'text.delta', delta: event.delta, agent });
        return;
      case 'reasoning.delta':
        out.next({ type: 'reasoning.delta', delta: event.delta, agent });
        return;
      case 'raw':
        out.next({ type: 'model.event', event: event.event });
        return;
      case 'item.done': {
        const item = toRunItem(event.item, agent);
        response.items.push(item);
        out.next({ type: 'item.created', item });
        return;
      }
      case 'response.completed':
        response.completed = true;
        if (event.usage) this.state.addUsage(event.usage);
        return;
      case 'response.started':
        return;
      default:
        throw new TypeError(`unknown event type ${String((event as { type?: unknown } | null)?.type)}`);
    }
  }
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
