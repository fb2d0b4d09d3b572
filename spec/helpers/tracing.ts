import { diag, DiagLogLevel, type SpanContext } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** Records span starts and ends in order, to check that every started span ended once, children first. */
class OrderRecorder implements SpanProcessor {
  started: ReadableSpan[] = [];
  ended: ReadableSpan[] = [];
  onStart(span: Span): void {
    this.started.push(span);
  }
  onEnd(span: ReadableSpan): void {
    this.ended.push(span);
  }
  forceFlush = () => Promise.resolve();
  shutdown = () => Promise.resolve();
}

/** A real OpenTelemetry SDK tracer with an in-memory exporter and start/end bookkeeping. */
export function tracingHarness() {
  const exporter = new InMemorySpanExporter();
  const order = new OrderRecorder();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter), order] });
  const doubleEnds: string[] = [];
  diag.setLogger(
    {
      error: (message: string) => void doubleEnds.push(message),
      warn: () => undefined,
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    { logLevel: DiagLogLevel.ERROR, suppressOverrideMessage: true },
  );
  const tracer = provider.getTracer('test');
  return {
    tracer,
    provider,
    spans: () => exporter.getFinishedSpans(),
    byName: (name: string) => exporter.getFinishedSpans().filter((s) => s.name === name),
    one: (name: string) => {
      const found = exporter.getFinishedSpans().filter((s) => s.name === name);
      if (found.length !== 1) throw new Error(`expected one span "${name}", found ${found.length}`);
      return found[0]!;
    },
    parentOf: (span: ReadableSpan) =>
      exporter.getFinishedSpans().find((s) => s.spanContext().spanId === span.parentSpanContext?.spanId),
    reset: () => {
      exporter.reset();
      order.started = [];
      order.ended = [];
      doubleEnds.length = 0;
    },
    /** Every started span ended exactly once, each child before its parent. */
    expectAllEndedChildrenFirst: () => {
      const id = (c: SpanContext) => c.spanId;
      const endIndex = new Map(order.ended.map((s, i) => [id(s.spanContext()), i]));
      if (doubleEnds.length) throw new Error(`span ended twice: ${doubleEnds.join('; ')}`);
      if (order.ended.length !== order.started.length) {
        const open = order.started.filter((s) => !endIndex.has(id(s.spanContext()))).map((s) => s.name);
        throw new Error(`${open.length} span(s) never ended: ${open.join(', ')}`);
      }
      for (const span of order.ended) {
        const parent = span.parentSpanContext && endIndex.get(span.parentSpanContext.spanId);
        if (parent !== undefined && parent < endIndex.get(id(span.spanContext()))!) {
          throw new Error(`parent ended before its child ${span.name}`);
        }
      }
      return order.ended.length;
    },
  };
}
