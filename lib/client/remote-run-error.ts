import { AgentsError } from '../errors/agents-error.js';

/**
 * A remote run could not be started, read or controlled: the server refused a
 * request (`status` and `code` say why) or could not be reached.
 */
export class RemoteRunError extends AgentsError {
  constructor(
    message: string,
    options: { cause?: unknown; status?: number; code?: string; retryable?: boolean } = {},
  ) {
    super(message, options);
    this.status = options.status;
    this.code = options.code;
    this.retryable = options.retryable ?? false;
  }
  /** The HTTP status of the refusal; undefined when the server was not reached. */
  readonly status: number | undefined;
  /** The server's error code (`not_found`, `unauthorized`, `bad_request`…). */
  readonly code: string | undefined;
  /** True for failures that a new connection may get past (network errors, 5xx, a stream cut short). */
  readonly retryable: boolean;
}

/** The error a refused HTTP response stands for, from its `{ error: { code, message } }` body. */
export async function responseError(response: Response): Promise<RemoteRunError> {
  let body: { error?: { code?: unknown; message?: unknown } } | undefined;
  try {
    body = (await response.json()) as typeof body;
  } catch {
    body = undefined;
  }
  const message = typeof body?.error?.message === 'string' ? body.error.message : `HTTP ${response.status}`;
  const code = typeof body?.error?.code === 'string' ? body.error.code : undefined;
  return new RemoteRunError(`The server refused the request (${response.status}): ${message}`, {
    status: response.status,
    ...(code ? { code } : {}),
    retryable: response.status >= 500,
  });
}
