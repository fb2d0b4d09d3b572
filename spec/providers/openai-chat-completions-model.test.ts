import { describe, expect, it } from 'vitest';
import { ModelError, type InputItem, type ModelEvent } from '../../lib/index.js';
import { OpenAIChatCompletionsModel } from '../../lib/providers/openai/openai-chat-completions-model.js';
import { collect, failure, modelRequest, rawEvents, translated, watch } from '../support/model-events.js';
import { useOpenAIServer } from '../support/use-openai-server.js';

const fx = useOpenAIServer();
const model = (options: Parameters<typeof fx.client>[0] = {}) =>
  new OpenAIChatCompletionsModel({ client: fx.client(options), model: 'gpt-test' });

describe('OpenAIChatCompletionsModel: streaming', () => {
  it('streams text as deltas; the message item and the completion come at the end', async () => {
    fx.server.enqueue({ text: ['Hel', 'lo, ', 'world'], usage: { input: 10, output: 3 } });
    const events = await collect(model().stream(modelRequest()));
    expect(translated(events)).toEqual([
      { type: 'response.started', responseId: 'chatcmpl-1', model: 'gpt-test' },
      { type: 'text.delta', delta: 'Hel' },
      { type: 'text.delta', delta: 'lo, ' },
      { type: 'text.delta', delta: 'world' },
      {
        type: 'item.done',
        item: { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hello, world', annotations: [] }] },
      },
      {
        type: 'response.completed',
        responseId: 'chatcmpl-1',
        model: 'gpt-test',
        usage: { inputTokens: 10, outputTokens: 3, totalTokens: 13, cachedInputTokens: 0, reasoningTokens: 0 },
        finishReasons: ['stop'],
      },
    ]);
  });

  it('passes every chunk through as raw', async () => {
    fx.server.enqueue({ text: 'One two' });
    const raw = rawEvents(await collect(model().stream(modelRequest())));
    // role chunk, two content chunks, finish chunk, usage chunk ([DONE] is not an event)
    expect(raw).toHaveLength(5);
    expect(raw.every((chunk) => chunk['object'] === 'chat.completion.chunk')).toBe(true);
    expect(raw.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: expect.any(Number) } });
  });

  it('assembles several tool calls (by index) whose arguments stream in pieces, after the text', async () => {
    fx.server.enqueue({
      text: 'Let me check.',
      toolCalls: [
        { name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' }, pieces: 5, callId: 'call_w' },
        { name: 'get_time', arguments: { zone: 'Europe/Paris' }, pieces: 4, callId: 'call_t' },
      ],
    });
    const events = await collect(model().stream(modelRequest()));
    const argumentChunks = rawEvents(events).filter((c) => JSON.stringify(c).includes('"arguments":"') && !JSON.stringify(c).includes('"arguments":""'));
    expect(argumentChunks).toHaveLength(9);
    expect(translated(events).filter((e) => e.type === 'item.done').map((e) => (e as { item: unknown }).item)).toEqual([
      { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Let me check.', annotations: [] }] },
      { type: 'function_call', call_id: 'call_w', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}', status: 'completed' },
      { type: 'function_call', call_id: 'call_t', name: 'get_time', arguments: '{"zone":"Europe/Paris"}', status: 'completed' },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'response.completed', finishReasons: ['tool_calls'] });
  });

  it('maps refusal deltas to a refusal message', async () => {
    fx.server.enqueue({ refusal: ["I can't ", 'help with that.'] });
    const events = translated(await collect(model().stream(modelRequest())));
    expect(events.filter((e) => e.type === 'text.delta')).toEqual([]);
    expect(events.find((e) => e.type === 'item.done')).toEqual({
      type: 'item.done',
      item: { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'refusal', refusal: "I can't help with that." }] },
    });
  });

  it('maps the usage chunk, with cached and reasoning tokens', async () => {
    fx.server.enqueue({ text: 'Hi', usage: { input: 120, output: 30, cached: 100, reasoning: 12 }, model: 'gpt-test-2025-01-01' });
    const events = await collect(model().stream(modelRequest()));
    expect(events.at(-1)).toEqual({
      type: 'response.completed',
      responseId: 'chatcmpl-1',
      model: 'gpt-test-2025-01-01',
      usage: { inputTokens: 120, outputTokens: 30, totalTokens: 150, cachedInputTokens: 100, reasoningTokens: 12 },
      finishReasons: ['stop'],
    });
  });

  it('reports finish_reason length as it is (the response completes)', async () => {
    fx.server.enqueue({ text: 'A long', fault: { kind: 'incomplete' } });
    const events = await collect(model().stream(modelRequest()));
    expect(events.at(-1)).toMatchObject({ type: 'response.completed', finishReasons: ['length'] });
  });
});

