import type { WireEvent } from '../events/event-codec.js';

/**
 * An event's JSON. A text delta, most of a run's events, is written from its three
 * fields, its strings quoted by hand when nothing in them needs escaping: a third
 * of the cost of stringifying the object, on every delta of every stream. The
 * same text as `JSON.stringify(event)` for any event.
 * @internal
 */
export function eventJson(event: WireEvent): string {
  const { delta, agent } = event;
  if (event.type !== 'text.delta' || typeof delta !== 'string' || typeof agent !== 'string' || !deltaFieldsOnly(event)) return JSON.stringify(event);
  return `{"type":"text.delta","delta":${quoted(delta)},"agent":${quoted(agent)}}`;
}

/** Whether the event's fields are `type`, `delta` and `agent`, in that order (as `encodeEvent` writes a delta). */
function deltaFieldsOnly(event: WireEvent): boolean {
  let n = 0;
  for (const key in event) {
    if (key !== (n === 0 ? 'type' : n === 1 ? 'delta' : n === 2 ? 'agent' : undefined)) return false;
    n++;
  }
  return n === 3;
}

/** A string as JSON: as it is between quotes when JSON would not escape any of it. */
function quoted(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Control characters, `"`, `\`, and surrogates (JSON escapes the lone ones).
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(text);
  }
  return `"${text}"`;
}
