import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * Reads a `text/event-stream` body to its end, calling `each` with every message,
 * in order, until `signal` aborts (then it returns at once). What `each` throws
 * stops the reading and rejects.
 *
 * A body chunk is one `read()`, its messages parsed synchronously
 * (`eventsource-parser`): one promise a chunk, where piping through decoder and
 * parser streams costs several, and each message a read of its own. A process
 * that holds thousands of streams pays that on every event.
 */
export async function readSse(body: ReadableStream<Uint8Array>, signal: AbortSignal, each: (message: EventSourceMessage) => void): Promise<void> {
  const parser = createParser({
    onEvent(message) {
      if (!signal.aborted) each(message);
    },
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const chunk = await reader.read();
    if (signal.aborted) return;
    if (chunk.done) break;
    parser.feed(decoder.decode(chunk.value, { stream: true }));
  }
  parser.feed(decoder.decode());
}
