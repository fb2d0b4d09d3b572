import { EMPTY, map, merge, Observable } from 'rxjs';

/**
 * How a graceful cancel stops the run: `immediate` tears everything down now;
 * `after_turn` lets the current model response and its tool calls finish first.
 */
export type CancelMode = 'immediate' | 'after_turn';

/** What `cancel$` accepts: a reason, or a reason and a mode. */
export type CancelRequest = string | { readonly reason?: string; readonly mode?: CancelMode };

/** A cancel request with its defaults filled in. */
export interface Cancellation {
  readonly reason: string;
  readonly mode: CancelMode;
}

/** Every cancel request of a run, from `cancel$` and from `signal`, normalized. */
export function cancellations(cancel$?: Observable<CancelRequest>, signal?: AbortSignal): Observable<Cancellation> {
  const requests$ = cancel$?.pipe(map(normalize));
  if (!signal) return requests$ ?? EMPTY;
  return requests$ ? merge(requests$, aborts(signal)) : aborts(signal);
}

function normalize(request: CancelRequest): Cancellation {
  if (typeof request === 'string') return { reason: request, mode: 'immediate' };
  return { reason: request.reason ?? 'cancelled', mode: request.mode ?? 'immediate' };
}

/** The signal's abort as one cancellation; an already-aborted signal emits at once. */
function aborts(signal: AbortSignal): Observable<Cancellation> {
  return new Observable<Cancellation>((subscriber) => {
    const emit = () => subscriber.next({ reason: reasonText(signal.reason), mode: 'immediate' });
    if (signal.aborted) {
      emit();
      return;
    }
    signal.addEventListener('abort', emit, { once: true });
    return () => signal.removeEventListener('abort', emit);
  });
}

function reasonText(reason: unknown): string {
  if (typeof reason === 'string') return reason;
  if (reason instanceof Error) return reason.message;
  return 'aborted';
}
