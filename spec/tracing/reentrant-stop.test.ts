import { Observable, Subscriber } from 'rxjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, ScriptedModel, run, tool, type StreamEvent } from '../../lib/index.js';
import { until } from '../helpers/probe-tools.js';
import { tracingHarness } from '../helpers/tracing.js';

const harness = tracingHarness();
beforeEach(() => harness.reset());

/** Item 17: a stop issued from the handler of a tool's first, synchronous update. */
describe('spans end children first when the run is stopped re-entrantly', () => {
  const progressAtOnce = tool({
    name: 'busy',
    description: 'reports progress at once',
    parameters: z.object({}),
    execute: (_args, ctx) => new Observable<string>(() => ctx.progress('started')),
  });
  const gated = tool({ name: 'gated', description: 'needs approval', parameters: z.object({}), needsApproval: true, execute: () => 'x' });

  it.each([
    ['a synchronous progress report', 'busy', 'tool.progress'],
    ['an approval request', 'gated', 'tool.approval_requested'],
    ['an invalid-arguments output', 'busy', 'item.created'],
  ] as const)('%s, unsubscribed inside its handler', async (_what, name, type) => {
    const args = type === 'item.created' ? '{not json' : {};
    // The call comes asynchronously, as from a real model.
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name, arguments: args }] }], delayMs: 1 });
    const agent = new Agent({ name: 'A', model, tools: [progressAtOnce, gated] });
    // A Subscriber held before subscribe: the run is synchronous, so the stop comes during subscribe.
    const subscriber: Subscriber<StreamEvent> = new Subscriber<StreamEvent>({
      next: (e: StreamEvent) => {
        if (e.type === type && (e.type !== 'item.created' || e.item.type === 'tool_output')) subscriber.unsubscribe();
      },
      error: () => undefined,
      complete: () => undefined,
    });
    run(agent, 'go', { tracer: harness.tracer }).subscribe(subscriber);
    await until(() => subscriber.closed, 5000);
    expect(harness.byName(`execute_tool ${name}`)).toHaveLength(1);
    harness.expectAllEndedChildrenFirst();
  });
});
