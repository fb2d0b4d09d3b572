import OpenAI, { type ClientOptions } from 'openai';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { OpenAIServer } from './openai-server.js';

/** The server of a test file, and clients for it. */
export interface OpenAIServerFixture {
  /** The running server (available once `beforeAll` has run). */
  readonly server: OpenAIServer;
  /** A real `openai` client for the server: no retries, short timeout, no logging, unless overridden. */
  client(options?: ClientOptions): OpenAI;
}

/**
 * Starts an {@link OpenAIServer} for the test file (`beforeAll`), resets it after
 * each test (queue, records, hung responses) and stops it, closing every
 * socket, at the end (`afterAll`).
 */
export function useOpenAIServer(): OpenAIServerFixture {
  let server: OpenAIServer | undefined;
  beforeAll(async () => {
    server = await OpenAIServer.start();
  });
  afterEach(() => server?.reset());
  afterAll(async () => {
    await server?.stop();
  });
  const running = (): OpenAIServer => {
    if (!server) throw new Error('The OpenAI test server is not running yet (use it inside tests).');
    return server;
  };
  return {
    get server() {
      return running();
    },
    client: (options) => testClient(running(), options),
  };
}

/** A real `openai` client for a test server. */
export function testClient(server: OpenAIServer, options: ClientOptions = {}): OpenAI {
  return new OpenAI({ apiKey: 'test', baseURL: `${server.url}/v1`, maxRetries: 0, timeout: 5_000, logLevel: 'off', ...options });
}
