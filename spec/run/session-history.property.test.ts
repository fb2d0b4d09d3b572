import fc from 'fast-check';
import { firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  type InputItem,
  MemorySession,
  type ModelRequest,
  type RunResult,
  ScriptedModel,
  type ScriptedTurn,
  type Session,
  run,
  toResult,
  tool,
} from '../../lib/index.js';
import { propertyRuns } from '../helpers/property-runs.js';

/** A session that copies on every read and write: the plain `getItems` path, as a reference. */
class CopyingSession implements Session {
  private items: InputItem[] = [];
  getItems(): Promise<readonly InputItem[]> {
    return Promise.resolve([...this.items]);
  }
  addItems(items: readonly InputItem[]): Promise<void> {
    this.items = [...this.items, ...items];
    return Promise.resolve();
  }
  clear(): Promise<void> {
    this.items = [];
    return Promise.resolve();
  }
}

type Step =
  | { readonly kind: 'run'; readonly calls: number; readonly note: boolean; readonly readAtOnce: boolean }
  | { readonly kind: 'clear' }
  | { readonly kind: 'add'; readonly text: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('run' as const), calls: fc.nat({ max: 2 }), note: fc.boolean(), readAtOnce: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add' as const), text: fc.string({ maxLength: 3 }) }) },
);

/**
 * Plays the steps on a session: runs (some with tool calls, some whose tool writes to the
 * session while the run goes on), clears, writes from elsewhere. Returns every model request
 * and every result, whose history and input are read only when the caller reads them.
 */
async function play(session: Session, steps: readonly Step[]): Promise<{ requests: readonly ModelRequest[]; results: RunResult[] }> {
  const note = tool({
    name: 'note',
    description: 'writes to the session itself',
    parameters: z.object({ text: z.string() }),
    execute: async ({ text }) => {
      await session.addItems([{ role: 'user', content: `note ${text}` }]);
      return 'noted';
    },
  });
  const usage = { inputTokens: 1, outputTokens: 1, totalTokens: 2 };
  const turns: ScriptedTurn[] = [];
  for (const [i, s] of steps.entries()) {
    if (s.kind !== 'run') continue;
    for (let c = 0; c < s.calls; c++) turns.push({ toolCalls: [{ name: s.note ? 'note' : 'echo', arguments: { text: `${i}.${c}` } }], usage });
    turns.push({ text: `answer ${i}`, usage });
  }
  const model = new ScriptedModel({ turns });
  const echo = tool({ name: 'echo', description: 'echoes', parameters: z.object({ text: z.string() }), execute: ({ text }) => text });
  const agent = new Agent({ name: 'A', model, tools: [echo, note] });
  const results: RunResult[] = [];
  for (const [i, s] of steps.entries()) {
    if (s.kind === 'clear') await session.clear();
    else if (s.kind === 'add') await session.addItems([{ role: 'user', content: s.text }]);
    else {
      const result = await firstValueFrom(run(agent, `question ${i}`, { session }).pipe(toResult()));
      if (s.readAtOnce) void result.history.length;
      results.push(result);
    }
  }
  return { requests: model.requests, results };
}

describe('a run reads a MemorySession without copying it', () => {
  it('its model inputs and its result histories are what a session read by copies gives, however late they are read', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), fc.array(fc.string({ maxLength: 2 }), { maxLength: 3 }), async (steps, initial) => {
        const memory = new MemorySession(undefined, initial.map((text) => ({ role: 'user', content: text })));
        const copying = new CopyingSession();
        await copying.addItems(initial.map((text) => ({ role: 'user', content: text })));
        const viewed = await play(memory, steps);
        const copied = await play(copying, steps);
        // Read only now, after every later run and write.
        expect(viewed.requests.map((r) => r.input)).toEqual(copied.requests.map((r) => r.input));
        expect(viewed.results.map((r) => r.history)).toEqual(copied.results.map((r) => r.history));
        expect(await memory.getItems()).toEqual(await copying.getItems());
      }),
      { numRuns: Math.ceil(propertyRuns / 5) },
    );
  });
});
