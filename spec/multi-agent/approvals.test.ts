import { firstValueFrom, Subject, tap } from 'rxjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, MemorySession, ScriptedModel, run, toResult, tool, UserError, type StreamEvent, type ToolApprovalDecision } from '../../lib/index.js';
import { collect, expectPaired, label, statuses } from '../helpers/collect.js';
import { until } from '../helpers/probe-tools.js';
import { tracingHarness } from '../helpers/tracing.js';

const harness = tracingHarness();
beforeEach(() => harness.reset());

function deleteTool(log: string[]) {
  return tool({
    name: 'delete_file',
    description: 'Deletes a file',
    parameters: z.object({ path: z.string() }),
    needsApproval: ({ path }) => path.startsWith('/etc'),
    execute: ({ path }) => (log.push(path), `deleted ${path}`),
  });
}

describe('tool approvals', () => {
  it('asks before a call that needs approval and runs it once approved from the event', async () => {
    const log: string[] = [];
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'delete_file', arguments: { path: '/etc/hosts' } }] }, { text: 'Deleted.' }] });
    const events: StreamEvent[] = [];
    await firstValueFrom(
      run(new Agent({ name: 'A', model, tools: [deleteTool(log)] }), 'clean up').pipe(
        tap((e) => events.push(e)),
        tap((e) => e.type === 'tool.approval_requested' && setTimeout(() => e.approve(), 1)),
        toResult(),
      ),
    );
    const request = events.find((e) => e.type === 'tool.approval_requested');
    expect(request).toMatchObject({ callId: 'call_1_1', toolName: 'delete_file', arguments: { path: '/etc/hosts' } });
    expect(events.map(label).slice(2, 5)).toEqual(['item:tool_call', 'approval:delete_file', 'item:tool_output']);
    expect(log).toEqual(['/etc/hosts']);
  });

  it('a rejection (through approvals$) becomes an output telling the model, and the tool does not run', async () => {
    const log: string[] = [];
    const approvals$ = new Subject<ToolApprovalDecision>();
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'delete_file', arguments: { path: '/etc/passwd' } }] }, { text: 'OK, I will not.' }] });
    const done = firstValueFrom(run(new Agent({ name: 'A', model, tools: [deleteTool(log)] }), 'clean up', { approvals$ }).pipe(toResult()));
    await until(() => model.requests.length === 1);
    approvals$.next({ callId: 'call_1_1', approved: false, message: 'too dangerous.' });
    const result = await done;
    expect(log).toEqual([]);
    const output = result.items.find((i) => i.type === 'tool_output');
    expect(output?.type === 'tool_output' && output.error?.kind).toBe('rejected');
    // The user's own full stop is kept, not doubled.
    expect(output?.rawItem.output).toBe('Error: the call to "delete_file" was rejected by the user: too dangerous. Do not retry it unless asked to.');
  });

  it('only the waiting call waits: other calls run and finish meanwhile', async () => {
    const log: string[] = [];
    const model = new ScriptedModel({
      turns: [{ toolCalls: [{ name: 'delete_file', arguments: { path: '/etc/a' } }, { name: 'delete_file', arguments: { path: '/tmp/b' } }] }, { text: 'done' }],
    });
    const approvals$ = new Subject<ToolApprovalDecision>();
    const done = firstValueFrom(run(new Agent({ name: 'A', model, tools: [deleteTool(log)] }), 'go', { approvals$ }).pipe(toResult()));
    await until(() => log.length === 1);
    expect(log).toEqual(['/tmp/b']);
    approvals$.next({ callId: 'call_1_1', approved: true });
    await done;
    expect(log).toEqual(['/tmp/b', '/etc/a']);
  });

  it('a decision given in advance is used when the call asks', async () => {
    const log: string[] = [];
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'delete_file', arguments: { path: '/etc/x' } }] }, { text: 'done' }] });
    const approvals$ = new Subject<ToolApprovalDecision>();
    const done = firstValueFrom(run(new Agent({ name: 'A', model, tools: [deleteTool(log)] }), 'go', { approvals$, signal: undefined }).pipe(toResult()));
    approvals$.next({ callId: 'call_1_1', approved: true });
    await done;
    expect(log).toEqual(['/etc/x']);
  });

  it('a cancel while waiting for approval gives the call a synthetic output; the session stays valid', async () => {
    const log: string[] = [];
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'delete_file', arguments: { path: '/etc/y' } }] }, { text: 'next run' }] });
    const agent = new Agent({ name: 'A', model, tools: [deleteTool(log)] });
    const session = new MemorySession();
    const cancel$ = new Subject<string>();
    const done = collect(run(agent, 'go', { session, cancel$, tracer: harness.tracer }));
    await until(() => model.requests.length === 1);
    cancel$.next('user walked away');
    const { events } = await done;
    expect(statuses(events)).toEqual(['running', 'cancelled']);
    expect(log).toEqual([]);
    const items = await session.getItems();
    expectPaired(items);
    expect(JSON.stringify(items)).toContain('user walked away');
    harness.expectAllEndedChildrenFirst();
    expect((await firstValueFrom(run(agent, 'again', { session }).pipe(toResult()))).finalOutput).toBe('next run');
  });
});

