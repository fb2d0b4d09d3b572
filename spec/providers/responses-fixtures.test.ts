import { Subject, tap } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  Agent,
  type AgentOptions,
  type InputItem,
  MemorySession,
  type Model,
  type ModelRequest,
  ModelBehaviorError,
  run,
  type StreamEvent,
} from '../../lib/index.js';
import {
  codeInterpreterTool,
  hostedMcpTool,
  imageGenerationTool,
  webSearchTool,
} from '../../lib/providers/openai/hosted-tools.js';
import { OpenAIResponsesModel, type OpenAIResponsesModelOptions } from '../../lib/providers/openai/openai-responses-model.js';
import { useOpenAIServer } from '../support/use-openai-server.js';
import { kinds, reasoningOf, runAll, textOf, weatherTool } from './fixture-run.js';

const inputTypes = (body: { input: { type?: string }[] }) => body.input.map((i) => i.type ?? 'message');

/**
 * Recorded Responses API streams (OpenAI's hosted tools, reasoning, compaction;
 * LM Studio's reasoning text) replayed through the real `openai` client; the next
 * request is checked by a server that enforces the API's rules on reasoning items,
 * their following items, calls and outputs, and `previous_response_id`.
 */
const fx = useOpenAIServer();

const getWeather = weatherTool('18°C');

function model(name: string, options: Partial<OpenAIResponsesModelOptions> = {}, vendor = 'openai'): OpenAIResponsesModel {
  return new OpenAIResponsesModel({ client: fx.client({ baseURL: `${fx.server.url}/${vendor}/v1` }), model: name, ...options });
}

function agent(m: OpenAIResponsesModel, options: Partial<AgentOptions> = {}): Agent {
  return new Agent({ name: 'Assistant', instructions: 'Be brief.', model: m, tools: [getWeather], ...options });
}

