import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, run, setDefaultModelProvider, toResult, UserError } from '../../lib/index.js';
import { openAIModelProvider } from '../../lib/openai/index.js';
import { useOpenAIServer } from '../support/use-openai-server.js';

const fx = useOpenAIServer();
const saved = { key: process.env['OPENAI_API_KEY'], url: process.env['OPENAI_BASE_URL'] };

beforeAll(() => {
  // The default client reads these when first used.
  process.env['OPENAI_API_KEY'] = 'test-key';
  process.env['OPENAI_BASE_URL'] = `${fx.server.url}/v1`;
});
afterAll(() => {
  for (const [name, value] of [['OPENAI_API_KEY', saved.key], ['OPENAI_BASE_URL', saved.url]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('an agent whose model is a string', () => {
  it('fails the run with a UserError naming the fix when no provider is set', async () => {
    const error = await firstValueFrom(run(new Agent({ name: 'A', model: 'gpt-test-mini' }), 'hi').pipe(toResult())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/"gpt-test-mini".*setDefaultModelProvider\(openAIModelProvider\(\)\).*'rxjs-agents\/openai'/);
    expect(fx.server.requests).toEqual([]);
  });

  it('runs on the Responses API with the default client once openAIModelProvider() is the default', async () => {
    fx.server.enqueue({ text: 'Hello from the default client.' });
    setDefaultModelProvider(openAIModelProvider());
    const result = await firstValueFrom(run(new Agent({ name: 'A', model: 'gpt-test-mini' }), 'hi').pipe(toResult())).finally(() =>
      setDefaultModelProvider(undefined),
    );
    expect(result.finalOutput).toBe('Hello from the default client.');
    const request = fx.server.requests[0]!;
    expect(request.path).toBe('/v1/responses');
    expect(request.body.model).toBe('gpt-test-mini');
    expect(request.body.stream).toBe(true);
    expect(request.headers.authorization).toBe('Bearer test-key');
  });
});
