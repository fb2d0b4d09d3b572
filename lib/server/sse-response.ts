import { catchError, endWith, interval, map, merge, type Observable, of, type Subscription, takeWhile } from 'rxjs';
import type { LoggedEvent } from './run-registry.js';

/** Response headers of every event stream. */
const streamHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  // Proxies such as nginx would otherwise hold events back.
  'x-accel-buffering': 'no',
};

/**
 * A `text/event-stream` response of a run's events: first an `event: run` frame
 * naming the run, then one frame per event (`id:` its log id, `data:` its JSON),
 * with a comment every `heartbeatMs` so idle proxies keep the connection. It ends
 * after the log does; a log that fails ends it with an `event: error` frame. When
 * the client goes away, the subscription to the log is dropped at once.
 */
export function sseResponse(
  runId: string,
  events$: Observable<LoggedEvent>,
  heartbeatMs: number,
  headers: Readonly<Record<string, string>> = {},
): Response {
  type Frame = { readonly text: string; readonly last?: boolean };
  const frames$: Observable<Frame> = merge(
    of<Frame>({ text: `event: run\ndata: ${JSON.stringify({ id: runId })}\n\n` }),
    events$.pipe(
      map(({ id, event }): Frame => ({ text: `id: ${id}\ndata: ${JSON.stringify(event)}\n\n` })),
      catchError((error: unknown) => {
        const message = error instanceof RangeError ? error.message : 'The run\'s events cannot be read.';
        return of<Frame>({ text: `event: error\ndata: ${JSON.stringify({ message })}\n\n` });
      }),
      // Ends the merge (and with it the heartbeat) after the log's last frame.
      endWith<Frame>({ text: '', last: true }),
    ),
    heartbeatMs > 0 && Number.isFinite(heartbeatMs) ? interval(heartbeatMs).pipe(map((): Frame => ({ text: ': ping\n\n' }))) : [],
  ).pipe(takeWhile((frame: Frame) => !frame.last));

  const encoder = new TextEncoder();
  let subscription: Subscription | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      subscription = frames$.subscribe({
        next: (frame) => controller.enqueue(encoder.encode(frame.text)),
        complete: () => controller.close(),
      });
    },
    cancel() {
      subscription?.unsubscribe();
    },
  });
  return new Response(body, { headers: { ...streamHeaders, 'run-id': runId, ...headers } });
}
