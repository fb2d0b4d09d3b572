import { firstValueFrom, Subject, tap, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type OpenAI from 'openai';
import {
  Agent,
  MemorySession,
  type Model,
  ModelBehaviorError,
  type RunResult,
  type RunUpdatedEvent,
  run,
  type StreamEvent,
  tool,
  toResult,
} from '../../lib/index.js';
import { OpenAIChatCompletionsModel } from '../../lib/providers/openai/openai-chat-completions-model.js';
import { OpenAIResponsesModel } from '../../lib/providers/openai/openai-responses-model.js';
import { watch } from '../support/model-events.js';
import type { RecordedRequest } from '../support/openai-server.js';
import { useOpenAIServer } from '../support/use-openai-server.js';

const fx = useOpenAIServer();

const apis: [string, (client: OpenAI) => Model][] = [
  ['responses', (client) => new OpenAIResponsesModel({ client, model: 'gpt-test' })],
  ['chat_completions', (client) => new OpenAIChatCompletionsModel({ client, model: 'gpt-test' })],
];

const getWeather = tool({
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => `Sunny in ${city}`,
});

/** The conversation a request carried, whatever the API: its input items or its messages. */
function conversation(request: RecordedRequest): string {
  return JSON.stringify(request.body.input ?? request.body.messages);
}

function terminal(events: readonly StreamEvent<unknown>[]): RunUpdatedEvent<unknown> | undefined {
  return events.filter((e): e is RunUpdatedEvent<unknown> => e.type === 'run.updated').at(-1);
}

describe.each(apis)('run() against the server, %s', (api, makeModel) => {
  const agent = (options: Partial<ConstructorParameters<typeof Agent>[0]> = {}) =>
    new Agent({ name: 'Assistant', instructions: 'Be brief.', model: makeModel(fx.client()), tools: [getWeather], ...options });

  it('runs a tool loop end to end', async () => {
    fx.server.enqueue(
      { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }, { name: 'get_weather', arguments: { city: 'Rome' } }] },
      { text: 'Sunny in both.' },
    );
    const result = await firstValueFrom(run(agent(), 'Weather in Paris and Rome?').pipe(toResult()));
    expect(result.status).toBe('completed');
    expect(result.finalOutput).toBe('Sunny in both.');
    expect(fx.server.requests.map((r) => r.status)).toEqual([200, 200]);
    const second = fx.server.requests[1]!;
    expect(conversation(second)).toContain('Sunny in Paris');
    expect(conversation(second)).toContain('Sunny in Rome');
    if (api === 'responses') {
      // A text message goes as `{ role, content }`, which the API takes without its type.
      expect(second.body.input.map((i: { type?: string }) => i.type ?? 'message')).toEqual([
        'message',
        'function_call',
        'function_call',
        'function_call_output',
        'function_call_output',
      ]);
    } else {
      expect(second.body.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool']);
    }
  });

  it('retries a 429 itself (the client does not), reporting model.retry, then completes', async () => {
    fx.server.enqueue({ fault: { kind: 'http', status: 429, message: 'Slow down.' } }, { text: 'Finally' });
    const events: StreamEvent<unknown>[] = [];
    const result = await firstValueFrom(
      run(agent(), 'Hi', { modelRetry: { initialDelayMs: 1 } }).pipe(
        tap((e) => events.push(e)),
        toResult(),
      ),
    );
    expect(result.finalOutput).toBe('Finally');
    expect(fx.server.requests.map((r) => r.status)).toEqual([429, 200]);
    const retry = events.find((e) => e.type === 'model.retry');
    expect(retry).toMatchObject({ agent: 'Assistant', attempt: 1, delayMs: 1, error: { status: 429 } });
  });

  it('unsubscribing during the back-off stops the retry: no timer left, no second request', async () => {
    fx.server.enqueue({ fault: { kind: 'http', status: 503, message: 'Busy.' } }, { text: 'never' });
    const scheduler = new VirtualTimeScheduler();
    const watched = watch(run(agent(), 'Hi', { modelRetry: { initialDelayMs: 30_000 }, scheduler }));
    await watched.when((e) => e.type === 'model.retry');
    expect(scheduler.actions).toHaveLength(1);
    watched.subscription.unsubscribe();
    expect(scheduler.actions.filter((a) => !a.closed)).toHaveLength(0);
    scheduler.flush();
    expect(fx.server.requests).toHaveLength(1);
  });

  it('does not retry a 400', async () => {
    fx.server.enqueue({ fault: { kind: 'http', status: 400, message: 'Bad.' } });
    const { error, events } = await new Promise<{ error: unknown; events: StreamEvent<unknown>[] }>((resolve) => {
      const seen: StreamEvent<unknown>[] = [];
      run(agent(), 'Hi', { modelRetry: { initialDelayMs: 1 } }).subscribe({ next: (e) => seen.push(e), error: (e) => resolve({ error: e, events: seen }) });
    });
    expect((error as { status?: number }).status).toBe(400);
    expect(events.some((e) => e.type === 'model.retry')).toBe(false);
    expect(fx.server.requests).toHaveLength(1);
  });

  it('parses valid structured output into finalOutput', async () => {
    fx.server.enqueue({ text: ['{"city":"Par', 'is","temperature":21}'] });
    const typed = agent({ outputType: z.object({ city: z.string(), temperature: z.number() }) });
    const result = await firstValueFrom(run(typed, 'Weather?').pipe(toResult()));
    expect(result.finalOutput).toEqual({ city: 'Paris', temperature: 21 });
    const body = fx.server.requests[0]!.body;
    const format = api === 'responses' ? body.text.format : body.response_format.json_schema;
    expect(format).toMatchObject({ name: 'final_output', strict: true, schema: { type: 'object', required: ['city', 'temperature'] } });
  });

  it('fails the run with ModelBehaviorError on invalid structured output', async () => {
    fx.server.enqueue({ text: '{"city": 3}' });
    const typed = agent({ outputType: z.object({ city: z.string(), temperature: z.number() }) });
    await expect(firstValueFrom(run(typed, 'Weather?').pipe(toResult()))).rejects.toBeInstanceOf(ModelBehaviorError);
  });

  it('sums usage over a multi-turn run', async () => {
    fx.server.enqueue(
      { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }], usage: { input: 100, output: 10, cached: 50, reasoning: 5 } },
      { text: 'Sunny.', usage: { input: 200, output: 20, cached: 150 } },
    );
    const result = await firstValueFrom(run(agent(), 'Weather?').pipe(toResult()));
    expect(result.usage).toEqual({
      requests: 2,
      inputTokens: 300,
      outputTokens: 30,
      totalTokens: 330,
      cachedInputTokens: 200,
      reasoningTokens: 5,
    });
  });

  describe('the server sees the socket close', () => {
    it('(a) when the run is unsubscribed mid-stream', async () => {
      fx.server.enqueue({ text: 'Thinking about it', fault: { kind: 'hang' } });
      const watched = watch(run(agent(), 'Hi'));
      await watched.when((e) => e.type === 'text.delta');
      watched.subscription.unsubscribe();
      const request = await fx.server.request(0);
      await request.closed;
      expect(request.closedByClient).toBe(true);
    });

    it('(b) when cancel$ fires mid-stream; the run ends cancelled', async () => {
      fx.server.enqueue({ text: 'Thinking about it', fault: { kind: 'hang' } });
      const cancel$ = new Subject<string>();
      const watched = watch(run(agent(), 'Hi', { cancel$ }));
      await watched.when((e) => e.type === 'text.delta');
      cancel$.next('the user pressed stop');
      const request = await fx.server.request(0);
      await request.closed;
      expect(request.closedByClient).toBe(true);
      expect(await watched.ended).toBeUndefined();
      expect(terminal(watched.events)).toMatchObject({ status: 'cancelled', reason: 'the user pressed stop' });
    });

    it('(c) when input injected in interrupt mode aborts the stream; the turn restarts with a second request', async () => {
      fx.server.enqueue({ text: 'Paris is', fault: { kind: 'hang' } }, { text: 'Paris est ensoleillé.' });
      const inject$ = new Subject<string>();
      const watched = watch(run(agent(), 'Weather in Paris?', { inject$, injectMode: 'interrupt' }));
      await watched.when((e) => e.type === 'text.delta');
      inject$.next('Answer in French.');
      const first = await fx.server.request(0);
      await first.closed;
      expect(first.closedByClient).toBe(true);
      const second = await fx.server.request(1);
      expect(conversation(second)).toContain('Answer in French.');
      expect(await watched.ended).toBeUndefined();
      expect(watched.events.some((e) => e.type === 'turn.interrupted')).toBe(true);
      const result = (terminal(watched.events)?.result ?? {}) as RunResult<unknown>;
      expect(result.finalOutput).toBe('Paris est ensoleillé.');
      expect(fx.server.requests.map((r) => r.status)).toEqual([200, 200]);
    });

    it('(d) when the run fails elsewhere while the stream is open (inject$ errors)', async () => {
      fx.server.enqueue({ text: 'Thinking about it', fault: { kind: 'hang' } });
      const inject$ = new Subject<string>();
      const watched = watch(run(agent(), 'Hi', { inject$ }));
      await watched.when((e) => e.type === 'text.delta');
      inject$.error(new Error('the input source broke'));
      const request = await fx.server.request(0);
      await request.closed;
      expect(request.closedByClient).toBe(true);
      expect(await watched.ended).toMatchObject({ component: 'inject$', message: 'inject$ failed: the input source broke' });
      expect(terminal(watched.events)).toMatchObject({ status: 'failed' });
    });

    it('(d) when the run fails elsewhere while the stream is open (cancel$ errors)', async () => {
      fx.server.enqueue({ text: 'Thinking about it', fault: { kind: 'hang' } });
      const cancel$ = new Subject<string>();
      const watched = watch(run(agent(), 'Hi', { cancel$ }));
      await watched.when((e) => e.type === 'text.delta');
      cancel$.error(new Error('the cancel source broke'));
      const request = await fx.server.request(0);
      await request.closed;
      expect(request.closedByClient).toBe(true);
      expect(await watched.ended).toMatchObject({ component: 'cancel$', message: 'cancel$ failed: the cancel source broke' });
      expect(terminal(watched.events)).toMatchObject({ status: 'failed' });
    });
  });

  it('a run cancelled mid-tool on a session can be continued: the server accepts the history', async () => {
    let toolStarted!: () => void;
    const started = new Promise<void>((resolve) => (toolStarted = resolve));
    const slowLookup = tool({
      name: 'slow_lookup',
      description: 'A lookup that takes a while',
      parameters: z.object({ query: z.string() }),
      execute: (_args, { signal }) => {
        toolStarted();
        return new Promise<string>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      },
    });
    fx.server.enqueue(
      { toolCalls: [{ name: 'slow_lookup', arguments: { query: 'x' }, callId: 'call_slow' }] },
      { text: 'Picking up where we left off.' },
    );
    const session = new MemorySession('conversation-1');
    const cancel$ = new Subject<string>();
    const first = watch(run(agent({ tools: [slowLookup] }), 'Look it up', { session, cancel$ }));
    await started;
    cancel$.next('the user gave up waiting');
    await first.ended;
    expect(terminal(first.events)).toMatchObject({ status: 'cancelled' });

    const result = await firstValueFrom(run(agent({ tools: [slowLookup] }), 'Never mind, go on.', { session }).pipe(toResult()));
    expect(result.finalOutput).toBe('Picking up where we left off.');
    const second = fx.server.requests[1]!;
    expect(second.status).toBe(200);
    expect(conversation(second)).toContain('call_slow');
    expect(conversation(second)).toContain('was cancelled before it finished');
  });
});
