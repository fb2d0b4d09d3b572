import { firstValueFrom } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { Agent, ModelError, run, toResult } from '../../lib/index.js';
import { OpenAIChatCompletionsModel } from '../../lib/providers/openai/openai-chat-completions-model.js';
import { openAIModelProvider } from '../../lib/providers/openai/openai-model-provider.js';
import { OpenAIResponsesModel } from '../../lib/providers/openai/openai-responses-model.js';
import { collect, failure, modelRequest } from '../support/model-events.js';
import { useOpenAIServer } from '../support/use-openai-server.js';

const fx = useOpenAIServer();

describe('openAIModelProvider', () => {
  it('makes Responses models by default, Chat Completions models on request, one per name', () => {
    const client = fx.client();
    const responses = openAIModelProvider({ client });
    expect(responses('gpt-test')).toBeInstanceOf(OpenAIResponsesModel);
    expect(responses('gpt-test')).toBe(responses('gpt-test'));
    expect(responses('other').modelName).toBe('other');
    const chat = openAIModelProvider({ client, api: 'chat_completions' });
    expect(chat('gpt-test')).toBeInstanceOf(OpenAIChatCompletionsModel);
  });

  it.each(['responses', 'chat_completions'] as const)('resolves an agent whose model is a string (%s)', async (api) => {
    fx.server.enqueue({ text: 'Hello from the server.' });
    const agent = new Agent({ name: 'Assistant', model: 'gpt-by-name' });
    const result = await firstValueFrom(run(agent, 'Hi', { modelProvider: openAIModelProvider({ client: fx.client(), api }) }).pipe(toResult()));
    expect(result.finalOutput).toBe('Hello from the server.');
    expect(fx.server.requests[0]!.body.model).toBe('gpt-by-name');
  });

  it('creates one default client lazily, from the environment, shared by its models', async () => {
    vi.stubEnv('OPENAI_API_KEY', undefined);
    vi.stubEnv('OPENAI_BASE_URL', `${fx.server.url}/v1`);
    try {
      const provider = openAIModelProvider();
      const a = provider('a');
      fx.server.enqueue({ text: 'one' }, { text: 'two' });
      // Not created with the provider nor the model: the key set now is the one used.
      vi.stubEnv('OPENAI_API_KEY', 'sk-from-env');
      await collect(a.stream(modelRequest()));
      // Created on the first stream: a later environment change does not reach the shared client.
      vi.stubEnv('OPENAI_API_KEY', 'sk-changed');
      await collect(provider('b').stream(modelRequest()));
      expect(fx.server.requests.map((r) => r.headers['authorization'])).toEqual(['Bearer sk-from-env', 'Bearer sk-from-env']);
      expect(provider('a').serverAddress).toBe('127.0.0.1');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('can be built without an API key; streaming then fails with a ModelError', async () => {
    vi.stubEnv('OPENAI_API_KEY', undefined);
    try {
      const model = openAIModelProvider()('gpt-test');
      expect(model.serverAddress).toBe('api.openai.com');
      expect(await failure(model.stream(modelRequest()))).toBeInstanceOf(ModelError);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
