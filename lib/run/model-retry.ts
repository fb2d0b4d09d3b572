import { ModelError } from '../errors/agents-error.js';
import type { ModelRetryOptions } from './run-options.js';

/**
 * How long to wait before retrying a failed model call, or undefined when it
 * must not be retried: not a transient failure (HTTP 408, 409, 429, 5xx, a lost
 * connection), or no retries left. A server's `retry-after` wins when longer.
 */
export function retryDelay(error: unknown, attempt: number, options: ModelRetryOptions = {}): number | undefined {
  const { maxRetries = 2, initialDelayMs = 500, maxDelayMs = 8000 } = options;
  if (attempt > maxRetries || !isTransient(error)) return undefined;
  const backOff = Math.min(initialDelayMs * 2 ** (attempt - 1), maxDelayMs);
  const asked = retryAfterMs(error as ModelError);
  return asked === undefined ? backOff : Math.min(Math.max(asked, backOff), maxDelayMs);
}

function isTransient(error: unknown): boolean {
  if (!(error instanceof ModelError)) return false;
  const status = error.status;
  if (status !== undefined) return status === 408 || status === 409 || status === 429 || status >= 500;
  const cause = (error.cause as { name?: unknown } | undefined)?.name;
  return cause === 'APIConnectionError' || cause === 'APIConnectionTimeoutError';
}

/** The server's `retry-after-ms` or `retry-after` (seconds), when the error carries its headers. */
function retryAfterMs(error: ModelError): number | undefined {
  const headers = (error.cause as { headers?: { get?: (name: string) => string | null } } | undefined)?.headers;
  if (typeof headers?.get !== 'function') return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const seconds = Number(headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}
