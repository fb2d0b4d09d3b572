import { lastValueFrom, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  MemorySession,
  resume,
  RunStateError,
  ScriptedModel,
  run,
  tool,
  type InputItem,
  type RunResult,
  type StreamEvent,
  type SuspendedRun,
  type ToolApprovalDecision,
} from '../../lib/index.js';
import { RedisSession } from '../../lib/redis/index.js';
import { collect, expectPaired, statuses } from '../helpers/collect.js';
import { deleteFileTool } from '../helpers/probe-tools.js';
import { useOpenAIServer } from '../support/use-openai-server.js';
import { startChild, terminal } from './child-conversation.js';
import { useRedis } from './use-redis.js';

const deleted: string[] = [];
const deleteFile = deleteFileTool(deleted);
const lookup = tool({ name: 'lookup', description: 'Looks up', parameters: z.object({ key: z.string() }), execute: ({ key }) => `value of ${key}` });

function janitor() {
  const model = new ScriptedModel({
    turns: [
      {
        text: 'Cleaning up.',
        toolCalls: [
          { name: 'lookup', arguments: { key: 'disk' }, callId: 'c_lookup' },
          { name: 'delete_file', arguments: { path: '/var/log/a' }, callId: 'c_a' },
          { name: 'delete_file', arguments: { path: '/var/log/b' }, callId: 'c_b' },
        ],
      },
      { text: 'Done.' },
    ],
  });
  return { model, agent: new Agent({ name: 'Janitor', model, tools: [lookup, deleteFile] }) };
}

const result = (events: readonly StreamEvent<unknown>[]) => (events.at(-1) as { result?: RunResult<unknown> }).result!;
const outputsOf = (items: readonly InputItem[]) =>
  Object.fromEntries(items.flatMap((i) => (i.type === 'function_call_output' ? [[i.call_id, i.output]] : [])));

describe('suspend and resume', () => {
  it('a run waiting only for approvals suspends with a JSON state; its session stays valid without the waiting batch', async () => {
    const session = new MemorySession('s1');
    const { agent } = janitor();
    const { events, error } = await collect(run(agent, 'Clean the logs', { session, suspendOnApproval: true }));
    expect(error).toBeUndefined();
    expect(statuses(events)).toEqual(['running', 'suspended']);
    const suspended = result(events).suspended!;
    expect(JSON.parse(JSON.stringify(suspended))).toEqual(suspended);
    expect(suspended).toMatchObject({ version: 1, agent: 'Janitor', turn: 1 });
    expect(suspended.calls.map((c) => [c.call.call_id, c.output?.output, c.arguments])).toEqual([
      ['c_lookup', 'value of disk', undefined],
      ['c_a', undefined, { path: '/var/log/a' }],
      ['c_b', undefined, { path: '/var/log/b' }],
    ]);
    const stored = await session.getItems();
    expectPaired(stored);
    expect(stored.some((i) => i.type === 'function_call')).toBe(false);
    expect(suspended.history).toEqual(stored);
  });

  it('resume runs approved calls, answers rejected ones, and the model sees every output; the session gets the batch once', async () => {
    const session = new MemorySession('s2');
    const first = janitor();
    const { events } = await collect(run(first.agent, 'Clean the logs', { session, suspendOnApproval: true }));
    const state = JSON.parse(JSON.stringify(result(events).suspended)) as SuspendedRun;

    // Another agent object (a restarted process builds its agents again), same name.
    const model = new ScriptedModel({ turns: [{ text: 'Done.' }] });
    const second = { model, agent: new Agent({ name: 'Janitor', model, tools: [lookup, deleteFile] }) };
    deleted.length = 0;
    const decisions: ToolApprovalDecision[] = [
      { callId: 'c_a', approved: true },
      { callId: 'c_b', approved: false, message: 'keep b' },
    ];
    const resumed = await collect(resume(second.agent, state, { session, decisions }));
    expect(statuses(resumed.events)).toEqual(['running', 'completed']);
    expect(result(resumed.events).finalOutput).toBe('Done.');
    expect(deleted).toEqual(['/var/log/a']);
    const request = second.model.requests[0]!;
    const outputs = outputsOf(request.input);
    expect(outputs['c_lookup']).toBe('value of disk');
    expect(outputs['c_a']).toBe('deleted /var/log/a');
    expect(outputs['c_b']).toMatch(/rejected by the user: keep b/);
    const stored = await session.getItems();
    expectPaired(stored);
    expect(stored.filter((i) => i.type === 'function_call')).toHaveLength(3);
    expect(stored.filter((i) => 'role' in i && i.role === 'user')).toHaveLength(1);
  });

  it('without a session the state carries the history; a call with no decision asks again, and may suspend again', async () => {
    const { agent } = janitor();
    const { events } = await collect(run(agent, 'Clean the logs', { suspendOnApproval: true }));
    const state = result(events).suspended!;
    const again = await collect(resume(agent, state, { decisions: [{ callId: 'c_a', approved: true }], suspendOnApproval: true }));
    expect(statuses(again.events)).toEqual(['running', 'suspended']);
    expect(again.events.filter((e) => e.type === 'tool.approval_requested').map((e) => (e as { callId: string }).callId)).toContain('c_b');
    const twice = result(again.events).suspended!;
    expect(twice.calls.map((c) => [c.call.call_id, c.output !== undefined])).toEqual([
      ['c_lookup', true],
      ['c_a', true],
      ['c_b', false],
    ]);
    expect(twice.history[0]).toEqual({ role: 'user', content: 'Clean the logs' });
  });

  it('`{ afterMs }` waits for decisions first: one that comes in time means no suspension', async () => {
    const { agent } = janitor();
    const approvals$ = new Subject<ToolApprovalDecision>();
    const events$ = run(agent, 'Clean the logs', { suspendOnApproval: { afterMs: 200 }, approvals$ });
    const done = collect(events$);
    await new Promise((resolve) => setTimeout(resolve, 10));
    approvals$.next({ callId: 'c_a', approved: true });
    approvals$.next({ callId: 'c_b', approved: true });
    expect(statuses((await done).events)).toEqual(['running', 'completed']);
    const late = await collect(run(janitor().agent, 'Clean the logs', { suspendOnApproval: { afterMs: 20 } }));
    expect(statuses(late.events)).toEqual(['running', 'suspended']);
  });

  it('a state of another version, or naming an unknown agent, is a RunStateError', async () => {
    const { agent } = janitor();
    const { events } = await collect(run(agent, 'Clean the logs', { suspendOnApproval: true }));
    const state = result(events).suspended!;
    await expect(lastValueFrom(resume(agent, { ...state, version: 2 } as unknown as SuspendedRun))).rejects.toThrow(RunStateError);
    await expect(lastValueFrom(resume(agent, { ...state, version: 2 } as unknown as SuspendedRun))).rejects.toThrow(/version 2/);
    const other = new Agent({ name: 'Other', model: new ScriptedModel({ turns: [] }) });
    await expect(lastValueFrom(resume(other, state))).rejects.toThrow(/agent "Janitor"/);
    await expect(lastValueFrom(resume(agent, { nonsense: true } as unknown as SuspendedRun))).rejects.toThrow(RunStateError);
  });
});

