import { Observable } from 'rxjs';
import { readSse, type SseReading } from '../util/read-sse.js';
import { RemoteRunError, responseError } from './remote-run-error.js';

/** What an event stream delivers: its response's `Run-Id`, then its SSE messages. */
export type EventStreamMessage =
  | { readonly type: 'open'; readonly runId: string | null }
  | { readonly type: 'message'; readonly event: string | undefined; readonly id: string | undefined; readonly data: string };

/** A `fetch` function: the global one, or yours (to add credentials, or for tests). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * One streaming request as an Observable of its SSE messages (see `readSse`).
 * Unsubscribing aborts the request. With `settle`, an unsubscribe before the
 * response arrived waits for it (and hands it to `settle`) before aborting, so
 * whoever started something on the server can learn what.
 * A refusal, a network failure or an `event: error` frame errors with a `RemoteRunError`.
 */
export function eventStream(
  fetchFn: FetchLike,
  url: string,
  init: RequestInit,
  settle?: (response: Response) => void,
): Observable<EventStreamMessage> {
  return new Observable<EventStreamMessage>((subscriber) => {
    const abort = new AbortController();
    let answered = false;
    let left = false;
    let reading: SseReading | undefined;
    fetchFn(url, { ...init, signal: abort.signal })
      .then(async (response) => {
        answered = true;
        if (left) {
          settle?.(response);
          abort.abort();
          return;
        }
        if (!response.ok || !response.body) throw await responseError(response);
        subscriber.next({ type: 'open', runId: response.headers.get('run-id') });
        reading = readSse(response.body, ({ event, id, data }) => {
          if (event === 'error') throw new RemoteRunError(`The server could not stream the run: ${errorMessage(data)}`);
          subscriber.next({ type: 'message', event, id, data });
        });
        await reading.done;
        if (!abort.signal.aborted) subscriber.complete();
      })
      .catch((error: unknown) => {
        if (abort.signal.aborted) return;
        subscriber.error(
          error instanceof RemoteRunError
            ? error
            : new RemoteRunError('The connection to the server failed.', { cause: error, retryable: true }),
        );
      });
    return () => {
      left = true;
      if (answered || !settle) {
        abort.abort();
        reading?.cancel();
      }
    };
  });
}

function errorMessage(data: string): string {
  try {
    const { message } = JSON.parse(data) as { message?: unknown };
    return typeof message === 'string' ? message : data;
  } catch {
    return data;
  }
}
