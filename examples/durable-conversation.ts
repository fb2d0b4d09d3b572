/**
 * Durable conversations on Redis: history that outlives the process, one run per
 * conversation at a time, input steered into a run in flight, and a run suspended
 * while it waits for a human, then resumed. Offline on
 * ScriptedModel; needs a Redis (REDIS_URL, default redis://127.0.0.1:6379):
 *
 *   sudo apt-get install -y redis-server     # Debian/Ubuntu: installs and starts it
 *   npx tsx examples/durable-conversation.ts
 *
 * Run it twice: the second time the agent sees the first time's conversation.
 */
import { Redis } from 'ioredis';
import { lastValueFrom, tap } from 'rxjs';
import { z } from 'zod';
import { Agent, ConversationBusyError, resume, run, ScriptedModel, tool, type ModelRequest, type SuspendedRun } from '../lib/index.js';
import { RedisSession } from '../lib/redis/index.js';
import { printEvent } from './print-events.js';

const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
// One conversation id, shared by every process that uses it.
const session = new RedisSession({ client: redis, id: 'example-conversation', ttlSeconds: 3600, maxItems: 200 });

const deleteFile = tool({
  name: 'delete_file',
  description: 'Deletes a file',
  parameters: z.object({ path: z.string() }),
  needsApproval: true,
  execute: ({ path }) => `deleted ${path}`,
});

const lookup = tool({
  name: 'lookup_order',
  description: 'Finds an order',
  parameters: z.object({ id: z.string() }),
  execute: ({ id }) => new Promise<string>((resolve) => setTimeout(() => resolve(`order ${id}: shipped`), 300)),
});

// The scripted model answers the last user message and says how long the conversation is.
const lastUser = (request: ModelRequest) =>
  request.input.flatMap((i) => ('role' in i && i.role === 'user' && typeof i.content === 'string' ? [i.content] : [])).at(-1);
const agent = new Agent({
  name: 'Support',
  tools: [lookup],
  model: new ScriptedModel({
    delayMs: 10,
    turns: (request) => {
      const last = request.input.at(-1);
      if (last && 'role' in last && typeof last.content === 'string' && last.content.includes('order'))
        return { text: 'Let me check.', toolCalls: [{ name: 'lookup_order', arguments: { id: 'A-17' } }] };
      return { text: `(history: ${request.input.length} items) You said: "${lastUser(request)}".` };
    },
  }),
});

async function main(): Promise<void> {
  console.log(`History so far: ${(await session.getItems()).length} items`);

  // Two runs on one conversation at once: the second waits for the first (onBusy 'queue', the default).
  await Promise.all([
    lastValueFrom(run(agent, 'Where is my order?', { session }).pipe(tap(printEvent))),
    lastValueFrom(run(agent, 'Thanks!', { session }).pipe(tap(printEvent))),
  ]);

  // 'steer': a message sent while a run is in flight joins that run, and follows its events.
  const first = lastValueFrom(run(agent, 'And my other order?', { session }).pipe(tap(printEvent)));
  await new Promise((resolve) => setTimeout(resolve, 100));
  await lastValueFrom(run(agent, 'It is A-18, by the way.', { session, onBusy: 'steer' }));
  await first;

  // 'reject': fail at once instead of waiting.
  const busy = lastValueFrom(run(agent, 'One more order question', { session }));
  await lastValueFrom(run(agent, 'Hello?', { session, onBusy: 'reject' })).catch((error: unknown) => {
    if (error instanceof ConversationBusyError) console.log(`\nRejected: ${error.message}`);
  });
  await busy;

  // Suspend while a call waits for a human; resume later (here: at once, as if in another process).
  const cleaner = new Agent({
    name: 'Janitor',
    tools: [deleteFile],
    model: new ScriptedModel({ turns: [{ toolCalls: [{ name: 'delete_file', arguments: { path: '/var/log/old' } }] }, { text: 'Deleted.' }] }),
  });
  const end = await lastValueFrom(run(cleaner, 'Delete the old logs', { session, suspendOnApproval: true }));
  const saved = JSON.stringify(end.type === 'run.updated' ? end.result?.suspended : undefined);
  console.log(`\nSuspended; the state to keep is ${saved.length} bytes of JSON`);
  const state = JSON.parse(saved) as SuspendedRun;
  const decisions = state.calls.filter((c) => !c.output).map((c) => ({ callId: c.call.call_id, approved: true }));
  await lastValueFrom(resume(cleaner, state, { session, decisions }).pipe(tap(printEvent)));

  console.log(`\nHistory now: ${(await session.getItems()).length} items (kept ${3600} s after the last write)`);
}

main().finally(() => redis.quit());
