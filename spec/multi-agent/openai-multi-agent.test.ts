import { firstValueFrom, Subject } from 'rxjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  type AgentFor,
  InputGuardrailTripwireTriggered,
  MemorySession,
  run,
  toResult,
  tool,
  type StreamEvent,
} from '../../lib/index.js';
import { OpenAIResponsesModel } from '../../lib/openai/index.js';
import { expectPaired, statuses } from '../helpers/collect.js';
import { tracingHarness } from '../helpers/tracing.js';
import { watch } from '../support/model-events.js';
import { useOpenAIServer } from '../support/use-openai-server.js';

const fx = useOpenAIServer();
const harness = tracingHarness();
beforeEach(() => harness.reset());

const model = () => new OpenAIResponsesModel({ client: fx.client(), model: 'gpt-test' });

/** Cancels once `ready` has happened; checks the run ended cancelled, the socket closed, spans ended, and the session continues. */
async function cancelMidway(options: {
  agent: AgentFor;
  ready: (events: readonly StreamEvent<unknown>[]) => boolean;
  openRequest?: number;
  session: MemorySession;
}) {
  const cancel$ = new Subject<string>();
  const watched = watch(run(options.agent, 'start', { cancel$, session: options.session, tracer: harness.tracer }));
  await watched.when(() => options.ready(watched.events));
  if (options.openRequest !== undefined) await fx.server.request(options.openRequest);
  cancel$.next('user pressed stop');
  expect(await watched.ended).toBeUndefined();
  expect(statuses(watched.events)).toEqual(['running', 'cancelled']);
  if (options.openRequest !== undefined) {
    const request = fx.server.requests[options.openRequest]!;
    await request.closed;
    expect(request.closedByClient).toBe(true);
  }
  harness.expectAllEndedChildrenFirst();
  expectPaired(await options.session.getItems());
}

describe('multi-agent runs against the OpenAI wire format (real client, local server)', () => {
  it('hands off; a cancel inside the new agent’s stream closes its socket and the session continues', async () => {
    const billing = new Agent({ name: 'Billing', model: model() });
    const triage = new Agent({ name: 'Triage', model: model(), handoffs: [billing] });
    fx.server.enqueue({ toolCalls: [{ name: 'transfer_to_billing' }] }, { text: 'Billing here, looking', fault: { kind: 'hang' } });
    const session = new MemorySession();
    await cancelMidway({ agent: triage, session, openRequest: 1, ready: (events) => events.some((e) => e.type === 'text.delta') });
    expect(fx.server.requests[0]!.body.tools.map((t: { name: string }) => t.name)).toEqual(['transfer_to_billing']);

    fx.server.enqueue({ text: 'Continued.' });
    const next = await firstValueFrom(run(triage, 'again', { session }).pipe(toResult()));
    expect(next.finalOutput).toBe('Continued.');
    expect(fx.server.requests[2]!.status).toBe(200);
  });

  it('an agent used as a tool: cancelling the outer run closes the nested run’s socket', async () => {
    const expert = new Agent({ name: 'Expert', model: model() });
    const outer = new Agent({ name: 'Outer', model: model(), tools: [expert.asTool({ toolName: 'ask_expert', toolDescription: 'asks' })] });
    fx.server.enqueue({ toolCalls: [{ name: 'ask_expert', arguments: { input: 'why?' } }] }, { text: 'Because', fault: { kind: 'hang' } });
    const session = new MemorySession();
    await cancelMidway({
      agent: outer,
      session,
      openRequest: 1,
      ready: (events) => events.some((e) => e.type === 'tool.progress' && (e.value as StreamEvent).type === 'text.delta'),
    });
    expect(harness.parentOf(harness.one('run Expert'))?.name).toBe('execute_tool ask_expert');

    fx.server.enqueue({ text: 'Fine.' });
    expect((await firstValueFrom(run(outer, 'again', { session }).pipe(toResult()))).finalOutput).toBe('Fine.');
    expect(fx.server.requests[2]!.status).toBe(200);
  });

  it('a tripped input guardrail closes the first model call’s socket and fails the run', async () => {
    const trip$ = new Subject<{ tripwireTriggered: boolean }>();
    const agent = new Agent({ name: 'A', model: model(), inputGuardrails: [{ name: 'screen', execute: () => trip$ }] });
    fx.server.enqueue({ text: 'Here is your essay', fault: { kind: 'hang' } });
    const session = new MemorySession();
    const watched = watch(run(agent, 'write my essay', { session, tracer: harness.tracer }));
    await watched.when((e) => e.type === 'text.delta');
    trip$.next({ tripwireTriggered: true });
    expect(await watched.ended).toBeInstanceOf(InputGuardrailTripwireTriggered);
    const request = fx.server.requests[0]!;
    await request.closed;
    expect(request.closedByClient).toBe(true);
    harness.expectAllEndedChildrenFirst();
    expect(await session.getItems()).toEqual([{ role: 'user', content: 'write my essay' }]);
  });

  it('approval: approved calls run; a cancel while waiting leaves a session the server accepts', async () => {
    const ran: string[] = [];
    const wire = tool({
      name: 'wire_money',
      description: 'Sends money',
      parameters: z.object({ amount: z.number() }),
      needsApproval: true,
      execute: ({ amount }) => (ran.push(String(amount)), `sent ${amount}`),
    });
    const agent = new Agent({ name: 'Bank', model: model(), tools: [wire] });

    fx.server.enqueue({ toolCalls: [{ name: 'wire_money', arguments: { amount: 5 } }] }, { text: 'Sent.' });
    const approved = watch(run(agent, 'send 5'));
    const request = await approved.when((e) => e.type === 'tool.approval_requested');
    if (request.type === 'tool.approval_requested') request.approve();
    expect(await approved.ended).toBeUndefined();
    expect(ran).toEqual(['5']);

    fx.server.reset();
    fx.server.enqueue({ toolCalls: [{ name: 'wire_money', arguments: { amount: 900 } }] });
    const session = new MemorySession();
    await cancelMidway({ agent, session, ready: (events) => events.some((e) => e.type === 'tool.approval_requested') });
    expect(ran).toEqual(['5']);
    fx.server.enqueue({ text: 'Not sent.' });
    expect((await firstValueFrom(run(agent, 'never mind', { session }).pipe(toResult()))).finalOutput).toBe('Not sent.');
    expect(fx.server.requests.at(-1)!.status).toBe(200);
  });
});