describe('toolUseBehavior', () => {
  const lookup = tool({ name: 'lookup', description: 'l', parameters: z.object({}), execute: () => ({ answer: 42 }) });
  const other = tool({ name: 'other', description: 'o', parameters: z.object({}), execute: () => 'other' });

  const answer = z.object({ answer: z.number() });

  it("'stop_on_first_tool' ends the run with the first tool's output, as text without an outputType", async () => {
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'lookup' }, { name: 'other' }] }] });
    const result = await firstValueFrom(run(new Agent({ name: 'A', model, tools: [lookup, other], toolUseBehavior: 'stop_on_first_tool' }), 'q').pipe(toResult()));
    // The agent declares no outputType: its final output is text, whichever way the run ends.
    expect(result.finalOutput).toBe('{"answer":42}');
    expect(model.requests).toHaveLength(1);
  });

  it("a stopping tool's output is the value itself, validated, when the agent declares an outputType", async () => {
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'lookup' }] }] });
    const agent = new Agent({ name: 'A', model, tools: [lookup], outputType: answer, toolUseBehavior: 'stop_on_first_tool' });
    const result = await firstValueFrom(run(agent, 'q').pipe(toResult()));
    expect(result.finalOutput).toEqual({ answer: 42 });
  });

  it("a stopping tool's output that does not match the outputType fails the run with a UserError naming the tool", async () => {
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'other' }] }] });
    const agent = new Agent({ name: 'A', model, tools: [other], outputType: answer, toolUseBehavior: 'stop_on_first_tool' });
    const { events, error } = await collect(run(agent, 'q'));
    expect(statuses(events)).toEqual(['running', 'failed']);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/tool "other".*outputType/);
  });

  it('a stopping call that failed does not end the run: the model reads the error and answers', async () => {
    const broken = tool({ name: 'lookup', description: 'l', parameters: z.object({}), execute: (): { answer: number } => { throw new Error('database down'); } });
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'lookup' }] }, { text: '{"answer":0}' }] });
    const agent = new Agent({ name: 'A', model, tools: [broken], outputType: answer, toolUseBehavior: 'stop_on_first_tool' });
    const result = await firstValueFrom(run(agent, 'q').pipe(toResult()));
    expect(result.finalOutput).toEqual({ answer: 0 });
    expect(JSON.stringify(model.requests[1])).toContain('database down');
  });

  it('a stopping call rejected by a human does not end the run either', async () => {
    const gated = tool({ name: 'lookup', description: 'l', parameters: z.object({}), needsApproval: true, execute: () => ({ answer: 42 }) });
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'lookup' }] }, { text: 'Not allowed, then.' }] });
    const agent = new Agent({ name: 'A', model, tools: [gated], toolUseBehavior: { stopAtToolNames: ['lookup'] } });
    const result = await firstValueFrom(run(agent, 'q').pipe(tap((e) => e.type === 'tool.approval_requested' && e.reject('no')), toResult()));
    expect(result.status).toBe('completed');
    expect(result.finalOutput).toBe('Not allowed, then.');
  });

  it('stopAtToolNames ends the run only when a listed tool was called', async () => {
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'other' }] }, { toolCalls: [{ name: 'other' }, { name: 'lookup' }] }] });
    const agent = new Agent({ name: 'A', model, tools: [lookup, other], toolUseBehavior: { stopAtToolNames: ['lookup'] } });
    const result = await firstValueFrom(run(agent, 'q').pipe(toResult()));
    expect(result.finalOutput).toBe('{"answer":42}');
    expect(model.requests).toHaveLength(2);
  });

  it("'run_llm_again' (default) calls the model again", async () => {
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'lookup' }] }, { text: 'It is 42.' }] });
    const result = await firstValueFrom(run(new Agent({ name: 'A', model, tools: [lookup] }), 'q').pipe(toResult()));
    expect(result.finalOutput).toBe('It is 42.');
  });
});
