/**
 * What the test server answers, independent of the wire format: the same script
 * plays as Responses events on `/v1/responses` and as chat chunks on
 * `/v1/chat/completions`.
 * @module
 */

/** A tool call the scripted model makes. */
export interface ServerToolCall {
  readonly name: string;
  /** An object (sent as JSON) or the exact argument text. */
  readonly arguments?: unknown;
  readonly callId?: string;
  /** How many deltas the arguments are streamed in. Default 3. */
  readonly pieces?: number;
}

/** Usage to report; estimated from the request and the text when omitted. */
export interface ServerUsage {
  readonly input?: number;
  readonly output?: number;
  readonly cached?: number;
  readonly reasoning?: number;
}

/** How a scripted response goes wrong. Every fault but `http` happens after the scripted content. */
export type ServerFault =
  /** Answer with this status and an OpenAI error body, no stream. */
  | { readonly kind: 'http'; readonly status: number; readonly message?: string; readonly code?: string; readonly retryAfterMs?: number }
  /** Destroy the socket mid-stream. */
  | { readonly kind: 'drop' }
  /** Send an event whose data is not JSON. */
  | { readonly kind: 'malformed' }
  /** Responses: a `response.failed` event. Chat: an error chunk. */
  | { readonly kind: 'failed'; readonly message?: string; readonly code?: string }
  /** Responses: an `error` event. Chat: an error chunk. */
  | { readonly kind: 'error_event'; readonly message?: string; readonly code?: string }
  /** Responses: `response.incomplete`. Chat: finish_reason `length`. */
  | { readonly kind: 'incomplete'; readonly reason?: 'max_output_tokens' | 'content_filter' }
  /** End the stream without completing the response. */
  | { readonly kind: 'end' }
  /** Send nothing more and keep the connection open until the client closes it. */
  | { readonly kind: 'hang' };

/** One scripted response. */
export interface ServerTurn {
  /**
   * Replay a recorded stream instead of generating one: the name of a file in
   * `spec/providers/fixtures/`, whose SSE frames are written as they are (paced
   * by `delayMs`). A `fault` of kind `drop` or `hang` applies after the frames.
   */
  readonly fixture?: string;
  /** With `fixture`: write only this many frames (comments not counted), then the fault. */
  readonly fixtureFrames?: number;
  /** Answer text: one string (streamed word by word) or the exact chunks. */
  readonly text?: string | readonly string[];
  /** A refusal: one string or the exact chunks. */
  readonly refusal?: string | readonly string[];
  /** A reasoning summary (Responses only): one string or the exact chunks. */
  readonly reasoning?: string | readonly string[];
  /** The reasoning item's `encrypted_content` (Responses only). */
  readonly encryptedReasoning?: string;
  readonly toolCalls?: readonly ServerToolCall[];
  readonly usage?: ServerUsage;
  /** Delay before each delta. */
  readonly delayMs?: number;
  readonly fault?: ServerFault;
  /** Model name reported; default: the requested one. */
  readonly model?: string;
}

/** Splits a string into word chunks, or keeps the given chunks. */
export function chunksOf(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  if (typeof value !== 'string') return [...value];
  return value.match(/\s*\S+\s*/g) ?? [value];
}

/** Splits a text into `n` pieces of about equal length (at least one piece). */
export function piecesOf(text: string, n: number): string[] {
  const count = Math.max(1, Math.min(n, text.length));
  const size = Math.ceil(text.length / count);
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces.length ? pieces : [''];
}

/** The argument text of a scripted tool call. */
export function argumentsText(call: ServerToolCall): string {
  return typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {});
}
