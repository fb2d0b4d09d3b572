/** One thing the server does while streaming a response. */
export type WireStep =
  /** Write an SSE frame; `paced` frames wait the turn's delay first. */
  | { readonly kind: 'send'; readonly frame: string; readonly paced?: boolean }
  /** Destroy the socket. */
  | { readonly kind: 'drop' }
  /** Write nothing more and leave the response open. */
  | { readonly kind: 'hang' };

/** A JSON value as the tests read it. */
export type Json = any;

/** An SSE frame with an event name. */
export function namedFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** An SSE frame with data only. */
export function dataFrame(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

/** A rough token count, for usage nobody scripted. */
export function estimateTokens(value: unknown): number {
  return Math.ceil((typeof value === 'string' ? value : JSON.stringify(value ?? '')).length / 4);
}
