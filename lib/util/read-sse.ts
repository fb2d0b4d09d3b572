import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * Reads a `text/event-stream` body to its end, calling `each` with every message,
 * in order, until `signal` aborts: then it returns at once and cancels the body
 * (as it does when `each` throws, which rejects), so the connection is let go
 * even by a `fetch` that does not follow the signal. As in `EventSource`, an event
 * without `data` is not a message; `\r`, `\n` and `\r\n` all end lines.
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
  const cancel = () => void reader.cancel().catch(() => undefined);
  signal.addEventListener('abort', cancel, { once: true });
  const decoder = new TextDecoder();
  let read = false;
  let endsInCr = false;
  try {
    for (;;) {
      const chunk = await reader.read();
      if (signal.aborted) return;
      if (chunk.done) break;
      const text = decoder.decode(chunk.value, { stream: true });
      if (text) endsInCr = text.endsWith('\r');
      parser.feed(text);
    }
    read = true;
    const rest = decoder.decode();
    parser.feed(rest);
    // The parser waits for what follows a last `\r` (it may be `\r\n`): nothing does.
    if (rest ? rest.endsWith('\r') : endsInCr) parser.feed('\n');
  } finally {
    signal.removeEventListener('abort', cancel);
    if (!read) cancel();
  }
}