describe('suspend in one process, resume in another (Redis, the OpenAI wire server)', { timeout: 30_000 }, () => {
  const redis = useRedis();
  const openai = useOpenAIServer();

  it('approvals and rejections reach the model, and the conversation history holds the batch once', async () => {
    const id = `suspend-${process.pid}`;
    const baseURL = `${openai.server.url}/v1`;
    openai.server.enqueue(
      {
        text: 'Cleaning up.',
        toolCalls: [
          { name: 'slow', arguments: { n: 1 }, callId: 'c_slow' },
          { name: 'delete_file', arguments: { path: '/var/log/a' }, callId: 'c_a' },
          { name: 'delete_file', arguments: { path: '/var/log/b' }, callId: 'c_b' },
        ],
      },
      { text: 'Deleted a, kept b.' },
    );
    const first = await (await startChild({ redisUrl: redis.server.url, id, input: 'Clean the logs', model: { baseURL }, suspendOnApproval: true })).exited;
    const end = terminal(first.lines)!;
    expect(end).toMatchObject({ status: 'suspended', reason: 'waiting for approval' });
    const state = (end['result'] as { suspended: SuspendedRun }).suspended;

    // Days later, another process with its own clients.
    const decisions = [
      { callId: 'c_a', approved: true },
      { callId: 'c_b', approved: false, message: 'b stays' },
    ];
    const second = await (await startChild({ redisUrl: redis.server.url, id, input: '', model: { baseURL }, resume: { state, decisions } })).exited;
    expect(terminal(second.lines)).toMatchObject({ status: 'completed', result: { finalOutput: 'Deleted a, kept b.' } });

    const request = openai.server.requests[1]!.body as { input: InputItem[] };
    const outputs = outputsOf(request.input);
    expect(outputs['c_slow']).toBe('slow 1 done');
    expect(outputs['c_a']).toBe('deleted /var/log/a');
    expect(outputs['c_b']).toMatch(/rejected by the user: b stays/);
    expect(openai.server.requests.map((r) => r.status)).toEqual([200, 200]);

    const client = redis.client();
    const stored = await new RedisSession({ client, id }).getItems();
    expectPaired(stored);
    expect(stored.filter((i) => i.type === 'function_call').map((i) => (i as { call_id: string }).call_id)).toEqual(['c_slow', 'c_a', 'c_b']);
  });
});
