/** The machine-readable part of an error response. */
export type HttpErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'not_found'
  | 'method_not_allowed'
  | 'run_ended'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal_error';

/** A request refused before it reached a run; answered as `{ error: { code, message, ...details } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: HttpErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    /** More of the answer, plain strings (a run's terminal `status` for `run_ended`). */
    readonly details: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  /** The JSON answer: code, message and details only, never a stack. */
  toResponse(): Response {
    return Response.json({ error: { ...this.details, code: this.code, message: this.message } }, { status: this.status, headers: this.headers });
  }
}
