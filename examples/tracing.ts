/**
 * Tracing, offline: an agent with parallel tools and an interrupted turn, traced with the
 * OpenTelemetry SDK, printed as a span tree when the run ends.
 *
 *   npx tsx examples/tracing.ts
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, type ReadableSpan, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { lastValueFrom, Subject, tap } from 'rxjs';
import * as z from 'zod';
import { Agent, ScriptedModel, run, tool } from '../lib/index.js';

/** A console exporter that prints finished spans as an indented tree, with durations and key attributes. */
class TreeConsoleExporter implements SpanExporter {
  private spans: ReadableSpan[] = [];
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.spans.push(...spans);
    done({ code: 0 });
  }
  shutdown(): Promise<void> {
    const children = (id: string | undefined) => this.spans.filter((s) => s.parentSpanContext?.spanId === id);
    const print = (span: ReadableSpan, depth: number) => {
      const ms = (span.duration[0] * 1e3 + span.duration[1] / 1e6).toFixed(1);
      const status = ['', ' OK', ' ERROR'][span.status.code];
      const cancelled = span.attributes['rxjs_agents.cancelled'] ? ` cancelled (${span.attributes['rxjs_agents.cancel_reason']})` : '';
      const keys = ['gen_ai.tool.call.id', 'gen_ai.response.id', 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'error.type'];
      const attrs = keys.filter((k) => span.attributes[k] !== undefined).map((k) => `${k.replace('gen_ai.', '')}=${span.attributes[k]}`);
      console.log(`${'  '.repeat(depth)}${span.name}  ${ms} ms${status}${cancelled}  ${attrs.join(' ')}`);
      children(span.spanContext().spanId).forEach((c) => print(c, depth + 1));
    };
    children(undefined).forEach((root) => print(root, 0));
    return Promise.resolve();
  }
}

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new TreeConsoleExporter())] });
trace.setGlobalTracerProvider(provider);

const weather = tool({
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }, { signal }) => {
    // Spans made inside a tool nest under its execute_tool span.
    const span = trace.getTracer('weather-service').startSpan(`GET /weather/${city}`);
    await new Promise((resolve) => setTimeout(resolve, city === 'Paris' ? 40 : 20));
    span.end();
    signal.throwIfAborted();
    return `${city}: sunny`;
  },
});

const model = new ScriptedModel({
  delayMs: 10,
  turns: [
    { text: 'Checking both.', toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }, { name: 'get_weather', arguments: { city: 'Rome' } }] },
    { text: 'Paris and Rome are sunny, and that is all I', hang: true },
    { text: 'Oslo? Let me look.', toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] },
    { text: 'Oslo is sunny too.' },
  ],
});
const agent = new Agent({ name: 'Weather', model, tools: [weather] });
const say$ = new Subject<string>();

await lastValueFrom(
  run(agent, 'Weather in Paris and Rome?', { inject$: say$, injectMode: 'interrupt' }).pipe(
    tap((e) => {
      if (e.type === 'text.delta' && e.delta.startsWith('that')) say$.next('And Oslo?');
      if (e.type === 'run.updated') console.log(`run ${e.status}`);
    }),
  ),
);
await provider.shutdown();
