import { describe, expect, it, vi } from 'vitest';
import { ModelError, type InputItem, type ModelEvent } from '../../lib/index.js';
import { OpenAIResponsesModel } from '../../lib/providers/openai/openai-responses-model.js';
import { collect, failure, modelRequest, rawEvents, translated, watch } from '../support/model-events.js';
import { testClient, useOpenAIServer } from '../support/use-openai-server.js';
import { until } from '../helpers/probe-tools.js';

const fx = useOpenAIServer();
const model = (options: Parameters<typeof fx.client>[0] = {}) =>
  new OpenAIResponsesModel({ client: fx.client(options), model: 'gpt-test' });

describe('OpenAIResponsesModel: streaming', () => {
  it('streams text as deltas, then the message item, then the completion', async () => {
    fx.server.enqueue({ text: ['Hel', 'lo, ', 'world'] });
    const events = await collect(model().stream(modelRequest()));
    expect(translated(events)).toEqual([
      { type: 'response.started', responseId: 'resp_1', model: 'gpt-test' },
      { type: 'text.delta', delta: 'Hel' },
      { type: 'text.delta', delta: 'lo, ' },
      { type: 'text.delta', delta: 'world' },
      {
        type: 'item.done',
        item: {
          type: 'message',
          role: 'assistant',
          id: 'msg_1',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Hello, world', annotations: [] }],
        },
      },
      expect.objectContaining({ type: 'response.completed', responseId: 'resp_1', finishReasons: ['stop'] }),
    ]);
  });

  it('passes every SSE event through as raw, before what it translates to', async () => {
    fx.server.enqueue({ text: 'One two', toolCalls: [{ name: 'f', arguments: { x: 1 } }] });
    const events = await collect(model().stream(modelRequest()));
    const raw = rawEvents(events);
    expect(raw.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(raw.map((e) => e['sequence_number'])).toEqual(raw.map((_, i) => i));
    // Each translated event comes right after the raw event it was made from.
    const source: Record<string, string> = {
      'response.started': 'response.created',
      'text.delta': 'response.output_text.delta',
      'item.done': 'response.output_item.done',
      'response.completed': 'response.completed',
    };
    events.forEach((event, i) => {
      if (event.type === 'raw') return;
      const before = events[i - 1];
      expect(before?.type).toBe('raw');
      expect((before as { event: { type: string } }).event.type).toBe(source[event.type]);
    });
    const completed = events.findIndex((e) => e.type === 'response.completed');
    expect(completed).toBe(events.length - 1);
  });

  it('assembles several tool calls whose arguments stream in pieces', async () => {
    fx.server.enqueue({
      toolCalls: [
        { name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' }, pieces: 5 },
        { name: 'get_time', arguments: { zone: 'Europe/Paris' }, pieces: 4, callId: 'call_time' },
      ],
    });
    const events = await collect(model().stream(modelRequest()));
    const deltas = rawEvents(events).filter((e) => e.type === 'response.function_call_arguments.delta');
    expect(deltas).toHaveLength(9);
    expect(translated(events).filter((e) => e.type === 'item.done')).toEqual([
      {
        type: 'item.done',
        item: {
          type: 'function_call',
          id: 'fc_1_1',
          call_id: 'call_1_1',
          name: 'get_weather',
          arguments: '{"city":"Paris","unit":"celsius"}',
          status: 'completed',
        },
      },
      {
        type: 'item.done',
        item: {
          type: 'function_call',
          id: 'fc_1_2',
          call_id: 'call_time',
          name: 'get_time',
          arguments: '{"zone":"Europe/Paris"}',
          status: 'completed',
        },
      },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'response.completed', finishReasons: ['tool_calls'] });
  });

  it('maps reasoning items (summary, encrypted content) and refusals', async () => {
    fx.server.enqueue({ reasoning: ['Think', 'ing hard'], encryptedReasoning: 'gAAA-secret', refusal: ["I can't ", 'help with that.'] });
    const items = translated(await collect(model().stream(modelRequest()))).filter((e) => e.type === 'item.done');
    expect(items).toEqual([
      {
        type: 'item.done',
        item: { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Thinking hard' }], encrypted_content: 'gAAA-secret' },
      },
      {
        type: 'item.done',
        item: {
          type: 'message',
          role: 'assistant',
          id: 'msg_1',
          status: 'completed',
          content: [{ type: 'refusal', refusal: "I can't help with that." }],
        },
      },
    ]);
  });

  it('maps usage, the response id and the model', async () => {
    fx.server.enqueue({ text: 'Hi', usage: { input: 120, output: 30, cached: 100, reasoning: 12 }, model: 'gpt-test-2025-01-01' });
    const events = await collect(model().stream(modelRequest()));
    expect(events.at(-1)).toEqual({
      type: 'response.completed',
      responseId: 'resp_1',
      model: 'gpt-test-2025-01-01',
      usage: { inputTokens: 120, outputTokens: 30, totalTokens: 150, cachedInputTokens: 100, reasoningTokens: 12 },
      finishReasons: ['stop'],
    });
  });

  it('is cold: nothing is sent before subscribe, and each subscription is one request', async () => {
    fx.server.enqueue({ text: 'a' }, { text: 'b' });
    const stream$ = model().stream(modelRequest());
    expect(fx.server.requests).toHaveLength(0);
    await collect(stream$);
    await collect(stream$);
    expect(fx.server.requests).toHaveLength(2);
  });
});

describe('OpenAIResponsesModel: request body', () => {
  it('maps instructions, tools, settings, output schema and extraBody', async () => {
    fx.server.enqueue({ text: '{}' });
    await collect(
      model().stream(
        modelRequest({
          instructions: 'Be brief.',
          tools: [
            { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {}, additionalProperties: false }, strict: true },
            { name: 'search', description: 'Search', parameters: { type: 'object', properties: { q: { type: 'string' } } }, strict: false },
          ],
          settings: {
            temperature: 0.2,
            topP: 0.9,
            maxOutputTokens: 500,
            toolChoice: { name: 'get_weather' },
            parallelToolCalls: false,
            reasoning: { effort: 'low', summary: 'auto' },
            extraBody: { metadata: { app: 'test' }, service_tier: 'flex' },
          },
          outputSchema: { name: 'final_output', schema: { type: 'object', properties: {} }, strict: true },
        }),
      ),
    );
    const request = fx.server.requests[0]!;
    expect(request.path).toBe('/v1/responses');
    expect(request.headers['authorization']).toBe('Bearer test');
    expect(request.body).toEqual({
      model: 'gpt-test',
      input: [{ role: 'user', content: 'Hello' }],
      instructions: 'Be brief.',
      store: false,
      stream: true,
      tools: [
        { type: 'function', name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {}, additionalProperties: false }, strict: true },
        { type: 'function', name: 'search', description: 'Search', parameters: { type: 'object', properties: { q: { type: 'string' } } }, strict: false },
      ],
      text: { format: { type: 'json_schema', name: 'final_output', schema: { type: 'object', properties: {} }, strict: true } },
      temperature: 0.2,
      top_p: 0.9,
      max_output_tokens: 500,
      tool_choice: { type: 'function', name: 'get_weather' },
      parallel_tool_calls: false,
      reasoning: { effort: 'low', summary: 'auto' },
      include: ['reasoning.encrypted_content'],
      metadata: { app: 'test' },
      service_tier: 'flex',
    });
  });

  it('sends only what is set', async () => {
    fx.server.enqueue({ text: 'ok' });
    await collect(model().stream(modelRequest({ settings: { toolChoice: 'required' } })));
    expect(fx.server.requests[0]!.body).toEqual({
      model: 'gpt-test',
      input: [{ role: 'user', content: 'Hello' }],
      store: false,
      stream: true,
      tool_choice: 'required',
    });
  });

  const history: InputItem[] = [
    { role: 'developer', content: [{ type: 'input_text', text: 'Rules.' }] },
    { role: 'user', content: [{ type: 'input_text', text: 'Look:' }, { type: 'input_image', image_url: 'data:image/png;base64,AAA' }] },
    { type: 'reasoning', id: 'rs_old', summary: [{ type: 'summary_text', text: 'plain' }] },
    { type: 'message', role: 'assistant', id: 'msg_old', status: 'completed', content: [{ type: 'output_text', text: 'Hm.' }] },
    { type: 'reasoning', id: 'rs_enc', summary: [], encrypted_content: 'gAAA' },
    { type: 'message', role: 'assistant', id: 'msg_a', status: 'completed', content: [{ type: 'output_text', text: 'Sure.' }] },
    { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'f', arguments: '{}', status: 'completed' },
    { type: 'function_call_output', call_id: 'call_1', output: '42' },
    { role: 'assistant', content: 'Written by hand.' },
  ];

  it('sends history items in the Responses shape, dropping reasoning items it cannot send back with store: false (and the id of the item after them)', async () => {
    fx.server.enqueue({ text: 'ok' });
    await collect(model().stream(modelRequest({ input: history })));
    expect(fx.server.requests[0]!.body.input).toEqual([
      // Messages already in the wire shape go as they are (the API takes a message without its type).
      { role: 'developer', content: [{ type: 'input_text', text: 'Rules.' }] },
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'Look:' },
          { type: 'input_image', image_url: 'data:image/png;base64,AAA', detail: 'auto' },
        ],
      },
      { type: 'message', role: 'assistant', content: 'Hm.' },
      { type: 'reasoning', id: 'rs_enc', summary: [], encrypted_content: 'gAAA' },
      { type: 'message', role: 'assistant', id: 'msg_a', status: 'completed', content: [{ type: 'output_text', text: 'Sure.', annotations: [] }] },
      { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'f', arguments: '{}', status: 'completed' },
      { type: 'function_call_output', call_id: 'call_1', output: '42' },
      { role: 'assistant', content: 'Written by hand.' },
    ]);
  });

  it('keeps every reasoning item when extraBody asks for store: true', async () => {
    fx.server.enqueue({ text: 'ok' });
    // The server never stored these made-up items, so it answers 404: only the body matters here.
    await expect(
      collect(model().stream(modelRequest({ input: history, settings: { extraBody: { store: true }, reasoning: { effort: 'high' } } }))),
    ).rejects.toThrow("Item with id 'rs_old' not found");
    const body = fx.server.requests[0]!.body;
    expect(body.store).toBe(true);
    expect(body.include).toBeUndefined();
    expect(body.input.filter((i: { type?: string }) => i.type === 'reasoning').map((i: { id: string }) => i.id)).toEqual(['rs_old', 'rs_enc']);
  });
});

