import { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { readSseJson } from '../../lib/providers/openai/read-sse-json.js';
import { readSse } from '../../lib/util/read-sse.js';

/** A body of these chunks (strings as UTF-8, or bytes), that records whether it was cancelled and how far it was read. */
function body(chunks: readonly (string | Uint8Array)[], { endless = false } = {}) {
  const seen = { cancelled: false, pulled: 0 };
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[seen.pulled++];
      if (chunk !== undefined) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      else if (endless) controller.enqueue(encoder.encode(': ping\n\n'));
      else controller.close();
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

async function messages(chunks: readonly (string | Uint8Array)[]) {
  const got: { event?: string; data: string }[] = [];
  await readSse(body(chunks).stream, ({ event, data }) => got.push(event ? { event, data } : { data })).done;
  return got;
}

describe('readSse', () => {
  it('ends lines at \\r, \\n or \\r\\n, also at the very end of the body, and joins data lines', async () => {
    expect(await messages(['data: 1\r\rdata: 2\r\r'])).toEqual([{ data: '1' }, { data: '2' }]);
    expect(await messages(['data: 1\r', '\r', 'data: 2\r', '\r'])).toEqual([{ data: '1' }, { data: '2' }]);
    expect(await messages(['data: 1\r\n\r\nevent: e\ndata: a\ndata: b\n\n'])).toEqual([{ data: '1' }, { event: 'e', data: 'a\nb' }]);
    // No blank line after the last event: it is not dispatched (as in EventSource, and as openai's Stream).
    expect(await messages(['data: 1\n\ndata: 2\n'])).toEqual([{ data: '1' }]);
  });

  it('skips events without data, and comments', async () => {
    expect(await messages(['event: ping\n\n: keep-alive\n\ndata: 1\n\n'])).toEqual([{ data: '1' }]);
  });

  it('decodes a character cut between chunks, and a body cut inside one as U+FFFD', async () => {
    const globe = new TextEncoder().encode('data: 🌍\n\n');
    expect(await messages([globe.subarray(0, 8), globe.subarray(8)])).toEqual([{ data: '🌍' }]);
    expect(await messages([new TextEncoder().encode('data: 🌍').subarray(0, 8), '\n\n'])).toEqual([{ data: '\ufffd' }]);
  });

  it('a cancel returns at once and cancels the body, even one that would go on forever', async () => {
    const { stream, seen } = body(['data: 1\n\ndata: 2\n\n'], { endless: true });
    const got: string[] = [];
    const reading = readSse(stream, ({ data }) => {
      got.push(data);
      reading.cancel();
    });
    await reading.done;
    expect(got).toEqual(['1']);
    expect(seen.cancelled).toBe(true);
  });

  it('what the handler throws rejects, and the body is cancelled', async () => {
    const { stream, seen } = body(['data: 1\n\ndata: 2\n\n'], { endless: true });
    await expect(
      readSse(stream, () => {
        throw new RangeError('no');
      }).done,
    ).rejects.toThrow(RangeError);
    expect(seen.cancelled).toBe(true);
  });

  it('a body read to its end is not cancelled', async () => {
    const { stream, seen } = body(['data: 1\n\n']);
    await readSse(stream, () => undefined).done;
    expect(seen.cancelled).toBe(false);
  });
});

describe('readSseJson', () => {
  const response = (chunks: string[]) => new Response(body(chunks).stream, { headers: { 'x-request-id': 'req_1' } });
  const read = async (chunks: string[]) => {
    const got: unknown[] = [];
    await readSseJson(response(chunks), (data) => got.push(data)).done;
    return got;
  };

  it('parses each event, and stops at [DONE] whatever follows', async () => {
    expect(await read(['data: {"a":1}\n\ndata: [DONE]\n\ndata: {"b":2}\n\ndata: not json\n\n'])).toEqual([{ a: 1 }]);
  });

  it('data with an error is the server failing (APIError); data that is not JSON, a SyntaxError', async () => {
    const failure = await read(['data: {"a":1}\n\ndata: {"error":{"message":"The model crashed."}}\n\n']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).error).toEqual({ message: 'The model crashed.' });
    await expect(read(['data: {"a":\n\n'])).rejects.toThrow(SyntaxError);
  });
});
