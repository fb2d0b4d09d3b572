import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { ModelError } from '../../errors/agents-error.js';

/** Which OpenAI API a request went to, for error messages. */
export type OpenAIApiName = 'Responses' | 'Chat Completions';

/** How far a request got when it failed: waiting for the response, or reading its stream. */
export type RequestPhase = 'request' | 'stream';

/**
 * Turns whatever an OpenAI request threw into a {@link ModelError}: HTTP errors keep
 * their status, code and the server's message; connection failures, streams cut
 * off by the server and malformed stream data get a clear message, with the
 * original error as `cause`.
 */
export function toModelError(error: unknown, api: OpenAIApiName, phase: RequestPhase): ModelError {
  if (error instanceof ModelError) return error;
  if (error instanceof APIUserAbortError || is(error, 'APIUserAbortError')) {
    return new ModelError(`The OpenAI ${api} request was aborted.`, { cause: error });
  }
  if (error instanceof APIConnectionTimeoutError || is(error, 'APIConnectionTimeoutError')) {
    return new ModelError(`The OpenAI ${api} request timed out.`, { cause: error });
  }
  if (error instanceof APIConnectionError || is(error, 'APIConnectionError')) {
    return new ModelError(`Could not reach the OpenAI ${api} API: ${describe(error.cause) ?? error.message}`, { cause: error });
  }
  if (error instanceof APIError || isAPIErrorLike(error)) {
    const message = serverMessage(error);
    const code = typeof error.code === 'string' ? error.code : undefined;
    if (error.status !== undefined) {
      return new ModelError(`The OpenAI ${api} API answered HTTP ${error.status}: ${message}`, {
        cause: error,
        status: error.status,
        code,
      });
    }
    return new ModelError(`The OpenAI ${api} stream reported an error: ${message}`, { cause: error, code });
  }
  if (error instanceof SyntaxError && phase === 'stream') {
    return new ModelError(`The OpenAI ${api} stream sent malformed data (not JSON): ${error.message}`, { cause: error });
  }
  const detail = describe(error) ?? String(error);
  if (phase === 'stream') {
    return new ModelError(`The OpenAI ${api} stream was cut off before it finished: ${detail}`, { cause: error });
  }
  return new ModelError(`The OpenAI ${api} request failed: ${detail}`, { cause: error });
}

/** The server's own message from an error body, without the status prefix the client adds. */
function serverMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : error.message;
}

/** An error's message followed by its causes' messages: `terminated (other side closed)`. */
function describe(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const messages: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e.message && !messages.includes(e.message)) messages.push(e.message);
  }
  const [first, ...rest] = messages;
  if (first === undefined) return error.name;
  return rest.length ? `${first} (${rest.join(': ')})` : first;
}

// A client the user brings may come from another major version of `openai`, whose
// error classes are not ours: recognize them by name and shape as well.
function is(error: unknown, className: string): error is Error {
  return error instanceof Error && error.constructor.name === className;
}

function isAPIErrorLike(error: unknown): error is APIError {
  return error instanceof Error && 'status' in error && 'headers' in error && 'error' in error;
}
