import { Observable, type Subscriber } from 'rxjs';
import type { ModelEvent } from '../../model/model.js';
import { AgentsError } from '../../errors/agents-error.js';
import { type OpenAIApiName, type RequestPhase, toModelError } from './openai-errors.js';
import { readSseJson } from './read-sse-json.js';
import type { SseReading } from '../../util/read-sse.js';

/**
 * Translates one streaming response, event by event. It may throw a `ModelError`
 * for an event that reports a failure.
 * @internal
 */
export interface StreamTranslator<TEvent> {
  /** Model events for one provider event (its `raw` event is emitted before them). */
  next(event: TEvent): readonly ModelEvent[];
  /** Model events once the stream has ended; throws when it ended without completing. */
  end(): readonly ModelEvent[];
}

/**
 * A streaming call of the `openai` client (its `APIPromise` of a `Stream`): typed by
 * the events it streams; its HTTP response is read here (`asResponse()`), not its `Stream`.
 * @internal
 */
export interface StreamingCall<TEvent> extends PromiseLike<AsyncIterable<TEvent>> {
  asResponse(): Promise<Response>;
}

/**
 * A cold Observable over one OpenAI streaming request. On subscribe it opens the
 * request with a fresh `AbortController` and reads the response's body (see
 * `readSseJson`); unsubscribing aborts it, so the HTTP connection closes at once.
 * Every provider event is emitted as `raw` first, then translated; any failure
 * errors the Observable with a `ModelError`.
 * @internal
 */
export function openAIStream<TEvent>(
  api: OpenAIApiName,
  open: (signal: AbortSignal) => StreamingCall<TEvent>,
  translator: () => StreamTranslator<TEvent>,
): Observable<ModelEvent> {
  return new Observable<ModelEvent>((subscriber) => {
    const request = new StreamRequest(subscriber, api, translator());
    void request.consume(open);
    return request;
  });
}

/**
 * One request in flight: its abort controller, its translator, how far it got.
 * One object rather than closures: every response in flight holds it. It is the
 * subscription's teardown (`unsubscribe` aborts the request).
 */
class StreamRequest<TEvent> {
  private readonly controller = new AbortController();
  private phase: RequestPhase = 'request';
  /** Its body, once the response came. */
  private reading: SseReading | undefined;
  /** Unsubscribed before the body was read to its end. */
  private stopped = false;
  private finished = false;

  constructor(
    private readonly subscriber: Subscriber<ModelEvent>,
    private readonly api: OpenAIApiName,
    private readonly translate: StreamTranslator<TEvent>,
  ) {}

  async consume(open: (signal: AbortSignal) => StreamingCall<TEvent>): Promise<void> {
    const { subscriber } = this;
    try {
      const response = await open(this.controller.signal).asResponse();
      this.phase = 'stream';
      this.reading = readSseJson(response, (event) => this.event(event as TEvent));
      // Unsubscribed as the response came: its body is let go too (a `fetch` may not follow the abort).
      if (this.stopped) this.reading.cancel();
      await this.reading.done;
      if (this.stopped) return;
      for (const modelEvent of this.translate.end()) subscriber.next(modelEvent);
      // The body was read to its end: nothing left to abort (an abort costs an exception and an event).
      this.finished = true;
      subscriber.complete();
    } catch (error) {
      // After unsubscribe the abort surfaces here (or not at all): nobody is listening.
      // A translator's own error (a `ModelBehaviorError`…) already says what went wrong.
      if (!this.stopped) subscriber.error(error instanceof AgentsError ? error : toModelError(error, this.api, this.phase));
    }
  }

  /** One provider event: emitted raw, then as what it means. */
  event(event: TEvent): void {
    this.subscriber.next({ type: 'raw', event });
    for (const modelEvent of this.translate.next(event)) this.subscriber.next(modelEvent);
  }

  /** Closes the request: aborted before its response, its body cancelled after (which lets the connection go). */
  unsubscribe(): void {
    if (this.finished) return;
    this.stopped = true;
    this.controller.abort();
    this.reading?.cancel();
  }
}
