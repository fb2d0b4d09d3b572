import { Subject, tap } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  MemorySession,
  run,
  type StreamEvent,
  tool,
} from '../../lib/index.js';
import { OpenAIChatCompletionsModel } from '../../lib/providers/openai/openai-chat-completions-model.js';
import { useOpenAIServer } from '../support/use-openai-server.js';
import { kinds, reasoningOf, runAll, textOf, weatherTool } from './fixture-run.js';

/**
 * Recorded Chat Completions streams of each vendor (spec/providers/fixtures/,
 * each file names its source) replayed through the real `openai` client, and the
 * next request checked against the rules that vendor's server enforces.
 */
const fx = useOpenAIServer();

const getWeather = weatherTool('24°C and sunny');
const getTime = tool({
  name: 'get_time',
  description: 'Local time',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => `09:00 in ${city}`,
});

function agent(vendor: string, model: string, tools = [getWeather, getTime]): Agent {
  const client = fx.client({ baseURL: `${fx.server.url}/${vendor}/v1` });
  return new Agent({ name: 'Assistant', instructions: 'Be brief.', model: new OpenAIChatCompletionsModel({ client, model }), tools });
}

describe('DeepSeek thinking mode', () => {
  const thought = 'The user wants the weather in Hangzhou. I should call get_weather with location Hangzhou.';

  it('streams reasoning, calls the tool, and sends the reasoning back on the tool-call message', async () => {
    fx.server.enqueue({ fixture: 'deepseek-reasoner-tool-call.sse' }, { fixture: 'deepseek-reasoner-answer.sse' });
    const { events, result } = await runAll(run(agent('deepseek', 'deepseek-reasoner'), 'Weather in Hangzhou?'));
    expect(result.status).toBe('completed');
    expect(result.finalOutput).toBe('It is 24°C and sunny in Hangzhou.');
    expect(textOf(events)).toBe('It is 24°C and sunny in Hangzhou.');
    expect(reasoningOf(events)).toBe(`${thought}The tool says 24°C and sunny. Answer briefly.`);
    expect(kinds(result)).toEqual(['reasoning', 'tool_call', 'tool_output', 'reasoning', 'message_output']);
    expect(result.items[0]!.rawItem).toEqual({
      type: 'reasoning',
      summary: [],
      content: [{ type: 'reasoning_text', text: thought }],
      wireField: 'reasoning_content',
    });
    expect(result.usage).toEqual({
      requests: 2,
      inputTokens: 713,
      outputTokens: 85,
      totalTokens: 798,
      cachedInputTokens: 640,
      reasoningTokens: 53,
    });
    expect(fx.server.requests.map((r) => r.status)).toEqual([200, 200]);
    expect(fx.server.requests[1]!.body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Hangzhou?' },
      {
        role: 'assistant',
        content: null,
        reasoning_content: thought,
        tool_calls: [
          { id: 'call_00_DqDsaxWnrFoGSHtJ4ZFXJ2Bc', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Hangzhou"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_00_DqDsaxWnrFoGSHtJ4ZFXJ2Bc', content: '24°C and sunny in Hangzhou' },
    ]);
  });

  it('the test server rejects the tool-call message without reasoning_content, as DeepSeek does', async () => {
    const client = fx.client({ baseURL: `${fx.server.url}/deepseek/v1` });
    const call = { id: 'call_1', type: 'function' as const, function: { name: 'get_weather', arguments: '{}' } };
    await expect(
      client.chat.completions.create({
        model: 'deepseek-reasoner',
        stream: true,
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: null, tool_calls: [call] },
          { role: 'tool', tool_call_id: 'call_1', content: 'ok' },
        ],
      }),
    ).rejects.toThrow('Missing `reasoning_content` field in the assistant message at message index 1');
  });

  it('a conversation continued from the session is accepted (reasoning kept on every tool-call message)', async () => {
    const session = new MemorySession();
    fx.server.enqueue({ fixture: 'deepseek-reasoner-tool-call.sse' }, { fixture: 'deepseek-reasoner-answer.sse' }, { fixture: 'deepseek-reasoner-answer.sse' });
    await runAll(run(agent('deepseek', 'deepseek-reasoner'), 'Weather in Hangzhou?', { session }));
    const { result } = await runAll(run(agent('deepseek', 'deepseek-reasoner'), 'And tomorrow?', { session }));
    expect(result.status).toBe('completed');
    expect(fx.server.requests.map((r) => r.status)).toEqual([200, 200, 200]);
    const messages = fx.server.requests[2]!.body.messages;
    expect(messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'user']);
    expect(messages[2].reasoning_content).toBe(thought);
    // The final answer carries no reasoning: DeepSeek ignores it there, and older servers reject it.
    expect(messages[4]).toEqual({ role: 'assistant', content: 'It is 24°C and sunny in Hangzhou.' });
  });

  it('cancelled in the middle of its reasoning: the socket closes and the session stays valid', async () => {
    const session = new MemorySession();
    fx.server.enqueue({ fixture: 'deepseek-reasoner-tool-call.sse', fixtureFrames: 3, fault: { kind: 'hang' } }, { fixture: 'deepseek-reasoner-answer.sse' });
    const cancel$ = new Subject<string>();
    const events: StreamEvent<unknown>[] = [];
    const { result } = await runAll(
      run(agent('deepseek', 'deepseek-reasoner'), 'Weather in Hangzhou?', { session, cancel$ }).pipe(
        tap((e) => {
          events.push(e);
          // Cancel once the second reasoning delta arrived: the stream hangs there.
          if (e.type === 'reasoning.delta' && events.filter((x) => x.type === 'reasoning.delta').length === 2) cancel$.next('user stopped');
        }),
      ),
    );
    expect(result.status).toBe('cancelled');
    expect(reasoningOf(events)).toBe('The user wants the weather in Hangzhou');
    const request = fx.server.requests[0]!;
    await request.closed;
    expect(request.closedByClient).toBe(true);
    const next = await runAll(run(agent('deepseek', 'deepseek-reasoner'), 'Weather in Hangzhou?', { session }));
    expect(next.result.status).toBe('completed');
    expect(fx.server.requests[1]!.status).toBe(200);
  });
});

