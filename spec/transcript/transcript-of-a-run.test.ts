import { lastValueFrom, Subject, tap } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, MaxTurnsExceededError, run, ScriptedModel, tool, toTranscript, type ToolApprovalDecision } from '../helpers/imports.js';

// The fold on real runs (ScriptedModel, synchronous): what a chat UI would show at the end.

const deleteFile = tool({
  name: 'delete_file',
  description: 'Deletes a file',
  parameters: z.object({ path: z.string() }),
  needsApproval: true,
  execute: ({ path }) => `deleted ${path}`,
});

describe('toTranscript on a run', () => {
  it('cancelled mid-stream: the partial answer stays, marked stopped, with the reason', async () => {
    const model = new ScriptedModel({ turns: [{ text: 'one two three four five' }] });
    const stop$ = new Subject<string>();
    let deltas = 0;
    const events$ = run(new Agent({ name: 'A', model }), 'Count', { cancel$: stop$ }).pipe(
      tap((e) => e.type === 'text.delta' && ++deltas === 2 && stop$.next('user pressed stop')),
    );
    const t = await lastValueFrom(events$.pipe(toTranscript({ input: 'Count' })));
    expect(t.status).toBe('cancelled');
    expect(t.reason).toBe('user pressed stop');
    expect(t.messages).toEqual([
      { kind: 'user', id: 'm0', text: 'Count' },
      { kind: 'assistant', id: 'm1', agent: 'A', text: 'one two ', status: 'stopped' },
    ]);
  });

  it('failed: the error is state and the Observable completes', async () => {
    const again = tool({ name: 'again', description: 'again', parameters: z.object({}), execute: () => 'ok' });
    const model = new ScriptedModel({ turns: () => ({ toolCalls: [{ name: 'again' }] }) });
    const t = await lastValueFrom(run(new Agent({ name: 'A', model, tools: [again] }), 'go', { maxTurns: 2 }).pipe(toTranscript()));
    expect(t.status).toBe('failed');
    expect(t.error).toBeInstanceOf(MaxTurnsExceededError);
    expect(t.messages.map((m) => (m.kind === 'tool' ? m.status : m.kind))).toEqual(['completed', 'completed']);
  });

  it('approvals through approvals$: one approved, one rejected, and the model sees both', async () => {
    const model = new ScriptedModel({
      turns: [
        { toolCalls: [{ name: 'delete_file', arguments: { path: 'a.txt' } }, { name: 'delete_file', arguments: { path: 'b.txt' } }] },
        { text: 'Done.' },
      ],
    });
    const approvals$ = new Subject<ToolApprovalDecision>();
    const pending: string[][] = [];
    const t = await lastValueFrom(
      run(new Agent({ name: 'A', model, tools: [deleteFile] }), 'Clean up', { approvals$ }).pipe(
        toTranscript({ input: 'Clean up', approvals$ }),
        tap((t) => {
          pending.push(t.pendingApprovals.map((a) => a.callId));
          // Answer once both wait, as a person would.
          if (t.pendingApprovals.length === 2) {
            approvals$.next({ callId: 'call_1_1', approved: true });
            approvals$.next({ callId: 'call_1_2', approved: false, message: 'keep b' });
          }
        }),
      ),
    );
    expect(pending).toContainEqual(['call_1_1', 'call_1_2']);
    expect(t.status).toBe('completed');
    expect(t.messages).toMatchObject([
      { kind: 'user', text: 'Clean up' },
      { kind: 'tool', callId: 'call_1_1', status: 'completed', output: 'deleted a.txt', arguments: { path: 'a.txt' } },
      { kind: 'tool', callId: 'call_1_2', status: 'rejected' },
      { kind: 'assistant', text: 'Done.', status: 'completed' },
    ]);
    expect(JSON.stringify(model.requests[1]?.input)).toContain('keep b');
  });

  it('injected input appears where the model received it', async () => {
    const model = new ScriptedModel({
      turns: [{ toolCalls: [{ name: 'look', arguments: {} }] }, (request) => ({ text: `seen ${request.input.length} items` })],
    });
    const say$ = new Subject<string>();
    const look = tool({ name: 'look', description: 'look', parameters: z.object({}), execute: () => (say$.next('Also Rome'), 'ok') });
    const t = await lastValueFrom(run(new Agent({ name: 'A', model, tools: [look] }), 'Paris?', { inject$: say$ }).pipe(toTranscript({ input: 'Paris?' })));
    expect(t.messages.map((m) => m.kind + (m.kind === 'user' && m.injected ? '+injected' : ''))).toEqual(['user', 'tool', 'user+injected', 'assistant']);
    expect(t.usage?.requests).toBe(2);
  });
});
