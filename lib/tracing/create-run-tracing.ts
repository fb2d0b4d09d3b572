import { type Context, context, ProxyTracerProvider, type Tracer, trace } from '@opentelemetry/api';
import { OtelRunTracing } from './otel-run-tracing.js';
import { noTracing, type RunTracing } from './run-tracing.js';

/** The instrumentation name spans are created under. */
export const tracerName = 'rxjs-agents';

/** The run options that concern tracing. */
export interface TracingSettings {
  readonly tracer?: Tracer;
  readonly tracing?: boolean;
  readonly traceSensitiveData?: boolean;
  readonly conversationId?: string;
  readonly traceContext?: Context;
}

/** Tracing for one run. Called at subscribe time, so the active context (the parent) is the caller's. */
export function createRunTracing(options: TracingSettings, stopReason: () => string): RunTracing {
  if (options.tracing === false) return noTracing;
  // No tracer given and no provider registered: spans would be no-ops, so skip them entirely.
  if (!options.tracer && !providerRegistered()) return noTracing;
  return new OtelRunTracing({
    tracer: options.tracer ?? trace.getTracer(tracerName),
    sensitive: options.traceSensitiveData ?? false,
    parent: options.traceContext ?? context.active(),
    conversationId: options.conversationId,
    stopReason,
  });
}

// The delegate a ProxyTracerProvider has before any provider is registered (the no-op one).
const unregistered = new ProxyTracerProvider().getDelegate();

/** Whether the application registered a tracer provider (another copy of the API counts as registered). */
function providerRegistered(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== unregistered;
}
