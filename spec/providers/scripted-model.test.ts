import { firstValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Agent, MemorySession, run, ScriptedModel, toResult, type ModelEvent, type ModelRequest } from '../../lib/index.js';

const estimate = (request: ModelRequest) => Math.ceil(JSON.stringify(request.input).length / 4);

async function inputTokens(model: ScriptedModel, request: ModelRequest): Promise<number | undefined> {
  const events: ModelEvent[] = await firstValueFrom(model.stream(request).pipe(toArray()));
  const completed = events.find((e) => e.type === 'response.completed');
  return completed?.type === 'response.completed' ? completed.usage?.inputTokens : undefined;
}

describe('ScriptedModel usage estimate', () => {
  it('is a token per four characters of the input as JSON, turn after turn of a conversation', async () => {
    const model = new ScriptedModel({ turns: () => ({ text: 'An answer of a few words.' }) });
    const session = new MemorySession();
    for (const question of ['One?', 'Two, longer?', 'Three: "quoted", and ünïcode?']) {
      const result = await firstValueFrom(run(new Agent({ name: 'A', model }), question, { session }).pipe(toResult()));
      expect(result.usage.inputTokens).toBe(estimate(model.requests.at(-1)!));
    }
  });

  it('measures an input that does not continue the previous one in full', async () => {
    const model = new ScriptedModel({ turns: () => ({ text: 'ok' }) });
    const base = { tools: [], settings: {} };
    const long: ModelRequest = { ...base, input: [{ role: 'user', content: 'a'.repeat(400) }, { role: 'assistant', content: 'b' }] };
    const other: ModelRequest = { ...base, input: [{ role: 'user', content: 'c' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'd' }] };
    const shorter: ModelRequest = { ...base, input: [long.input[0]!] };
    const empty: ModelRequest = { ...base, input: [] };
    for (const request of [long, other, shorter, long, empty, other]) expect(await inputTokens(model, request)).toBe(estimate(request));
  });
});
