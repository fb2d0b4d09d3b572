import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Utf8Chunks } from './utf8-chunks.js';

/** A body being read: `done` settles at its end; `cancel()` stops it at once. */
export interface SseReading {
  /** Resolves once the body was read to its end (or cancelled); rejects with what `each` threw, or the body's failure. */
  readonly done: Promise<void>;
  /** No message is handed on after it, and the body is cancelled, so the connection is let go. */
  cancel(): void;
}

/**
 * Reads a `text/event-stream` body to its end, calling `each` with every message,
 * in order, until it is cancelled: then no more message is handed on and the body
 * is cancelled (as when `each` throws, which rejects `done`), so the connection is
 * let go even by a `fetch` that does not follow an abort signal. As in
 * `EventSource`, an event without `data` is not a message; `\r`, `\n` and `\r\n`
 * all end lines.
 *
 * A body chunk is one `read()`, decoded whole (see `Utf8Chunks`) and its messages
 * parsed synchronously (`eventsource-parser`): one promise a chunk, where piping
 * through decoder and parser streams costs several, and each message a read of its own. A process
 * that holds thousands of streams pays that on every event. Cancelled by a call
 * rather than an `AbortSignal`: a listener on a signal costs microseconds in
 * Node, on every request.
 */
export function readSse(body: ReadableStream<Uint8Array>, each: (message: EventSourceMessage) => void): SseReading {
  let cancelled = false;
  const reader = body.getReader();
  const cancel = () => {
    if (cancelled) return;
    cancelled = true;
    void reader.cancel().catch(() => undefined);
  };
  const parser = createParser({
    onEvent(message) {
      if (!cancelled) each(message);
    },
  });
  const read = async () => {
    const decoder = new Utf8Chunks();
    let endsInCr = false;
    try {
      for (;;) {
        const chunk = await reader.read();
        if (cancelled) return;
        if (chunk.done) break;
        const text = decoder.decode(chunk.value);
        if (text) endsInCr = text.endsWith('\r');
        parser.feed(text);
      }
    } catch (error) {
      cancel();
      throw error;
    }
    const rest = decoder.end();
    parser.feed(rest);
    // The parser waits for what follows a last `\r` (it may be `\r\n`): nothing does.
    if (rest ? rest.endsWith('\r') : endsInCr) parser.feed('\n');
  };
  return { done: read(), cancel };
}