describe('OpenAIResponsesModel: failures', () => {
  async function modelError(events$: ReturnType<OpenAIResponsesModel['stream']>): Promise<ModelError> {
    const error = await failure(events$);
    expect(error).toBeInstanceOf(ModelError);
    return error as ModelError;
  }

  it.each([
    [400, 'Invalid value for temperature.', 'invalid_value'],
    [401, 'Incorrect API key provided.', 'invalid_api_key'],
    [404, 'The model `gpt-nope` does not exist.', 'model_not_found'],
  ])('HTTP %i: a ModelError with the status, code and the server message', async (status, message, code) => {
    fx.server.enqueue({ fault: { kind: 'http', status, message, code } });
    const error = await modelError(model().stream(modelRequest()));
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.message).toBe(`The OpenAI Responses API answered HTTP ${status}: ${message}`);
  });

  it.each([429, 500, 503])('HTTP %i: not retried by the client (the run retries, stoppably), a ModelError with the status', async (status) => {
    fx.server.enqueue(...[1, 2, 3].map(() => ({ fault: { kind: 'http' as const, status, message: `Busy (${status}).` } })));
    const error = await modelError(model({ maxRetries: 2 }).stream(modelRequest()));
    expect(fx.server.requests).toHaveLength(1);
    expect(error.status).toBe(status);
    expect(error.message).toContain(`Busy (${status}).`);
  });

  it('rejects a function call without output with HTTP 400, like the real API', async () => {
    const input: InputItem[] = [{ role: 'user', content: 'Hi' }, { type: 'function_call', call_id: 'call_x', name: 'f', arguments: '{}' }];
    const error = await modelError(model().stream(modelRequest({ input })));
    expect(error.status).toBe(400);
    expect(error.message).toContain('No tool output found for function call call_x.');
  });

  it('a connection dropped mid-stream: a ModelError with the cause', async () => {
    fx.server.enqueue({ text: 'Half an ans', fault: { kind: 'drop' } });
    const watched = watch(model().stream(modelRequest()));
    const error = (await watched.ended) as ModelError;
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).toMatch(/^The OpenAI Responses stream was cut off before it finished: terminated/);
    expect(error.cause).toBeInstanceOf(Error);
    expect(watched.events.filter((e) => e.type === 'text.delta').length).toBeGreaterThan(0);
  });

  it('malformed SSE data: a ModelError saying so', async () => {
    fx.server.enqueue({ text: 'Hi', fault: { kind: 'malformed' } });
    const error = await modelError(model().stream(modelRequest()));
    expect(error.message).toMatch(/^The OpenAI Responses stream sent malformed data \(not JSON\)/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('response.failed: a ModelError with the server code and message', async () => {
    fx.server.enqueue({ text: 'Hi', fault: { kind: 'failed', code: 'server_error', message: 'The model crashed.' } });
    const error = await modelError(model().stream(modelRequest()));
    expect(error.message).toBe('OpenAI response resp_1 failed: The model crashed.');
    expect(error.code).toBe('server_error');
  });

  it('an error event: a ModelError with its code and message', async () => {
    fx.server.enqueue({ text: 'Hi', fault: { kind: 'error_event', code: 'rate_limit_exceeded', message: 'Too many tokens.' } });
    const error = await modelError(model().stream(modelRequest()));
    expect(error.message).toBe('The OpenAI Responses stream reported an error: Too many tokens.');
    expect(error.code).toBe('rate_limit_exceeded');
  });

  it('response.incomplete: a ModelError naming the reason', async () => {
    fx.server.enqueue({ text: 'A long', fault: { kind: 'incomplete', reason: 'max_output_tokens' } });
    const error = await modelError(model().stream(modelRequest()));
    expect(error.message).toBe('OpenAI response resp_1 is incomplete (max_output_tokens): the output was cut short.');
    expect(error.code).toBe('max_output_tokens');
  });

  it('a stream that ends without response.completed: a ModelError', async () => {
    fx.server.enqueue({ text: 'Hi', fault: { kind: 'end' } });
    const error = await modelError(model().stream(modelRequest()));
    expect(error.message).toBe('The OpenAI Responses stream ended without a response.completed event.');
  });

  it('a server that cannot be reached: a ModelError', async () => {
    const client = testClient(fx.server, { baseURL: 'http://127.0.0.1:1/v1' });
    const error = await modelError(new OpenAIResponsesModel({ client, model: 'gpt-test' }).stream(modelRequest()));
    expect(error.message).toMatch(/^Could not reach the OpenAI Responses API: /);
    expect(error.status).toBeUndefined();
  });

  it('no API key and no client: a ModelError on stream, not on construction', async () => {
    vi.stubEnv('OPENAI_API_KEY', undefined);
    try {
      const lazy = new OpenAIResponsesModel({ model: 'gpt-test' });
      expect(lazy.serverAddress).toBe('api.openai.com');
      expect(lazy.serverPort).toBe(443);
      const error = await modelError(lazy.stream(modelRequest()));
      expect(error.message).toMatch(/OPENAI_API_KEY/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('OpenAIResponsesModel: unsubscribe', () => {
  it('closes the connection: the server sees the socket close mid-stream', async () => {
    fx.server.enqueue({ text: 'Streaming and then', fault: { kind: 'hang' } });
    const watched = watch(model().stream(modelRequest()));
    await watched.when((e: ModelEvent) => e.type === 'text.delta');
    watched.subscription.unsubscribe();
    const request = fx.server.requests[0]!;
    await request.closed;
    expect(request.closedByClient).toBe(true);
    expect(request.endedByServer).toBe(false);
  });

  it('lets the body go when unsubscribed as the response arrives, even through a fetch that does not follow the abort', async () => {
    fx.server.enqueue({ text: 'Streaming and then', fault: { kind: 'hang' } });
    let subscription: { unsubscribe(): void } | undefined;
    // A fetch of the application's that drops the signal; the consumer leaves the moment the response is there.
    const fetch = (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const { signal: _ignored, ...rest } = init ?? {};
      const answered = globalThis.fetch(url, rest);
      void answered.then((response) => {
        // Held, so that no collection of an unread response closes the connection instead.
        held.push(response);
        subscription?.unsubscribe();
      });
      return answered;
    };
    const held: Response[] = [];
    // No client timeout to close it meanwhile: only letting the body go can.
    subscription = model({ fetch, timeout: 600_000 }).stream(modelRequest()).subscribe();
    await until(() => fx.server.requests.length > 0);
    const request = fx.server.requests[0]!;
    await request.closed;
    expect(request.closedByClient).toBe(true);
  });

  it('leaves no connection behind after many cancels', async () => {
    const before = fx.server.openConnections;
    for (let i = 0; i < 30; i++) {
      fx.server.enqueue({ text: 'Streaming and then', fault: { kind: 'hang' } });
      const watched = watch(model().stream(modelRequest()));
      await watched.when((e: ModelEvent) => e.type === 'text.delta');
      watched.subscription.unsubscribe();
      await fx.server.requests[i]!.closed;
    }
    expect(fx.server.requests.every((r) => r.closedByClient)).toBe(true);
    expect(fx.server.openConnections).toBeLessThanOrEqual(before);
  });

  it('reports where the server is', () => {
    const m = model();
    expect(m.provider).toBe('openai');
    expect(m.modelName).toBe('gpt-test');
    expect(m.serverAddress).toBe('127.0.0.1');
    expect(m.serverPort).toBe(Number(new URL(fx.server.url).port));
  });
});
