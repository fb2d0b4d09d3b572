import { context as otelContext, type Context, type Span, SpanStatusCode } from '@opentelemetry/api';
import { type MonoTypeOperatorFunction, Observable, Subscriber } from 'rxjs';

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
      // Our own subscriber to the source, held before the source is subscribed: a
      // subscriber that stops the run from inside a value delivered synchronously
      // during subscribe (re-entrantly) still tears the source down, and so ends the
      // spans below this one, before this span ends. An error reaches us before the
      // source tears down its other branches (RxJS notifies downstream first), so
      // tear the source down ourselves there too.
      const inner: Subscriber<T> = new Subscriber<T>({
        next: (value) => {
          if (recording) hooks.next?.(span, value);
          subscriber.next(value);
        },
        error: (error: unknown) => {
          inner.unsubscribe();
          end(() => recordError(span, error));
          subscriber.error(error);
        },
        complete: () => {
          end(() => (recording && hooks.complete ? hooks.complete(span) : span.setStatus({ code: SpanStatusCode.OK })));
          subscriber.complete();
        },
      });
      subscriber.add(() => {
        inner.unsubscribe();
        end(() => markCancelled(span, cancelReason()));
      });
      otelContext.with(context, () => source.subscribe(inner));
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
