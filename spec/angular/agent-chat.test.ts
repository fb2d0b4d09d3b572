import { createEnvironmentInjector, type EnvironmentInjector, Injector, runInInjectionContext } from '@angular/core';
import { Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { injectAgentChat, type AgentChatOptions } from '../../lib/angular/index.js';
import { Agent, MemorySession, ModelError, run, ScriptedModel, tool, type ModelRequest, type ScriptedTurn } from '../helpers/imports.js';

// injectAgentChat in a real Angular injector (no TestBed needed: it uses only inject, signals and DestroyRef).

let injector: EnvironmentInjector | undefined;
afterEach(() => injector?.destroy());

function chatWith<T = string>(options: AgentChatOptions<T>) {
  injector = createEnvironmentInjector([], Injector.NULL as EnvironmentInjector);
  return runInInjectionContext(injector, () => injectAgentChat(options));
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

const lastUser = (request: ModelRequest): string => {
  const users = request.input.flatMap((i) => ('role' in i && i.role === 'user' ? [JSON.stringify(i.content)] : []));
  return users.at(-1) ?? '';
};

describe('injectAgentChat', () => {
  it('sends, streams into signals, and keeps the conversation across runs', async () => {
    const model = new ScriptedModel({ turns: (request) => ({ text: `You said ${lastUser(request)}` }) });
    const agent = new Agent({ name: 'A', model });
    const session = new MemorySession('chat');
    const chat = chatWith({ run: (input, controls) => run(agent, input, { ...controls, session }) });
    expect(chat.status()).toBe('idle');
    chat.send('hi');
    await settled(); // the session write
    expect(chat.status()).toBe('completed');
    chat.send('again');
    await settled();
    expect(chat.messages().map((m) => `${m.id}:${m.kind}:${'text' in m ? m.text : ''}`)).toEqual([
      'm0:user:hi',
      'm1:assistant:You said "hi"',
      'm2:user:again',
      'm3:assistant:You said "again"',
    ]);
    expect(chat.isRunning()).toBe(false);
    expect(chat.transcript()?.usage?.requests).toBe(1);
  });

  it('stop() cancels the run in flight: status cancelled, the partial answer kept, the model stream closed', () => {
    const model = new ScriptedModel({ turns: [{ text: 'Once upon a', hang: true }] });
    const chat = chatWith({ run: (input, controls) => run(new Agent({ name: 'A', model }), input, controls) });
    chat.send('story');
    expect(chat.isRunning()).toBe(true);
    expect(chat.streamingText()).toBe('Once upon a');
    expect(model.openStreams).toBe(1);
    chat.stop();
    expect(chat.status()).toBe('cancelled');
    expect(chat.transcript()?.reason).toBe('stopped by the user');
    expect(chat.streamingText()).toBe('');
    expect(chat.messages().at(-1)).toMatchObject({ kind: 'assistant', text: 'Once upon a', status: 'stopped' });
    expect(model.openStreams).toBe(0);
  });

  it('unsubscribes the run in flight when its injector is destroyed', () => {
    const model = new ScriptedModel({ turns: [{ text: 'Once', hang: true }] });
    const chat = chatWith({ run: (input, controls) => run(new Agent({ name: 'A', model }), input, controls) });
    chat.send('story');
    expect(model.openStreams).toBe(1);
    injector?.destroy();
    injector = undefined;
    expect(model.openStreams).toBe(0);
  });

  it('shows a failed run as state: status failed and its error', () => {
    const model = new ScriptedModel({ turns: [{ text: 'Part', fail: 'connection reset' }] });
    const chat = chatWith({ run: (input, controls) => run(new Agent({ name: 'A', model }), input, controls) });
    chat.send('hi');
    expect(chat.status()).toBe('failed');
    expect(chat.error()).toBeInstanceOf(ModelError);
    expect(chat.messages().at(-1)).toMatchObject({ kind: 'assistant', text: 'Part', status: 'failed' });
  });

  describe('send while a run is in flight', () => {
    // A tool that holds the run until the test releases it.
    const setup = (whileRunning: AgentChatOptions['whileRunning']) => {
      const gate = new Subject<string>();
      const wait = tool({ name: 'wait', description: 'waits', parameters: z.object({}), execute: () => gate });
      const turn = (request: ModelRequest, call: number): ScriptedTurn =>
        call === 0 ? { toolCalls: [{ name: 'wait' }] } : { text: `answer to ${lastUser(request)}` };
      const model = new ScriptedModel({ turns: turn });
      const agent = new Agent({ name: 'A', model, tools: [wait] });
      const chat = chatWith({ whileRunning, run: (input, controls) => run(agent, input, controls) });
      const release = () => {
        gate.next('done');
        gate.complete();
      };
      return { chat, model, release };
    };

    it('queue: the message waits for the run to end, then runs', () => {
      const { chat, model, release } = setup('queue');
      chat.send('first');
      chat.send('second');
      expect(chat.queued()).toEqual(['second']);
      release();
      expect(chat.queued()).toEqual([]);
      expect(chat.status()).toBe('completed');
      expect(model.requests.map(lastUser)).toEqual(['"first"', '"first"', '"second"']);
      expect(chat.messages().filter((m) => m.kind === 'user').map((m) => m.kind === 'user' && m.text)).toEqual(['first', 'second']);
    });

    it('interrupt: the run in flight is cancelled and the message runs next', () => {
      const { chat, model } = setup('interrupt');
      chat.send('first');
      chat.send('second');
      expect(chat.status()).toBe('completed');
      expect(chat.messages().map((m) => `${m.kind}:${m.kind === 'tool' ? m.status : 'text' in m ? m.text : ''}`)).toEqual([
        'user:first',
        'tool:cancelled',
        'user:second',
        'assistant:answer to "second"',
      ]);
      expect(model.openStreams).toBe(0);
    });

    it('steer: the message is injected into the running run and its next turn sees it', () => {
      const { chat, model, release } = setup('steer');
      chat.send('first');
      chat.send('also this');
      release();
      expect(chat.status()).toBe('completed');
      expect(model.requests).toHaveLength(2);
      expect(lastUser(model.requests[1]!)).toBe('"also this"');
      expect(chat.messages().map((m) => m.kind + (m.kind === 'user' && m.injected ? '+injected' : ''))).toEqual([
        'user',
        'tool',
        'user+injected',
        'assistant',
      ]);
    });
  });

  it('approve() and reject() answer pending approvals', () => {
    const deleteFile = tool({
      name: 'delete_file',
      description: 'Deletes a file',
      parameters: z.object({ path: z.string() }),
      needsApproval: true,
      execute: ({ path }) => `deleted ${path}`,
    });
    const model = new ScriptedModel({
      turns: [
        { toolCalls: [{ name: 'delete_file', arguments: { path: 'a' }, callId: 'ca' }, { name: 'delete_file', arguments: { path: 'b' }, callId: 'cb' }] },
        { text: 'ok' },
      ],
    });
    const chat = chatWith({ run: (input, controls) => run(new Agent({ name: 'A', model, tools: [deleteFile] }), input, controls) });
    chat.send('clean');
    expect(chat.pendingApprovals().map((a) => a.callId)).toEqual(['ca', 'cb']);
    chat.approve('ca');
    expect(chat.pendingApprovals().map((a) => a.callId)).toEqual(['cb']);
    chat.reject('cb', 'not b');
    expect(chat.status()).toBe('completed');
    expect(chat.messages().flatMap((m) => (m.kind === 'tool' ? [`${m.callId}:${m.status}`] : []))).toEqual(['ca:completed', 'cb:rejected']);
    expect(JSON.stringify(model.requests[1]!.input)).toContain('not b');
  });
});
