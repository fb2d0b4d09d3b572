import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import OpenAI from 'openai';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelEvent, ModelRequest } from '../../lib/index.js';
import { OpenAIChatCompletionsModel } from '../../lib/providers/openai/openai-chat-completions-model.js';
import { OpenAIResponsesModel } from '../../lib/providers/openai/openai-responses-model.js';

/**
 * The providers read the response body themselves (not through the client's `Stream`):
 * however the bytes of a recorded stream are cut into TCP reads (inside a line, inside a
 * UTF-8 character, between `\r` and `\n`), with `\n` or `\r\n` line ends, the model
 * events are the same as from the stream sent in one piece.
 */
const fixtures = {
  responses: readFileSync(new URL('./fixtures/openai-responses-answer.sse', import.meta.url), 'utf8'),
  chat: readFileSync(new URL('./fixtures/deepseek-reasoner-answer.sse', import.meta.url), 'utf8'),
};

/** What the server sends next: the body's bytes and where to cut them. */
let next: { body: Buffer; cuts: number[] } = { body: Buffer.alloc(0), cuts: [] };
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      const { body, cuts } = next;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let from = 0;
      for (const cut of [...cuts, body.length]) {
        res.write(body.subarray(from, cut));
        from = cut;
        // A write of its own reaches the client as a read of its own (no delay on the socket).
        await new Promise((resolve) => setImmediate(resolve));
      }
      res.end();
    });
  });
  server.on('connection', (socket) => socket.setNoDelay(true));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const request: ModelRequest = { input: [{ role: 'user', content: 'Weather?' }], tools: [], settings: {} };

function modelFor(api: keyof typeof fixtures) {
  const client = new OpenAI({ baseURL: `${origin}/v1`, apiKey: 'test', maxRetries: 0 });
  return api === 'responses' ? new OpenAIResponsesModel({ client, model: 'gpt-4.1' }) : new OpenAIChatCompletionsModel({ client, model: 'deepseek-reasoner' });
}

function eventsOf(api: keyof typeof fixtures, body: Buffer, cuts: number[]): Promise<ModelEvent[]> {
  next = { body, cuts };
  return lastValueFrom(modelFor(api).stream(request).pipe(toArray()));
}

describe('streamed responses cut anywhere', () => {
  it('give the same model events as in one piece, with either line end', async () => {
    const whole = {
      responses: await eventsOf('responses', Buffer.from(fixtures.responses), []),
      chat: await eventsOf('chat', Buffer.from(fixtures.chat), []),
    };
    // The baseline is a stream that completed with text (° is two bytes in UTF-8).
    expect(whole.responses.filter((e) => e.type === 'text.delta').map((e) => (e as { delta: string }).delta).join('')).toContain('18°C');
    expect(whole.chat.filter((e) => e.type === 'text.delta').map((e) => (e as { delta: string }).delta).join('')).toContain('24°C');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<keyof typeof fixtures>('responses', 'chat'),
        fc.boolean(),
        fc.uniqueArray(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 }),
        fc.uniqueArray(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 10 }),
        async (api, crlf, anywhere, inside) => {
          const body = Buffer.from(crlf ? fixtures[api].replace(/\n/g, '\r\n') : fixtures[api]);
          // Where a cut hides bugs: inside a UTF-8 character (before a continuation byte), between \r and \n.
          const tricky = [...body.keys()].filter((i) => (body[i]! & 0xc0) === 0x80 || body[i - 1] === 13);
          const at = [...anywhere.map((f) => Math.floor(f * body.length)), ...inside.map((f) => tricky[Math.floor(f * tricky.length)]!)];
          const cuts = [...new Set(at)].filter((c) => c > 0 && c < body.length).sort((a, b) => a - b);
          expect(await eventsOf(api, body, cuts)).toEqual(whole[api]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
