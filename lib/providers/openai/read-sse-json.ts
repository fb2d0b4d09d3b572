import { APIError } from 'openai';
import { readSse, type SseReading } from '../../util/read-sse.js';

/**
 * Reads a streamed OpenAI response body (server-sent events of JSON data) to its
 * end, calling `each` with every event's data, in order, as it arrives, until
 * it is cancelled (see `readSse`). It follows the rules of the `openai` client's own `Stream`:
 * `[DONE]` ends the events, data with an `error` field is the server's failure
 * (an `APIError`, thrown), data that is not JSON throws a `SyntaxError`; what
 * `each` throws stops the reading too. Unlike the `Stream`, an event without
 * `data` (an `event:` line alone) is skipped, as `EventSource` skips it, rather
 * than failing as malformed JSON.
 *
 * Why not the client's `Stream`: it hands each event through four async generators
 * (body chunks, SSE chunks, messages, events), a few promises and allocations an
 * event; a server that holds thousands of streams, or a loop of short turns, pays
 * for them on every event.
 * @internal
 */
export function readSseJson(response: Response, each: (data: unknown) => void): SseReading {
  if (!response.body) return { done: Promise.reject(new Error('The response has no body to stream.')), cancel: () => undefined };
  let done = false;
  return readSse(response.body, ({ data }) => {
    if (done) return;
    if (data.startsWith('[DONE]')) {
      done = true;
      return;
    }
    const parsed = JSON.parse(data) as { error?: unknown } | null;
    if (parsed?.error) throw new APIError(undefined, parsed.error as object, undefined, response.headers);
    each(parsed);
  });
}
