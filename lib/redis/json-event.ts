import type { StreamEvent } from '../events/stream-event.js';

/**
 * An event as plain JSON for another process: agents become `{ name }`, errors
 * `{ name, message }` (no stack), functions (approve / reject) are dropped.
 */
export function toJsonEvent(event: StreamEvent<unknown>): string {
  return JSON.stringify(event, (key, value: unknown) => {
    if (value instanceof Error) return { name: value.name, message: value.message };
    if ((key === 'agent' || key === 'lastAgent') && value && typeof value === 'object') return { name: (value as { name: string }).name };
    return value;
  });
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