describe('reasoning on the Responses API', () => {
  it('o4-mini without modelSettings.reasoning: encrypted reasoning is asked for and sent back before its call', async () => {
    fx.server.enqueue({ fixture: 'openai-responses-reasoning-call.sse' }, { fixture: 'openai-responses-answer.sse' });
    const { events, result } = await runAll(run(agent(model('o4-mini')), 'Weather in Paris?'));
    expect(result.finalOutput).toBe('It is 18°C and cloudy in Paris.');
    expect(reasoningOf(events)).toBe('**Checking the weather**\n\nI will call get_weather for Paris.**Answering**');
    expect(kinds(result)).toEqual(['reasoning', 'tool_call', 'tool_output', 'reasoning', 'message_output']);
    expect(result.usage).toEqual({ requests: 2, inputTokens: 342, outputTokens: 200, totalTokens: 542, cachedInputTokens: 128, reasoningTokens: 168 });
    expect(fx.server.requests.map((r) => r.status)).toEqual([200, 200]);
    for (const request of fx.server.requests) expect(request.body.include).toEqual(['reasoning.encrypted_content']);
    expect(fx.server.requests[1]!.body.input).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      {
        type: 'reasoning',
        id: 'rs_68af1c2f1a2c8190b7e8d9c0a1b2c3d4',
        summary: [{ type: 'summary_text', text: '**Checking the weather**\n\nI will call get_weather for Paris.' }],
        encrypted_content: 'gAAAAABor_enc_rs1',
      },
      {
        type: 'function_call',
        id: 'fc_68af1c30f9e48190c1d2e3f4a5b6c7d8',
        call_id: 'call_kQ8rT2mZ5xW1vN7bP3yL',
        name: 'get_weather',
        arguments: '{"location":"Paris, France"}',
        status: 'completed',
      },
      { type: 'function_call_output', call_id: 'call_kQ8rT2mZ5xW1vN7bP3yL', output: '18°C in Paris, France' },
    ]);
  });

  it('a reasoning model the library cannot name: its first reasoning comes without encrypted content, and history is still accepted', async () => {
    fx.server.enqueue(
      { reasoning: 'Need the weather.', toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] },
      { reasoning: 'Answer.', encryptedReasoning: 'gAAAA_enc', toolCalls: [{ name: 'get_weather', arguments: { city: 'Bergen' } }] },
      { text: 'Cold in both.' },
    );
    const { result } = await runAll(run(agent(model('acme-thinker')), 'Oslo and Bergen?'));
    expect(result.status).toBe('completed');
    expect(fx.server.requests.map((r) => r.status)).toEqual([200, 200, 200]);
    const [first, second, third] = fx.server.requests.map((r) => r.body);
    expect(first.include).toBeUndefined();
    // The reasoning it could not send back is dropped, and so is its call's id: the API rejects a call without its reasoning.
    expect(second.input.slice(1)).toEqual([
      { type: 'function_call', call_id: 'call_1_1', name: 'get_weather', arguments: '{"city":"Oslo"}', status: 'completed' },
      { type: 'function_call_output', call_id: 'call_1_1', output: '18°C in Oslo' },
    ]);
    // Once the model showed it reasons, encrypted reasoning is asked for, and kept.
    expect(second.include).toEqual(['reasoning.encrypted_content']);
    expect(inputTypes(third)).toEqual(['message', 'function_call', 'function_call_output', 'reasoning', 'function_call', 'function_call_output']);
    expect(third.input[4].id).toBe('fc_2_1');
  });

  it('the test server rejects a call whose reasoning item was dropped, as the API does', async () => {
    fx.server.enqueue({ reasoning: 'Think.', toolCalls: [{ name: 'get_weather', arguments: {} }] });
    const client = fx.client();
    const stream = await client.responses.create({ model: 'o3', input: 'Hi', stream: true, store: false });
    for await (const event of stream) void event;
    await expect(
      client.responses.create({
        model: 'o3',
        stream: true,
        store: false,
        input: [
          { role: 'user', content: 'Hi' },
          { type: 'function_call', id: 'fc_1_1', call_id: 'call_1_1', name: 'get_weather', arguments: '{}' },
          { type: 'function_call_output', call_id: 'call_1_1', output: 'ok' },
        ],
      }),
    ).rejects.toThrow("Item 'fc_1_1' of type 'function_call' was provided without its required 'reasoning' item: 'rs_1'.");
  });

  it('LM Studio: reasoning as reasoning_text is streamed and kept; without encrypted content it is not sent back', async () => {
    fx.server.enqueue({ fixture: 'lmstudio-responses-reasoning.sse' }, { text: 'Mild.' });
    const { events, result } = await runAll(run(agent(model('openai/gpt-oss-20b', {}, 'lmstudio')), 'Weather in Lisbon?'));
    expect(reasoningOf(events)).toBe('The user wants the weather in Lisbon; call get_weather.');
    expect(result.items[0]!.rawItem).toEqual({
      type: 'reasoning',
      id: 'rs_2d4f6a8c0e1b3d5f7a9c1e3b5d7f9a1c',
      summary: [],
      content: [{ type: 'reasoning_text', text: 'The user wants the weather in Lisbon; call get_weather.' }],
    });
    expect(fx.server.requests[1]!.status).toBe(200);
    expect(fx.server.requests[1]!.body.input).toEqual([
      { role: 'user', content: 'Weather in Lisbon?' },
      { type: 'function_call', call_id: 'call_3e5g7i9k1m3o5q7s', name: 'get_weather', arguments: '{"city":"Lisbon"}', status: 'completed' },
      { type: 'function_call_output', call_id: 'call_3e5g7i9k1m3o5q7s', output: '18°C in Lisbon' },
    ]);
  });
});

