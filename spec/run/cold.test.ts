import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, ScriptedModel, run, tool } from '../../lib/index.js';
import { collect, statuses } from '../helpers/collect.js';

describe('a run is cold', () => {
  it('does nothing before subscribe: no model call, no tool', () => {
    let toolCalls = 0;
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 't' }] }, { text: 'done' }] });
    const t = tool({ name: 't', description: 't', parameters: z.object({}), execute: () => ++toolCalls });
    const run$ = run(new Agent({ name: 'A', model, tools: [t] }), 'hi');
    expect(model.requests).toHaveLength(0);
    expect(toolCalls).toBe(0);
    void run$;
  });

  it('runs once per subscription, independently', async () => {
    let toolCalls = 0;
    const model = new ScriptedModel({
      turns: (request) =>
        request.input.some((i) => i.type === 'function_call_output') ? { text: 'done' } : { toolCalls: [{ name: 't' }] },
    });
    const t = tool({ name: 't', description: 't', parameters: z.object({}), execute: () => ++toolCalls });
    const run$ = run(new Agent({ name: 'A', model, tools: [t] }), 'hi');
    const [a, b] = await Promise.all([collect(run$), collect(run$)]);
    expect(statuses(a.events)).toEqual(['running', 'completed']);
    expect(statuses(b.events)).toEqual(['running', 'completed']);
    expect(model.requests).toHaveLength(4);
    expect(toolCalls).toBe(2);
    // The second run's requests hold no trace of the first.
    for (const request of model.requests) {
      expect(request.input.filter((i) => i.type === 'function_call').length).toBeLessThanOrEqual(1);
    }
  });
});
