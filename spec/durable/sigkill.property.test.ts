import fc from 'fast-check';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, run, tool, type InputItem, type RunResult } from '../../lib/index.js';
import { OpenAIResponsesModel } from '../../lib/openai/index.js';
import { RedisSession } from '../../lib/redis/index.js';
import { expectPaired } from '../helpers/collect.js';
import type { RecordedRequest } from '../support/openai-server.js';
import type { ServerTurn } from '../support/server-script.js';
import { useOpenAIServer } from '../support/use-openai-server.js';
import { type ChildLine, startChild, terminal } from './child-conversation.js';
import { useRedis } from './use-redis.js';

/**
 * The server's model: after a user message it calls tools (two `slow` calls, sometimes a
 * `broken` one), then answers in slow text deltas; a conversation thus always has calls
 * in flight or text streaming at the moment a process is killed.
 */
function respond(request: RecordedRequest): ServerTurn {
  const input = (request.body as { input: { type?: string; role?: string }[] }).input;
  let sinceUser = 0;
  for (let i = input.length - 1; i >= 0 && !(input[i]!.role === 'user'); i--) if (input[i]!.type === 'function_call_output') sinceUser++;
  if (sinceUser < 2) {
    const calls = [{ name: 'slow', arguments: { n: sinceUser } }, { name: sinceUser === 1 ? 'broken' : 'slow', arguments: sinceUser === 1 ? {} : { n: 9 } }];
    return { text: 'Working on it.', toolCalls: calls, delayMs: 2 };
  }
  return { text: 'Here is the full answer, streamed word by word so that a kill can land mid-stream.', delayMs: 3 };
}

/** The tool-call batches a child reported (call ids, response by response), and the last batch with an output reported. */
function toolBatches(lines: readonly ChildLine[]): { batches: string[][]; lastWithOutput: number } {
  const batches: string[][] = [];
  let lastWithOutput = -1;
  let inCalls = false;
  for (const line of lines) {
    if (line.type !== 'item.created') continue;
    const item = line['item'] as { type: string; rawItem: { call_id?: string } };
    if (item.type === 'tool_call') {
      if (!inCalls) batches.push([]);
      inCalls = true;
      batches[batches.length - 1]!.push(item.rawItem.call_id!);
    } else if (item.type === 'tool_output' || item.type === 'handoff') {
      inCalls = false;
      lastWithOutput = batches.findIndex((b) => b.includes(item.rawItem.call_id!));
    } else {
      inCalls = false;
    }
  }
  return { batches, lastWithOutput };
}

const contents = (items: readonly InputItem[]) =>
  items.flatMap((i) => ('role' in i && i.role === 'user' && typeof i.content === 'string' ? [i.content] : []));

/** One run of an episode, in a child process: killed, cancelled, injected into, or left to finish. */
const episode = fc.record({
  /** Killed when it has reported this many lines (events), or not at all. */
  killAtLine: fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined, freq: 4 }),
  cancelAfterMs: fc.option(fc.integer({ min: 0, max: 800 }), { nil: undefined, freq: 4 }),
  injectAfterMs: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined, freq: 2 }),
  slowMs: fc.integer({ min: 0, max: 40 }),
});

describe('SIGKILL: a process killed at any point leaves a conversation another process continues', { timeout: 120_000 }, () => {
  const redis = useRedis();
  const openai = useOpenAIServer();

  it('after random kills, cancels, injects and tool failures, the next run is accepted and each input is stored at most once (exactly once when its run ended)', async () => {
    let conversation = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(episode, { minLength: 1, maxLength: 3 }), async (episodes) => {
        const id = `sigkill-${process.pid}-${++conversation}`;
        openai.server.reset();
        openai.server.enqueue(...Array.from({ length: 200 }, () => respond));
        const baseURL = `${openai.server.url}/v1`;
        const ended = new Set<string>();
        const sent = new Set<string>();
        /** What a killed run must have stored: its input, and the batches before the last one whose outputs it reported. */
        const mustKeep = { inputs: new Set<string>(), calls: new Set<string>() };

        for (const [k, e] of episodes.entries()) {
          const input = `input ${id} #${k}`;
          const inject = `injected ${id} #${k}`;
          sent.add(input);
          if (e.injectAfterMs !== undefined) sent.add(inject);
          const child = await startChild({
            redisUrl: redis.server.url,
            id,
            input,
            model: { baseURL },
            slowMs: e.slowMs,
            cancelAfterMs: e.cancelAfterMs,
            injects: e.injectAfterMs === undefined ? [] : [{ afterMs: e.injectAfterMs, text: inject }],
          });
          if (e.killAtLine !== undefined) {
            let seen = 0;
            await child.line(() => ++seen >= e.killAtLine!).catch(() => undefined);
            child.process.kill('SIGKILL');
          }
          const exit = await child.exited;
          const end = terminal(exit.lines);
          if (end) {
            ended.add(input);
            // Tool failures go to the model: the run itself does not fail.
            expect(end['status'], JSON.stringify(end)).not.toBe('failed');
          } else {
            expect(exit.signal).toBe('SIGKILL');
            // A model call ends only once what came before it is stored, and tools run after it: a run
            // that reported a tool output had stored its input and every earlier batch when it was killed.
            const { batches, lastWithOutput } = toolBatches(exit.lines);
            if (lastWithOutput >= 0) mustKeep.inputs.add(input);
            for (const batch of batches.slice(0, Math.max(0, lastWithOutput))) for (const id of batch) mustKeep.calls.add(id);
          }
        }

        // Another process (this one) continues the conversation on the same Redis.
        const client = new Redis(redis.server.url);
        try {
          const session = new RedisSession({ client, id, leaseMs: 1_000 });
          const agent = new Agent({
            name: 'A',
            model: new OpenAIResponsesModel({ model: 'gpt-test', client: new OpenAI({ apiKey: 'test', baseURL, maxRetries: 0 }) }),
            tools: [
              tool({ name: 'slow', description: 'slow', parameters: z.object({ n: z.number() }), execute: ({ n }) => `slow ${n} done` }),
              tool({ name: 'broken', description: 'fails', parameters: z.object({}), execute: () => { throw new Error('broken tool'); } }),
            ],
          });
          const last = await lastValueFrom(run(agent, `final ${id}`, { session }));
          const result = (last as { result?: RunResult<unknown> }).result;
          expect(result?.status, String(result?.error)).toBe('completed');
          const items = await session.getItems();
          expectPaired(items);
          const stored = contents(items);
          for (const text of sent) expect(stored.filter((t) => t === text).length, text).toBeLessThanOrEqual(1);
          for (const text of [...ended, ...mustKeep.inputs]) expect(stored.filter((t) => t === text), text).toEqual([text]);
          const storedCalls = new Set(items.flatMap((i) => (i.type === 'function_call' ? [i.call_id] : [])));
          for (const id of mustKeep.calls) expect(storedCalls.has(id), `call ${id} of a completed batch`).toBe(true);
          expect(stored.filter((t) => t === `final ${id}`)).toHaveLength(1);
          // Every request the server saw was accepted (a history with an orphan call is answered 400).
          expect(openai.server.requests.filter((r) => r.status !== 200).map((r) => r.status)).toEqual([]);
        } finally {
          await client.quit();
        }
      }),
      { numRuns: Number(process.env['SIGKILL_RUNS'] ?? 5), endOnFailure: true },
    );
  });
});