describe('hosted tools and items the library does not model', () => {
  it('web search: declared with typed options, its call kept verbatim and sent back in order with phase and annotations', async () => {
    const session = new MemorySession();
    fx.server.enqueue({ fixture: 'openai-responses-web-search.sse' }, { text: 'You are welcome.' });
    const researcher = agent(model('gpt-5'), { tools: [], hostedTools: [webSearchTool({ search_context_size: 'medium' })] });
    const { events, result } = await runAll(run(researcher, 'Good news today?', { session }));
    expect(fx.server.requests[0]!.body.tools).toEqual([{ type: 'web_search', search_context_size: 'medium' }]);
    expect(textOf(events)).toBe('A community garden opened in Leeds today.');
    expect(kinds(result)).toEqual(['reasoning', 'web_search_call', 'reasoning', 'message_output']);
    const created = events.flatMap((e) => (e.type === 'item.created' && e.item.type === 'provider_item' ? [e.item] : []));
    expect(created).toHaveLength(1);
    expect(created[0]!.rawItem.item).toMatchObject({ type: 'web_search_call', status: 'completed', action: { query: 'positive news story today' } });

    await runAll(run(researcher, 'Thanks!', { session }));
    const next = fx.server.requests[1]!;
    expect(next.status).toBe(200);
    expect(inputTypes(next.body)).toEqual(['message', 'reasoning', 'web_search_call', 'reasoning', 'message', 'message']);
    expect(next.body.input[2]).toEqual({
      id: 'ws_68af1d02c3d48190c4d5e6f7a8b9c0d1',
      type: 'web_search_call',
      status: 'completed',
      action: { type: 'search', query: 'positive news story today', sources: [{ type: 'url', url: 'https://example.org/good-news' }] },
    });
    expect(next.body.input[4]).toMatchObject({
      id: 'msg_68af1d04e5f68190e6f7a8b9c0d1e2f3',
      phase: 'final_answer',
      content: [{ type: 'output_text', annotations: [{ type: 'url_citation', url: 'https://example.org/good-news' }] }],
    });
  });

  it('remote MCP and compaction: every item kept and sent back verbatim', async () => {
    const session = new MemorySession();
    fx.server.enqueue({ fixture: 'openai-responses-mcp-compaction.sse' }, { text: 'Sure.' });
    const mcp = hostedMcpTool({ server_label: 'deepwiki', server_url: 'https://mcp.deepwiki.com/mcp' });
    const a = agent(model('gpt-5'), { tools: [], hostedTools: [mcp] });
    const { result } = await runAll(run(a, 'Which transports?', { session }));
    expect(fx.server.requests[0]!.body.tools).toEqual([
      { type: 'mcp', require_approval: 'never', server_label: 'deepwiki', server_url: 'https://mcp.deepwiki.com/mcp' },
    ]);
    expect(kinds(result)).toEqual(['compaction', 'mcp_list_tools', 'reasoning', 'mcp_call', 'message_output']);
    expect(result.finalOutput).toBe('It defines stdio and Streamable HTTP.');
    await runAll(run(a, 'And auth?', { session }));
    const input = fx.server.requests[1]!.body.input;
    expect(input[1]).toEqual({ id: 'cmp_68af1e0107b88190a8b9c0d1e2f3a4b5', type: 'compaction', encrypted_content: 'gAAAAABor_compacted_context' });
    expect(input[4]).toMatchObject({ type: 'mcp_call', output: 'The spec defines stdio and Streamable HTTP.', status: 'completed' });
    expect(fx.server.requests[1]!.status).toBe(200);
  });

  it('code interpreter and image generation: calls and results as items, the answer as text', async () => {
    fx.server.enqueue({ fixture: 'openai-responses-code-image.sse' });
    const a = agent(model('gpt-5'), { tools: [], hostedTools: [codeInterpreterTool(), imageGenerationTool({ quality: 'low' })] });
    const { events, result } = await runAll(run(a, 'Sum 1..100 and chart it'));
    expect(fx.server.requests[0]!.body.tools).toEqual([
      { type: 'code_interpreter', container: { type: 'auto' } },
      { type: 'image_generation', quality: 'low' },
    ]);
    expect(kinds(result)).toEqual(['reasoning', 'code_interpreter_call', 'image_generation_call', 'message_output']);
    expect(result.items[1]!.rawItem).toMatchObject({ item: { outputs: [{ type: 'logs', logs: '5050\n' }] } });
    expect(textOf(events)).toBe('The sum is 5050; here is a chart.');
  });

  it('a hosted tool on a Chat Completions model is a UserError that names it', async () => {
    const { OpenAIChatCompletionsModel } = await import('../../lib/providers/openai/openai-chat-completions-model.js');
    const chat = new OpenAIChatCompletionsModel({ client: fx.client(), model: 'gpt-4.1' });
    const { result } = await runAll(run(new Agent({ name: 'A', model: chat, hostedTools: [webSearchTool()] }), 'Hi'));
    expect(result.status).toBe('failed');
    expect(result.error?.message).toContain('The hosted tool "web_search" needs the OpenAI Responses API');
    expect(fx.server.requests).toHaveLength(0);
  });

  it('a client-side tool type the agent did not declare ends the run with an error that says so; the session stays valid', async () => {
    const session = new MemorySession();
    fx.server.enqueue({ fixture: 'openai-responses-custom-tool-call.sse' }, { text: 'Hello.' });
    const { result } = await runAll(run(agent(model('gpt-5')), 'Run print("hello world")', { session }));
    expect(result.status).toBe('failed');
    expect(result.error).toBeInstanceOf(ModelBehaviorError);
    expect(result.error?.message).toContain('client-side tool of type "custom_tool_call"');
    const next = await runAll(run(agent(model('gpt-5')), 'Hi again', { session }));
    expect(next.result.status).toBe('completed');
    expect(fx.server.requests[1]!.status).toBe(200);
  });

  it('cancelled during a hosted tool call: the socket closes and the session stays valid', async () => {
    const session = new MemorySession();
    // Cut after the web search started searching (frames: created, in_progress, 6 of the reasoning item, then the call's added, in_progress, searching).
    fx.server.enqueue({ fixture: 'openai-responses-web-search.sse', fixtureFrames: 11, fault: { kind: 'hang' } }, { text: 'Hi.' });
    const cancel$ = new Subject<string>();
    const a = agent(model('gpt-5'), { tools: [], hostedTools: [webSearchTool()] });
    const { result } = await runAll(
      run(a, 'Good news today?', { session, cancel$ }).pipe(
        tap((e) => {
          if (e.type === 'model.event' && (e.event as { type: string }).type === 'response.web_search_call.searching') cancel$.next('user stopped');
        }),
      ),
    );
    expect(result.status).toBe('cancelled');
    expect(kinds(result)).toEqual(['reasoning']);
    const request = fx.server.requests[0]!;
    await request.closed;
    expect(request.closedByClient).toBe(true);
    const next = await runAll(run(a, 'Anything else?', { session }));
    expect(next.result.status).toBe('completed');
    expect(fx.server.requests[1]!.status).toBe(200);
    // The reasoning item lost the item that followed it: it is not sent back.
    expect(inputTypes(fx.server.requests[1]!.body)).toEqual(['message', 'message']);
  });
});

