import type { WireEvent } from '../events/event-codec.js';

/**
 * An event's SSE frame: `id:` its log id, `data:` its JSON. A text delta, most of a
 * run's events, is written from its three fields in one concatenation, its strings
 * between quotes as they are when JSON would not escape them: no string of the
 * JSON alone or of each field is made on the way, on every delta of every stream.
 * The JSON is the text `JSON.stringify(event)` writes, for any event.
 * @internal
 */
export function eventFrame(id: string, event: WireEvent): string {
  const { delta, agent } = event;
  if (event.type === 'text.delta' && typeof delta === 'string' && typeof agent === 'string' && plain(agent) && deltaFieldsOnly(event)) {
    if (plain(delta)) return 'id: ' + id + '\ndata: {"type":"text.delta","delta":"' + delta + '","agent":"' + agent + '"}\n\n';
    return 'id: ' + id + '\ndata: {"type":"text.delta","delta":' + JSON.stringify(delta) + ',"agent":"' + agent + '"}\n\n';
  }
  return 'id: ' + id + '\ndata: ' + JSON.stringify(event) + '\n\n';
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

/** Whether JSON writes the string as it is between quotes (nothing in it is escaped). */
function plain(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Control characters, `"`, `\`, and surrogates (JSON escapes the lone ones).
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}
