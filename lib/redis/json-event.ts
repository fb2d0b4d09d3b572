import type { StreamEvent } from '../events/stream-event.js';

/**
 * An event as JSON text for another process: errors become `{ name, message }`
 * (no stack), functions (approve / reject) are dropped.
 */
export function toJsonEvent(event: StreamEvent<unknown>): string {
  return JSON.stringify(event, (_key, value: unknown) =>
    value instanceof Error ? { name: value.name, message: value.message } : value,
  );
}

/** An event from {@link toJsonEvent}, with its error made an `Error` again. */
export function fromJsonEvent(text: string): StreamEvent<unknown> {
  const event = JSON.parse(text) as StreamEvent<unknown>;
  if (event.type !== 'run.updated' || !event.error) return event;
  const { name, message } = event.error as { name?: string; message?: string };
  const error = new Error(message ?? 'The run failed.');
  if (name) error.name = name;
  return { ...event, error };
}