describe('reasoning in delta.reasoning (Groq, Ollama)', () => {
  it('Groq: reasoning streams apart, usage comes from x_groq, and the next request carries no reasoning (Groq rejects it)', async () => {
    fx.server.enqueue({ fixture: 'groq-reasoning-tool-call.sse' }, { fixture: 'groq-reasoning.sse' });
    const { events, result } = await runAll(run(agent('groq', 'openai/gpt-oss-20b'), 'Weather in Oslo?'));
    expect(result.status).toBe('completed');
    expect(reasoningOf(events)).toBe(
      'Need the weather; call get_weather.Okay, the user asks for 17 × 23. 17 × 20 = 340, 17 × 3 = 51, total 391.',
    );
    expect(textOf(events)).toBe('17 × 23 = 391.');
    expect(result.usage).toMatchObject({ requests: 2, inputTokens: 161, outputTokens: 102, totalTokens: 263 });
    expect(fx.server.requests.map((r) => r.status)).toEqual([200, 200]);
    expect(fx.server.requests[1]!.body.messages.slice(2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'fc_6b0f1c2e-9a8d-4e3f-b7c6-5d4e3f2a1b0c', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Oslo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'fc_6b0f1c2e-9a8d-4e3f-b7c6-5d4e3f2a1b0c', content: '24°C and sunny in Oslo' },
    ]);
  });

  it('the test server rejects reasoning on an assistant message, as Groq does', async () => {
    const client = fx.client({ baseURL: `${fx.server.url}/groq/v1` });
    const messages = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello', reasoning: 'greet' },
      { role: 'user', content: 'Bye' },
    ] as never;
    await expect(client.chat.completions.create({ model: 'qwen/qwen3-32b', stream: true, messages })).rejects.toThrow(
      "property 'reasoning' is unsupported",
    );
  });

  it('Ollama: reasoning, a whole tool call, usage in a chunk with empty choices', async () => {
    fx.server.enqueue({ fixture: 'ollama-reasoning-tool-call.sse' }, { text: 'It is 9 am.' });
    const { events, result } = await runAll(run(agent('ollama', 'qwen3:8b'), 'Time in Tokyo?'));
    expect(reasoningOf(events)).toBe('Okay, the user wants the time in Tokyo; call get_time.');
    const call = result.items.find((i) => i.type === 'tool_call')!;
    expect(call.rawItem).toEqual({ type: 'function_call', call_id: 'call_w3xs1l8b', name: 'get_time', arguments: '{"city":"Tokyo"}', status: 'completed' });
    expect(result.usage.inputTokens).toBeGreaterThanOrEqual(151);
    expect(fx.server.requests[1]!.body.messages[2]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_w3xs1l8b', type: 'function', function: { name: 'get_time', arguments: '{"city":"Tokyo"}' } }],
    });
  });
});

