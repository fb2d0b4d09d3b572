import type { Signal } from '@angular/core';
import { of } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import type { AgentChat, ChatRun, ChatRunControls, ChatStatus } from '../../lib/angular/index.js';
import { remoteRun } from '../../lib/client/index.js';
import { Agent, run, ScriptedModel, toTranscript, type PendingApproval, type StreamEvent, type Transcript, type TranscriptMessage } from '../helpers/imports.js';

describe('public types of the transcript and the Angular chat', () => {
  it('toTranscript keeps the output type of the run', () => {
    const agent = new Agent({ name: 'A', model: new ScriptedModel({ turns: [] }) });
    expectTypeOf(run(agent, 'x').pipe(toTranscript())).toEqualTypeOf<import('rxjs').Observable<Transcript<string>>>();
    expectTypeOf(of<StreamEvent<{ n: number }>>().pipe(toTranscript())).toEqualTypeOf<import('rxjs').Observable<Transcript<{ n: number }>>>();
    expectTypeOf<Transcript<{ n: number }>['finalOutput']>().toEqualTypeOf<{ n: number } | undefined>();
  });

  it('messages are a union discriminated on kind', () => {
    expectTypeOf<TranscriptMessage['kind']>().toEqualTypeOf<'user' | 'assistant' | 'reasoning' | 'tool' | 'handoff' | 'provider_item'>();
  });

  it('a local run and a remote run both fit ChatRun, with the controls spread in', () => {
    const agent = new Agent({ name: 'A', model: new ScriptedModel({ turns: [] }) });
    const local: ChatRun = (input, controls) => run(agent, input, { ...controls });
    const remote: ChatRun = (input, controls) => remoteRun({ url: '/api', agent: 'assistant', input, ...controls });
    expectTypeOf(local).parameter(1).toEqualTypeOf<ChatRunControls>();
    expectTypeOf(remote).returns.toEqualTypeOf<import('rxjs').Observable<StreamEvent<string>>>();
  });

  it('the chat exposes read-only signals', () => {
    expectTypeOf<AgentChat['messages']>().toEqualTypeOf<Signal<readonly TranscriptMessage[]>>();
    expectTypeOf<AgentChat['status']>().toEqualTypeOf<Signal<ChatStatus>>();
    expectTypeOf<AgentChat['pendingApprovals']>().toEqualTypeOf<Signal<readonly PendingApproval[]>>();
    expectTypeOf<AgentChat['error']>().toEqualTypeOf<Signal<Error | undefined>>();
    expectTypeOf<AgentChat<{ n: number }>['transcript']>().toEqualTypeOf<Signal<Transcript<{ n: number }> | undefined>>();
    expectTypeOf<ChatStatus>().toEqualTypeOf<'idle' | 'running' | 'completed' | 'failed' | 'cancelled' | 'suspended'>();
  });
});
