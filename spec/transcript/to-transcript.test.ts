import { map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import {
  ModelError,
  ToolCallError,
  toTranscript,
  type RunItem,
  type RunResult,
  type StreamEvent,
  type ToolApprovalDecision,
  type Transcript,
  type TranscriptMessage,
  type TranscriptOptions,
} from '../helpers/imports.js';

// Marble tests of the fold: each frame of the output is the transcript after that event, summarized.

const usage = { requests: 1, inputTokens: 5, outputTokens: 3, totalTokens: 8, cachedInputTokens: 0, reasoningTokens: 0 };

const running: StreamEvent = { type: 'run.updated', status: 'running' };
const agentUpdated = (name: string): StreamEvent => ({ type: 'agent.updated', agent: name });
const delta = (text: string, agent = 'A'): StreamEvent => ({ type: 'text.delta', delta: text, agent });
const created = (item: RunItem): StreamEvent => ({ type: 'item.created', item });
const message = (text: string, agentName = 'A'): StreamEvent =>
  created({ type: 'message_output', agentName, text, rawItem: { role: 'assistant', content: [{ type: 'output_text', text }] } });
const call = (callId: string, name: string, args: object, agentName = 'A'): StreamEvent =>
  created({ type: 'tool_call', agentName, rawItem: { type: 'function_call', call_id: callId, name, arguments: JSON.stringify(args) } });
const output = (callId: string, toolName: string, value: unknown, error?: ToolCallError): StreamEvent =>
  created({
    type: 'tool_output',
    agentName: 'A',
    toolName,
    output: value,
    ...(error ? { error } : {}),
    rawItem: { type: 'function_call_output', call_id: callId, output: error ? error.message : String(value) },
  });
const progress = (callId: string, value: unknown): StreamEvent => ({ type: 'tool.progress', callId, toolName: 'search', value });
const approval = (callId: string, toolName: string, args: unknown): StreamEvent => ({
  type: 'tool.approval_requested',
  callId,
  toolName,
  arguments: args,
  approve: () => undefined,
  reject: () => undefined,
});
function ended(status: 'completed' | 'cancelled' | 'failed' | 'suspended', extra: Partial<RunResult> = {}): StreamEvent {
  const result = {
    status,
    finalOutput: undefined,
    items: [],
    history: [],
    unconsumedInput: [],
    usage,
    lastAgent: 'A',
    inputGuardrailResults: [],
    outputGuardrailResults: [],
    ...extra,
  } as unknown as RunResult;
  return { type: 'run.updated', status, result, ...(result.reason ? { reason: result.reason } : {}), ...(result.error ? { error: result.error } : {}) };
}

function show(m: TranscriptMessage): string {
  switch (m.kind) {
    case 'user':
      return `${m.id} user${m.injected ? '+injected' : ''}${m.unsent ? '+unsent' : ''}:${m.text}`;
    case 'assistant':
      return `${m.id} ${m.agent}(${m.status}):${m.text}`;
    case 'reasoning':
      return `${m.id} reasoning(${m.status}):${m.text}`;
    case 'provider_item':
      return `${m.id} ${m.itemType}`;
    case 'tool':
      return `${m.id} ${m.toolName}(${m.status})${m.progress !== undefined ? ` progress=${String(m.progress)}` : ''}${
        m.output !== undefined ? ` => ${String(m.output)}` : ''
      }${m.error ? ` !${m.error}` : ''}`;
    case 'handoff':
      return `${m.id} handoff:${m.from}->${m.to}`;
  }
}
const summary = (t: Transcript): string =>
  [t.status + (t.reason ? `(${t.reason})` : '') + (t.error ? `!${t.error.message}` : ''), ...t.messages.map(show)].join(' | ');

function marbles(
  events: string,
  values: Record<string, StreamEvent>,
  expected: string,
  frames: Record<string, string>,
  options: Omit<TranscriptOptions, 'approvals$'> & { decisions?: [string, Record<string, ToolApprovalDecision>] } = {},
  error?: unknown,
): void {
  new TestScheduler((actual, wanted) => expect(actual).toEqual(wanted)).run(({ cold, hot, expectObservable }) => {
    const approvals$ = options.decisions ? hot(options.decisions[0], options.decisions[1]) : undefined;
    const source$ = cold(events, values, error) as Observable<StreamEvent>;
    expectObservable(source$.pipe(toTranscript({ ...options, ...(approvals$ ? { approvals$ } : {}) }), map(summary))).toBe(expected, frames);
  });
}

describe('toTranscript', () => {
  it('starts with the user message at subscribe, streams the answer into one message, and completes with the run', () => {
    marbles(
      '-r-a-b-c-m-e|',
      { r: running, a: agentUpdated('A'), b: delta('Hel'), c: delta('lo'), m: message('Hello'), e: ended('completed', { finalOutput: 'Hello' }) },
      's--t-u-v-w-x|',
      {
        s: 'running | m0 user:Hi',
        t: 'running | m0 user:Hi', // agent.updated: same messages, new agent
        u: 'running | m0 user:Hi | m1 A(streaming):Hel',
        v: 'running | m0 user:Hi | m1 A(streaming):Hello',
        w: 'running | m0 user:Hi | m1 A(completed):Hello',
        x: 'completed | m0 user:Hi | m1 A(completed):Hello',
      },
      { input: 'Hi' },
    );
  });

  it('keeps a partial answer visible, marked stopped, when the run is cancelled mid-stream', () => {
    marbles(
      '-r-b-c-e|',
      { r: running, b: delta('Once '), c: delta('upon'), e: ended('cancelled', { reason: 'user pressed stop' }) },
      's--u-v-x|',
      {
        s: 'running | m0 user:Tell a story',
        u: 'running | m0 user:Tell a story | m1 A(streaming):Once ',
        v: 'running | m0 user:Tell a story | m1 A(streaming):Once upon',
        x: 'cancelled(user pressed stop) | m0 user:Tell a story | m1 A(stopped):Once upon',
      },
      { input: 'Tell a story' },
    );
  });

  it('turns a failed run into state: the error in the transcript, and completion instead of an Observable error', () => {
    const error = new ModelError('connection reset');
    marbles(
      '-r-b-e#',
      { r: running, b: delta('Part'), e: ended('failed', { error }) },
      's--u-x|',
      {
        s: 'running | m0 user:Hi',
        u: 'running | m0 user:Hi | m1 A(streaming):Part',
        x: 'failed!connection reset | m0 user:Hi | m1 A(failed):Part',
      },
      { input: 'Hi' },
      error,
    );
  });

  it('makes a source error without a terminal event (a lost connection) a failed transcript', () => {
    marbles(
      '-r-b#',
      { r: running, b: delta('Part') },
      's--u(x|)',
      { s: 'running', u: 'running | m0 A(streaming):Part', x: 'failed!socket hang up | m0 A(failed):Part' },
      {},
      new Error('socket hang up'),
    );
  });

  it('follows tool calls: running, progress, then completed, failed or cancelled', () => {
    const timeout = new ToolCallError('timeout', 'slow', 'c2', 'Error: slow timed out');
    marbles(
      '-a-b-p-q-x-y-z-e|',
      {
        a: call('c1', 'search', { q: 'rx' }),
        b: call('c2', 'slow', {}),
        p: progress('c1', '10%'),
        q: progress('c1', '90%'),
        x: output('c1', 'search', 'found'),
        y: output('c2', 'slow', undefined, timeout),
        z: call('c3', 'search', { q: 'again' }),
        e: ended('cancelled', { reason: 'user pressed stop' }),
      },
      'sa-b-p-q-x-y-z-e|',
      {
        s: 'running',
        a: 'running | m0 search(running)',
        b: 'running | m0 search(running) | m1 slow(running)',
        p: 'running | m0 search(running) progress=10% | m1 slow(running)',
        q: 'running | m0 search(running) progress=90% | m1 slow(running)',
        x: 'running | m0 search(completed) progress=90% => found | m1 slow(running)',
        y: 'running | m0 search(completed) progress=90% => found | m1 slow(failed) !Error: slow timed out',
        z: 'running | m0 search(completed) progress=90% => found | m1 slow(failed) !Error: slow timed out | m2 search(running)',
        e: 'cancelled(user pressed stop) | m0 search(completed) progress=90% => found | m1 slow(failed) !Error: slow timed out | m2 search(cancelled)',
      },
    );
  });

  it('shows a paired cancelled output as a cancelled call', () => {
    const cancelled = new ToolCallError('cancelled', 'search', 'c1', 'cancelled: user pressed stop');
    marbles(
      '-a-o-e|',
      { a: call('c1', 'search', {}), o: output('c1', 'search', undefined, cancelled), e: ended('cancelled', { reason: 'user pressed stop' }) },
      'sa-o-e|',
      {
        s: 'running',
        a: 'running | m0 search(running)',
        o: 'running | m0 search(cancelled) !cancelled: user pressed stop',
        e: 'cancelled(user pressed stop) | m0 search(cancelled) !cancelled: user pressed stop',
      },
    );
  });

  it('lists pending approvals; a decision on approvals$ takes one out at once, approved or rejected', () => {
    const rejected = new ToolCallError('rejected', 'delete_file', 'c2', 'rejected: not that one');
    let last: Transcript | undefined;
    new TestScheduler((actual, wanted) => expect(actual).toEqual(wanted)).run(({ cold, hot, expectObservable }) => {
      const events$ = cold('-a-b-p-q------x-y-e|', {
        a: call('c1', 'delete_file', { path: 'a.txt' }),
        b: call('c2', 'delete_file', { path: 'b.txt' }),
        p: approval('c1', 'delete_file', { path: 'a.txt' }),
        q: approval('c2', 'delete_file', { path: 'b.txt' }),
        x: output('c1', 'delete_file', 'deleted'),
        y: output('c2', 'delete_file', undefined, rejected),
        e: ended('completed'),
      }) as Observable<StreamEvent>;
      const approvals$ = hot('----------u-v', { u: { callId: 'c1', approved: true }, v: { callId: 'c2', approved: false, message: 'not that one' } });
      const t$ = events$.pipe(toTranscript({ approvals$ }));
      expectObservable(t$.pipe(map((t) => `${summary(t)} || ${t.pendingApprovals.map((a) => `${a.callId}:${a.toolName}:${JSON.stringify(a.arguments)}`).join(',')}`))).toBe(
        'sa-b-p-q--u-v-x-y-e|',
        {
          s: 'running || ',
          a: 'running | m0 delete_file(running) || ',
          b: 'running | m0 delete_file(running) | m1 delete_file(running) || ',
          p: 'running | m0 delete_file(awaiting_approval) | m1 delete_file(running) || c1:delete_file:{"path":"a.txt"}',
          q: 'running | m0 delete_file(awaiting_approval) | m1 delete_file(awaiting_approval) || c1:delete_file:{"path":"a.txt"},c2:delete_file:{"path":"b.txt"}',
          u: 'running | m0 delete_file(running) | m1 delete_file(awaiting_approval) || c2:delete_file:{"path":"b.txt"}',
          v: 'running | m0 delete_file(running) | m1 delete_file(rejected) !not that one || ',
          x: 'running | m0 delete_file(completed) => deleted | m1 delete_file(rejected) !not that one || ',
          y: 'running | m0 delete_file(completed) => deleted | m1 delete_file(rejected) !rejected: not that one || ',
          e: 'completed | m0 delete_file(completed) => deleted | m1 delete_file(rejected) !rejected: not that one || ',
        },
      );
      t$.subscribe((t) => (last = t));
    });
    expect(last?.pendingApprovals).toEqual([]);
  });

  it('clears pending approvals when the run ends while a call waits', () => {
    marbles(
      '-a-p-e|',
      { a: call('c1', 'delete_file', {}), p: approval('c1', 'delete_file', {}), e: ended('cancelled', { reason: 'stop' }) },
      'sa-p-e|',
      {
        s: 'running',
        a: 'running | m0 delete_file(running)',
        p: 'running | m0 delete_file(awaiting_approval)',
        e: 'cancelled(stop) | m0 delete_file(cancelled)',
      },
    );
  });

  it('keeps the approvals of a suspended run pending, for resume', () => {
    marbles(
      '-a-p-e|',
      { a: call('c1', 'delete_file', {}), p: approval('c1', 'delete_file', {}), e: ended('suspended') },
      'sa-p-e|',
      {
        s: 'running',
        a: 'running | m0 delete_file(running)',
        p: 'running | m0 delete_file(awaiting_approval)',
        e: 'suspended | m0 delete_file(awaiting_approval)',
      },
    );
    let last: Transcript | undefined;
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold }) => {
      const events$ = cold('-a-p-e|', { a: call('c1', 'delete_file', {}), p: approval('c1', 'delete_file', {}), e: ended('suspended') });
      (events$ as Observable<StreamEvent>).pipe(toTranscript()).subscribe((t) => (last = t));
    });
    expect(last?.pendingApprovals.map((a) => a.callId)).toEqual(['c1']);
  });

  it('shows injected input where the model received it, and input that came too late as unsent', () => {
    const injected = created({ type: 'injected_input', agentName: 'A', rawItem: { role: 'user', content: 'Also Rome' } });
    marbles(
      '-a-i-m-e|',
      {
        a: message('Checking Paris.'),
        i: injected,
        m: message('Paris and Rome are sunny.'),
        e: ended('completed', { unconsumedInput: [{ role: 'user', content: [{ type: 'input_text', text: 'And Oslo?' }] }] }),
      },
      'sa-i-m-e|',
      {
        s: 'running | m0 user:Paris?',
        a: 'running | m0 user:Paris? | m1 A(completed):Checking Paris.',
        i: 'running | m0 user:Paris? | m1 A(completed):Checking Paris. | m2 user+injected:Also Rome',
        m: 'running | m0 user:Paris? | m1 A(completed):Checking Paris. | m2 user+injected:Also Rome | m3 A(completed):Paris and Rome are sunny.',
        e: 'completed | m0 user:Paris? | m1 A(completed):Checking Paris. | m2 user+injected:Also Rome | m3 A(completed):Paris and Rome are sunny. | m4 user+injected+unsent:And Oslo?',
      },
      { input: 'Paris?' },
    );
  });

  it('marks what an interrupted turn streamed as interrupted, and its discarded calls as cancelled', () => {
    const discardedCall: RunItem = { type: 'tool_call', agentName: 'A', rawItem: { type: 'function_call', call_id: 'c1', name: 'search', arguments: '{}' } };
    marbles(
      '-b-c-i-d|',
      {
        b: delta('Let me'),
        c: call('c1', 'search', {}),
        i: { type: 'turn.interrupted', agent: 'A', partialText: 'Let me', discardedItems: [discardedCall] },
        d: delta('Sure'),
      },
      'sb-c-i-d|',
      {
        s: 'running',
        b: 'running | m0 A(streaming):Let me',
        c: 'running | m0 A(streaming):Let me | m1 search(running)',
        i: 'running | m0 A(interrupted):Let me | m1 search(cancelled) !interrupted by injected input',
        d: 'running | m0 A(interrupted):Let me | m1 search(cancelled) !interrupted by injected input | m2 A(streaming):Sure',
      },
    );
  });

  it('shows a handoff where its transfer call stood, and names the agent in charge', () => {
    const handoff = created({
      type: 'handoff',
      agentName: 'Triage',
      targetAgent: 'Billing',
      rawItem: { type: 'function_call_output', call_id: 'h1', output: '{"assistant":"Billing"}' },
    });
    let last: Transcript | undefined;
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold, expectObservable }) => {
      const t$ = cold('-t-c-h-a-m-e|', {
        t: agentUpdated('Triage'),
        c: call('h1', 'transfer_to_billing', {}, 'Triage'),
        h: handoff,
        a: agentUpdated('Billing'),
        m: message('Your invoice is paid.', 'Billing'),
        e: ended('completed', { lastAgent: 'Billing' }),
      }).pipe(toTranscript({ input: 'Invoice?' }));
      expectObservable(t$.pipe(map((t) => `${t.agent ?? '-'} ${summary(t)}`))).toBe('st-c-h-a-m-e|', {
        s: '- running | m0 user:Invoice?',
        t: 'Triage running | m0 user:Invoice?',
        c: 'Triage running | m0 user:Invoice? | m1 transfer_to_billing(running)',
        h: 'Triage running | m0 user:Invoice? | m1 handoff:Triage->Billing',
        a: 'Billing running | m0 user:Invoice? | m1 handoff:Triage->Billing',
        m: 'Billing running | m0 user:Invoice? | m1 handoff:Triage->Billing | m2 Billing(completed):Your invoice is paid.',
        e: 'Billing completed | m0 user:Invoice? | m1 handoff:Triage->Billing | m2 Billing(completed):Your invoice is paid.',
      });
      t$.subscribe((t) => (last = t));
    });
    expect(last?.usage).toEqual(usage);
  });

  it('streams reasoning into one message that its item completes, then the answer after it', () => {
    const reasoning = created({ type: 'reasoning', agentName: 'A', rawItem: { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Weighing it.' }] } });
    marbles(
      '-a-b-r-t-e|',
      {
        a: { type: 'reasoning.delta', delta: 'Weigh', agent: 'A' },
        b: { type: 'reasoning.delta', delta: 'ing', agent: 'A' },
        r: reasoning,
        t: delta('Yes'),
        e: ended('cancelled', { reason: 'stop' }),
      },
      'sa-b-r-t-e|',
      {
        s: 'running',
        a: 'running | m0 reasoning(streaming):Weigh',
        b: 'running | m0 reasoning(streaming):Weighing',
        r: 'running | m0 reasoning(completed):Weighing it.',
        t: 'running | m0 reasoning(completed):Weighing it. | m1 A(streaming):Yes',
        e: 'cancelled(stop) | m0 reasoning(completed):Weighing it. | m1 A(stopped):Yes',
      },
    );
  });

  it('marks reasoning cut off by a cancel as stopped, and shows items the library does not model by their type', () => {
    const search = created({ type: 'provider_item', agentName: 'A', itemType: 'web_search_call', rawItem: { type: 'web_search_call', id: 'ws_1' } as never });
    marbles(
      '-w-a-e|',
      { w: search, a: { type: 'reasoning.delta', delta: 'Hmm', agent: 'A' }, e: ended('cancelled', { reason: 'stop' }) },
      'sw-a-e|',
      {
        s: 'running',
        w: 'running | m0 web_search_call',
        a: 'running | m0 web_search_call | m1 reasoning(streaming):Hmm',
        e: 'cancelled(stop) | m0 web_search_call | m1 reasoning(stopped):Hmm',
      },
    );
  });

  it('shows reasoning and refusals; raw model events and guardrail results change nothing', () => {
    const refusal = created({
      type: 'message_output',
      agentName: 'A',
      text: '',
      refusal: 'I cannot help with that.',
      rawItem: { role: 'assistant', content: [{ type: 'refusal', refusal: 'I cannot help with that.' }] },
    });
    const reasoning = created({ type: 'reasoning', agentName: 'A', rawItem: { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'The user asks…' }] } });
    const guardrail: StreamEvent = { type: 'guardrail.result', result: { kind: 'input', name: 'g', agentName: 'A', output: { tripwireTriggered: false } } } as StreamEvent;
    let last: Transcript | undefined;
    marbles(
      '-g-x-r-f|',
      { g: guardrail, x: { type: 'model.event', event: { type: 'response.created' } }, r: reasoning, f: refusal },
      's----r-f|',
      { s: 'running', r: 'running | m0 reasoning(completed):The user asks…', f: 'running | m0 reasoning(completed):The user asks… | m1 A(completed):' },
    );
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold }) => {
      cold('-f|', { f: refusal }).pipe(toTranscript()).subscribe((t) => (last = t as Transcript));
    });
    expect(last?.messages[0]).toMatchObject({ kind: 'assistant', refusal: 'I cannot help with that.' });
  });

  it('shows a model retry until the run moves on', () => {
    const retry: StreamEvent = { type: 'model.retry', agent: 'A', attempt: 1, delayMs: 500, error: new ModelError('HTTP 503') };
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold, expectObservable }) => {
      const raw: StreamEvent = { type: 'model.event', event: {} };
      const t$ = cold('-r-x-b|', { r: retry, x: raw, b: delta('Hi') }).pipe(toTranscript());
      expectObservable(t$.pipe(map((t) => `${t.retry ? `retry ${t.retry.attempt} in ${t.retry.delayMs} ms: ${t.retry.reason}` : '-'} ${summary(t)}`))).toBe(
        'sr---b|',
        { s: '- running', r: 'retry 1 in 500 ms: HTTP 503 running', b: '- running | m0 A(streaming):Hi' },
      );
    });
  });

  it('continues a conversation: earlier messages first, new ids after them', () => {
    const earlier: TranscriptMessage[] = [
      { kind: 'user', id: 'm0', text: 'Hi' },
      { kind: 'assistant', id: 'm1', agent: 'A', text: 'Hello', status: 'completed' },
    ];
    marbles(
      '-b-e|',
      { b: delta('Fine'), e: ended('completed') },
      'sb-e|',
      {
        s: 'running | m0 user:Hi | m1 A(completed):Hello | m2 user:How are you?',
        b: 'running | m0 user:Hi | m1 A(completed):Hello | m2 user:How are you? | m3 A(streaming):Fine',
        e: 'completed | m0 user:Hi | m1 A(completed):Hello | m2 user:How are you? | m3 A(stopped):Fine',
      },
      { input: [{ role: 'user', content: 'How are you?' }], messages: earlier },
    );
  });

  it('unsubscribes from the run when unsubscribed', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold, expectObservable, expectSubscriptions }) => {
      const events$ = cold('-b-c-d|', { b: delta('a'), c: delta('b'), d: delta('c') });
      expectObservable(events$.pipe(toTranscript(), map((t) => t.messages.length)), '^--!').toBe('sb-', { s: 0, b: 1 });
      expectSubscriptions(events$.subscriptions).toBe('^--!');
    });
  });
});