describe('reasoning in delta.reasoning_content (xAI, Qwen, vLLM, llama.cpp)', () => {
  it('xAI: usage repeated on every chunk is counted once', async () => {
    fx.server.enqueue({ fixture: 'xai-grok-3-mini.sse' });
    const { events, result } = await runAll(run(agent('xai', 'grok-3-mini'), 'Is 101 prime?'));
    expect(reasoningOf(events)).toBe('101 is odd and has no divisor up to 10, so it is prime.');
    expect(result.finalOutput).toBe('Yes, 101 is prime.');
    expect(result.usage).toEqual({ requests: 1, inputTokens: 32, outputTokens: 6, totalTokens: 53, cachedInputTokens: 6, reasoningTokens: 15 });
  });

  it('Qwen: later tool-call deltas with empty ids and names do not break the call', async () => {
    fx.server.enqueue({ fixture: 'qwen-tool-call.sse' }, { text: 'Sunny.' });
    const { events, result } = await runAll(run(agent('qwen', 'qwen-plus'), 'Weather in Beijing?'));
    expect(reasoningOf(events)).toBe('The user wants Beijing weather; use get_weather.');
    expect(kinds(result)).toEqual(['reasoning', 'tool_call', 'tool_output', 'message_output']);
    expect(result.items[1]!.rawItem).toEqual({
      type: 'function_call',
      call_id: 'call_4f2a9d8e1b7c4a3e9f0d11',
      name: 'get_weather',
      arguments: '{"location": "Beijing"}',
      status: 'completed',
    });
    expect(result.usage.reasoningTokens).toBe(21);
    expect(result.usage.inputTokens).toBeGreaterThan(266);
    expect(fx.server.requests[1]!.body.messages[2]).toEqual({
      role: 'assistant',
      content: null,
      reasoning_content: 'The user wants Beijing weather; use get_weather.',
      tool_calls: [{ id: 'call_4f2a9d8e1b7c4a3e9f0d11', type: 'function', function: { name: 'get_weather', arguments: '{"location": "Beijing"}' } }],
    });
  });

  it('vLLM: parallel calls whose id and name come only in their first delta', async () => {
    fx.server.enqueue({ fixture: 'vllm-parallel-tool-calls.sse' }, { text: 'Both sunny.' });
    const { result } = await runAll(run(agent('vllm', 'Qwen/Qwen3-8B'), 'Paris and Rome?'));
    const calls = result.items.filter((i) => i.type === 'tool_call').map((i) => i.rawItem);
    expect(calls).toEqual([
      { type: 'function_call', call_id: 'chatcmpl-tool-8a1b2c3d4e5f', name: 'get_weather', arguments: '{"city": "Paris"}', status: 'completed' },
      { type: 'function_call', call_id: 'chatcmpl-tool-9f8e7d6c5b4a', name: 'get_weather', arguments: '{"city": "Rome"}', status: 'completed' },
    ]);
    const messages = fx.server.requests[1]!.body.messages;
    expect(messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool']);
    expect(messages[2].reasoning_content).toBe('Two cities, two calls.');
    expect(messages[3]).toEqual({ role: 'tool', tool_call_id: 'chatcmpl-tool-8a1b2c3d4e5f', content: '24°C and sunny in Paris' });
  });

  it('llama.cpp: reasoning, text, and usage on the finish chunk', async () => {
    fx.server.enqueue({ fixture: 'llamacpp-reasoning.sse' });
    const { events, result } = await runAll(run(agent('llamacpp', 'gpt-oss-20b'), 'hi'));
    expect(reasoningOf(events)).toBe('User says hi. Greet back.');
    expect(textOf(events)).toBe('Hello! How can I help?');
    expect(result.usage).toMatchObject({ requests: 1, inputTokens: 70, outputTokens: 30 });
  });
});

describe('content as an array of parts (Mistral magistral)', () => {
  it('text parts are text, thinking parts are reasoning, unknown parts are kept raw, nothing is stringified', async () => {
    const session = new MemorySession();
    fx.server.enqueue({ fixture: 'mistral-magistral.sse' }, { text: 'Canberra has about 460,000 people.' });
    const { events, result } = await runAll(run(agent('mistral', 'magistral-medium-2509', []), 'Capital of Australia?', { session }));
    expect(textOf(events)).toBe('The capital of Australia is Canberra.');
    expect(result.finalOutput).toBe('The capital of Australia is Canberra.');
    expect(reasoningOf(events)).toBe('The question is the capital of Australia. It is Canberra, not Sydney.');
    expect(kinds(result)).toEqual(['reasoning', 'message_output', 'reference']);
    expect(result.items[2]!.rawItem).toEqual({
      type: 'provider_item',
      api: 'openai.chat',
      itemType: 'reference',
      item: { type: 'reference', reference_ids: [1, 2] },
    });
    expect(JSON.stringify(result.history)).not.toContain('[object Object]');
    expect(result.usage).toMatchObject({ inputTokens: 12, outputTokens: 119 });

    await runAll(run(agent('mistral', 'magistral-medium-2509', []), 'How many people live there?', { session }));
    expect(fx.server.requests[1]!.body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Capital of Australia?' },
      { role: 'assistant', content: 'The capital of Australia is Canberra.' },
      { role: 'user', content: 'How many people live there?' },
    ]);
  });
});

