import type { Observable, Subscription } from 'rxjs';
import { eventFrame } from './event-frame.js';
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
  // Frames made in one burst (a model chunk carries many deltas) go out as one write:
  // a socket write per event would cost more than everything else an event costs.
  const encoder = new TextEncoder();
  let subscription: Subscription | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let flushing: ReturnType<typeof setTimeout> | undefined;
  let pending = `event: run\ndata: ${JSON.stringify({ id: runId })}\n\n`;
  const stop = () => {
    clearTimeout(flushing);
    clearInterval(heartbeat);
    subscription?.unsubscribe();
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const flush = () => {
        flushing = undefined;
        if (pending) controller.enqueue(encoder.encode(pending));
        pending = '';
      };
      const write = (frame: string) => {
        pending += frame;
        flushing ??= setTimeout(flush, 0);
      };
      const end = (frame = '') => {
        write(frame);
        stop();
        flush();
        controller.close();
      };
      write('');
      if (heartbeatMs > 0 && Number.isFinite(heartbeatMs)) heartbeat = setInterval(() => write(': ping\n\n'), heartbeatMs);
      subscription = events$.subscribe({
        next: ({ id, event }) => write(eventFrame(id, event)),
        error: (error: unknown) => {
          const message = error instanceof RangeError ? error.message : "The run's events cannot be read.";
          end(`event: error\ndata: ${JSON.stringify({ message })}\n\n`);
        },
        complete: () => end(),
      });
    },
    cancel: stop,
  });
  return new Response(body, { headers: { ...streamHeaders, 'run-id': runId, ...headers } });
}