describe('OpenAIChatCompletionsModel: request body', () => {
  it('maps instructions, tools, settings, output schema and extraBody', async () => {
    fx.server.enqueue({ text: '{}' });
    await collect(
      model().stream(
        modelRequest({
          instructions: 'Be brief.',
          tools: [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} }, strict: true }],
          settings: {
            temperature: 0.2,
            topP: 0.9,
            maxOutputTokens: 500,
            toolChoice: { name: 'get_weather' },
            parallelToolCalls: false,
            reasoning: { effort: 'low', summary: 'auto' },
            extraBody: { seed: 7 },
          },
          outputSchema: { name: 'final_output', schema: { type: 'object', properties: {} }, strict: true },
        }),
      ),
    );
    const request = fx.server.requests[0]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.body).toEqual({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} }, strict: true } }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 'final_output', schema: { type: 'object', properties: {} }, strict: true } },
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 500,
      reasoning_effort: 'low',
      seed: 7,
    });
  });

  it('sends tool_choice and parallel_tool_calls only with tools, as the API requires', async () => {
    fx.server.enqueue({ text: 'ok' });
    await collect(model().stream(modelRequest({ settings: { toolChoice: 'required', parallelToolCalls: true } })));
    expect(fx.server.requests[0]!.body).toEqual({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('converts history items to chat messages', async () => {
    const input: InputItem[] = [
      { role: 'developer', content: [{ type: 'input_text', text: 'Rules.' }] },
      { role: 'user', content: [{ type: 'input_text', text: 'Look:' }, { type: 'input_image', image_url: 'https://x/y.png', detail: 'low' }] },
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'hmm' }] },
      { type: 'message', role: 'assistant', id: 'msg_1', content: [{ type: 'output_text', text: 'Checking.' }] },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call', call_id: 'call_2', name: 'get_time', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'Sunny' },
      { type: 'function_call_output', call_id: 'call_2', output: 'Noon' },
      { type: 'function_call', call_id: 'call_3', name: 'get_time', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_3', output: 'Still noon' },
      { role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }] },
      { role: 'system', content: 'Be nice.' },
      { role: 'user', content: 'Thanks' },
    ];
    fx.server.enqueue({ text: 'ok' });
    await collect(model().stream(modelRequest({ instructions: 'Be brief.', input })));
    expect(fx.server.requests[0]!.body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'developer', content: 'Rules.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look:' },
          { type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'low' } },
        ],
      },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' },
      { role: 'tool', tool_call_id: 'call_2', content: 'Noon' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_3', type: 'function', function: { name: 'get_time', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_3', content: 'Still noon' },
      { role: 'assistant', content: null, refusal: 'No.' },
      { role: 'system', content: 'Be nice.' },
      { role: 'user', content: 'Thanks' },
    ]);
  });
});

describe('OpenAIChatCompletionsModel: failures', () => {
  async function modelError(events$: ReturnType<OpenAIChatCompletionsModel['stream']>): Promise<ModelError> {
    const error = await failure(events$);
    expect(error).toBeInstanceOf(ModelError);
    return error as ModelError;
  }

  it.each([
    [400, 'Invalid value for temperature.', 'invalid_value'],
    [401, 'Incorrect API key provided.', 'invalid_api_key'],
  ])('HTTP %i: a ModelError with the status, code and the server message', async (status, message, code) => {
    fx.server.enqueue({ fault: { kind: 'http', status, message, code } });
    const error = await modelError(model().stream(modelRequest()));
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.message).toBe(`The OpenAI Chat Completions API answered HTTP ${status}: ${message}`);
  });

  it.each([429, 500])('HTTP %i: not retried by the client (the run retries, stoppably), a ModelError with the status', async (status) => {
    fx.server.enqueue(...[1, 2, 3].map(() => ({ fault: { kind: 'http' as const, status, message: `Busy (${status}).` } })));
    const error = await modelError(model({ maxRetries: 2 }).stream(modelRequest()));
    expect(fx.server.requests).toHaveLength(1);
    expect(error.status).toBe(status);
    expect(error.message).toContain(`Busy (${status}).`);
  });

  it('rejects tool calls without tool messages with HTTP 400, like the real API', async () => {
    const input: InputItem[] = [{ role: 'user', content: 'Hi' }, { type: 'function_call', call_id: 'call_x', name: 'f', arguments: '{}' }];
    const error = await modelError(model().stream(modelRequest({ input })));
    expect(error.status).toBe(400);
    expect(error.message).toContain('The following tool_call_ids did not have response messages: call_x');
  });

  it('a connection dropped mid-stream: a ModelError with the cause', async () => {
    fx.server.enqueue({ text: 'Half an ans', fault: { kind: 'drop' } });
    const watched = watch(model().stream(modelRequest()));
    const error = (await watched.ended) as ModelError;
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).toMatch(/^The OpenAI Chat Completions stream was cut off before it finished: terminated/);
    expect(watched.events.filter((e) => e.type === 'text.delta').length).toBeGreaterThan(0);
  });

  it('malformed SSE data: a ModelError saying so', async () => {
    fx.server.enqueue({ text: 'Hi', fault: { kind: 'malformed' } });
    const error = await modelError(model().stream(modelRequest()));
    expect(error.message).toMatch(/^The OpenAI Chat Completions stream sent malformed data \(not JSON\)/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('an error chunk mid-stream: a ModelError with its code and message', async () => {
    fx.server.enqueue({ text: 'Hi', fault: { kind: 'failed', code: 'server_error', message: 'The model crashed.' } });
    const error = await modelError(model().stream(modelRequest()));
    expect(error.message).toBe('The OpenAI Chat Completions stream reported an error: The model crashed.');
    expect(error.code).toBe('server_error');
    expect(error.status).toBeUndefined();
  });

  it('a stream that ends without a finish_reason: a ModelError', async () => {
    fx.server.enqueue({ text: 'Hi', fault: { kind: 'end' } });
    const error = await modelError(model().stream(modelRequest()));
    expect(error.message).toBe('The OpenAI Chat Completions stream ended before a finish_reason: the response is incomplete.');
  });
});

describe('OpenAIChatCompletionsModel: unsubscribe', () => {
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

  it('stops a paced stream: the server stops writing when the client goes away', async () => {
    fx.server.enqueue({ text: 'one two three four five six seven eight nine ten', delayMs: 15 });
    const watched = watch(model().stream(modelRequest()));
    await watched.when((e: ModelEvent) => e.type === 'text.delta');
    watched.subscription.unsubscribe();
    const request = fx.server.requests[0]!;
    await request.closed;
    expect(request.closedByClient).toBe(true);
    expect(request.endedByServer).toBe(false);
    expect(watched.events.filter((e) => e.type === 'text.delta').length).toBeLessThan(10);
  });
});