describe('what already worked keeps working', () => {
  it('Azure: a first chunk without id, model or choices (prompt filter results)', async () => {
    const session = new MemorySession();
    fx.server.enqueue({ fixture: 'azure-content-filter.sse' }, { text: 'Bye.' });
    const { events, result } = await runAll(run(agent('azure', 'gpt-4o'), 'Hi', { session }));
    expect(textOf(events)).toBe('Hello! How can I help?');
    expect(result.usage).toMatchObject({ requests: 1, inputTokens: 11, outputTokens: 9 });
    await runAll(run(agent('azure', 'gpt-4o'), 'Bye', { session }));
    // Azure rejects unknown message fields: the next request is plain.
    expect(fx.server.requests[1]!.status).toBe(200);
    expect(fx.server.requests[1]!.body.messages[2]).toEqual({ role: 'assistant', content: 'Hello! How can I help?' });
  });

  it('Perplexity: usage, citations and the message so far on every chunk, no [DONE]', async () => {
    fx.server.enqueue({ fixture: 'perplexity-sonar.sse' });
    const { events, result } = await runAll(run(agent('perplexity', 'sonar', []), 'How far is the Moon?'));
    expect(textOf(events)).toBe('The Moon is about 384,400 km from Earth on average [1][2].');
    expect(result.usage).toMatchObject({ requests: 1, inputTokens: 8, outputTokens: 12, totalTokens: 20 });
  });

  it('tool calls without an index (Gemini) are told apart by their ids', async () => {
    fx.server.enqueue({ fixture: 'gemini-no-index.sse' }, { text: 'Sunny, 9 am.' });
    const { result } = await runAll(run(agent('gemini', 'gemini-2.5-flash'), 'Weather and time in Lima?'));
    expect(result.items.filter((i) => i.type === 'tool_call').map((i) => i.rawItem)).toEqual([
      { type: 'function_call', call_id: 'function-call-1', name: 'get_weather', arguments: '{"city":"Lima"}', status: 'completed' },
      { type: 'function_call', call_id: 'function-call-2', name: 'get_time', arguments: '{"city":"Lima"}', status: 'completed' },
    ]);
    expect(result.finalOutput).toBe('Sunny, 9 am.');
  });

  it('OpenAI itself rejects reasoning fields on messages: history from a reasoning server sent to OpenAI is accepted', async () => {
    const session = new MemorySession();
    fx.server.enqueue({ fixture: 'groq-reasoning.sse' }, { text: 'ok' });
    await runAll(run(agent('groq', 'qwen/qwen3-32b'), '17 × 23?', { session }));
    const { result } = await runAll(run(agent('openai', 'gpt-4.1'), 'Thanks', { session }));
    expect(result.status).toBe('completed');
    expect(fx.server.requests[1]!.body.messages[2]).toEqual({ role: 'assistant', content: '17 × 23 = 391.' });
  });
});
