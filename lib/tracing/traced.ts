import { context as otelContext, type Context, type Span, SpanStatusCode } from '@opentelemetry/api';
import { type MonoTypeOperatorFunction, Observable, type Subscription } from 'rxjs';

/** How a traced Observable reports to its span. */
export interface SpanHooks<T> {
  /** Sees each value (to set attributes as the operation progresses). */
  readonly next?: (span: Span, value: T) => void;
  /** Sets the span's status when the source completes; default OK. */
  readonly complete?: (span: Span) => void;
}

/**
 * Ties a span to a subscription: started on subscribe (the source is subscribed
 * inside the span's context), ended exactly once on complete (OK), error (ERROR,
 * exception recorded) or unsubscribe (status unset, marked cancelled). Because the
 * source is torn down before the span ends, child spans always end before parents.
 */
export function traced<T>(
  start: () => { span: Span; context: Context },
  cancelReason: () => string,
  hooks: SpanHooks<T> = {},
): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      const { span, context } = start();
      // A non-recording span (no tracer provider registered) needs no attributes: skip the hooks.
      const recording = span.isRecording();
      let ended = false;
      const end = (settle: () => void) => {
        if (ended) return;
        ended = true;
        settle();
        span.end();
      };
      // An error reaches us before the source tears down its other branches (RxJS
      // notifies downstream first), so tear the source down ourselves before ending
      // this span: spans still open below it (a sibling model stream) end first.
      let subscription: Subscription | undefined;
      let syncError: { error: unknown } | undefined;
      const fail = (error: unknown) => {
        subscription?.unsubscribe();
        end(() => recordError(span, error));
        subscriber.error(error);
      };
      subscription = otelContext.with(context, () =>
        source.subscribe({
          next: (value) => {
            if (recording) hooks.next?.(span, value);
            subscriber.next(value);
          },
          error: (error: unknown) => (subscription ? fail(error) : (syncError = { error })),
          complete: () => {
            end(() => (recording && hooks.complete ? hooks.complete(span) : span.setStatus({ code: SpanStatusCode.OK })));
            subscriber.complete();
          },
        }),
      );
      if (syncError) fail(syncError.error);
      return () => {
        subscription.unsubscribe();
        end(() => markCancelled(span, cancelReason()));
      };
    });
}

/** ERROR status, the exception recorded, and `error.type` set. */
export function recordError(span: Span, error: unknown, type?: string): void {
  const err = error instanceof Error ? error : new Error(String(error));
  span.recordException(err);
  span.setAttribute('error.type', type ?? errorType(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
}

/** A deliberate cancellation is not an error: status stays unset, attributes say why. */
export function markCancelled(span: Span, reason: string): void {
  span.setAttribute('rxjs_agents.cancelled', true);
  span.setAttribute('rxjs_agents.cancel_reason', reason);
}

function errorType(error: Error): string {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? String(status) : error.name || 'Error';
}