describe("continuation with previous_response_id", () => {
  it('sends only what is new since the last stored response: request size does not grow with the conversation', async () => {
    const session = new MemorySession();
    const m = model('gpt-4.1', { continuation: 'previous_response_id' });
    const turns = 6;
    for (let i = 0; i < turns; i++) fx.server.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: `City ${i}` } }] }, { text: `Answer ${i}.` });
    for (let i = 0; i < turns; i++) {
      const { result } = await runAll(run(agent(m), `Question ${i}?`, { session }));
      expect(result.status).toBe('completed');
    }
    const requests = fx.server.requests;
    expect(requests.every((r) => r.status === 200)).toBe(true);
    expect(requests[0]!.body.previous_response_id).toBeUndefined();
    expect(requests[0]!.body.store).toBe(true);
    for (let i = 1; i < requests.length; i++) {
      expect(requests[i]!.body.previous_response_id).toBe(`resp_${i}`);
      expect(requests[i]!.body.input).toHaveLength(1);
    }
    expect(requests[1]!.body.input).toEqual([{ type: 'function_call_output', call_id: 'call_1_1', output: '18°C in City 0' }]);
    expect(requests[2]!.body.input).toEqual([{ role: 'user', content: 'Question 1?' }]);
  });

  it.each([
    ['spreads the request', (request: ModelRequest, input: readonly InputItem[]): ModelRequest => ({ ...request, input })],
    ['assigns its input', (request: ModelRequest, input: readonly InputItem[]): ModelRequest => {
      (request as { input: readonly InputItem[] }).input = input;
      return request;
    }],
    ['redefines its input', (request: ModelRequest, input: readonly InputItem[]): ModelRequest => Object.defineProperty(request, 'input', { value: input })],
  ] as const)('a model wrapper that %s to add to it: the continued request sends what the wrapper gave, not the run\'s own input', async (_how, reshape) => {
    const session = new MemorySession();
    const inner = model('gpt-4.1', { continuation: 'previous_response_id' });
    const reminder: InputItem = { role: 'developer', content: 'Answer in one line.' };
    const wrapper: Model = {
      provider: inner.provider,
      modelName: inner.modelName,
      stream: (request) => inner.stream(reshape(request, [...request.input, reminder])),
    };
    fx.server.enqueue({ text: 'Hello.' }, { text: 'Fine.' });
    await runAll(run(agent(inner), 'Hi', { session }));
    const { result } = await runAll(run(new Agent({ name: 'Assistant', model: wrapper }), 'How are you?', { session }));
    expect(result.status).toBe('completed');
    const second = fx.server.requests[1]!;
    expect(second.status).toBe(200);
    expect(second.body.previous_response_id).toBe('resp_1');
    expect(second.body.input).toEqual([{ role: 'user', content: 'How are you?' }, reminder]);
  });

  it('an aborted turn is not trusted to be stored: its call, answered, is sent again and the chain goes on', async () => {
    const session = new MemorySession();
    const m = model('gpt-4.1', { continuation: 'previous_response_id' });
    fx.server.enqueue({ text: 'Hello.' }, { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }], fault: { kind: 'hang' } });
    await runAll(run(agent(m), 'Hi', { session }));
    const cancel$ = new Subject<string>();
    const cut = await runAll(
      run(agent(m), 'Weather in Oslo?', { session, cancel$ }).pipe(
        tap((e) => {
          if (e.type === 'item.created' && e.item.type === 'tool_call') cancel$.next('user stopped');
        }),
      ),
    );
    expect(cut.result.status).toBe('cancelled');
    fx.server.enqueue({ text: 'Never mind then.' }, { text: 'Bye.' });
    await runAll(run(agent(m), 'Forget it.', { session }));
    await runAll(run(agent(m), 'Bye', { session }));
    const [, , third, fourth] = fx.server.requests;
    expect(third!.status).toBe(200);
    // Continues the last stored response (the first), and answers the cut-off call before the new input.
    expect(third!.body.previous_response_id).toBe('resp_1');
    expect(inputTypes(third!.body)).toEqual(['message', 'function_call', 'function_call_output', 'message']);
    expect(fourth!.status).toBe(200);
    expect(fourth!.body.previous_response_id).toBe('resp_3');
    expect(fourth!.body.input).toEqual([{ role: 'user', content: 'Bye' }]);
  });

  it('a Conversations API conversation: each request sends only what is new, an aborted turn included', async () => {
    const session = new MemorySession();
    const conversation = await fx.client().conversations.create({});
    const m = model('gpt-4.1', { continuation: { conversation: conversation.id } });
    fx.server.enqueue({ text: 'Hello.' }, { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }], fault: { kind: 'hang' } });
    await runAll(run(agent(m), 'Hi', { session }));
    const cancel$ = new Subject<string>();
    await runAll(
      run(agent(m), 'Weather in Oslo?', { session, cancel$ }).pipe(
        tap((e) => {
          if (e.type === 'item.created' && e.item.type === 'tool_call') cancel$.next('user stopped');
        }),
      ),
    );
    fx.server.enqueue({ text: 'Never mind then.' }, { text: 'Bye.' });
    await runAll(run(agent(m), 'Forget it.', { session }));
    await runAll(run(agent(m), 'Bye', { session }));
    const [, first, , third, fourth] = fx.server.requests;
    expect(fx.server.requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    for (const request of [first, third, fourth]) {
      expect(request!.body.conversation).toBe(conversation.id);
      expect(request!.body.previous_response_id).toBeUndefined();
    }
    expect(first!.body.input).toEqual([{ role: 'user', content: 'Hi' }]);
    expect(inputTypes(third!.body)).toEqual(['message', 'function_call', 'function_call_output', 'message']);
    expect(fourth!.body.input).toEqual([{ role: 'user', content: 'Bye' }]);
  });
});
