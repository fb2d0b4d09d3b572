import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  AgentsError,
  decodeError,
  decodeEvent,
  encodeError,
  encodeEvent,
  InputGuardrailTripwireTriggered,
  MaxTurnsExceededError,
  ModelBehaviorError,
  ModelError,
  RunCancelledError,
  run,
  ScriptedModel,
  type StreamEvent,
  tool,
  ToolCallError,
  type ToolApprovalDecision,
  UserError,
  type WireEvent,
} from '../../lib/index.js';
import * as core from '../../lib/index.js';

/** Through JSON text, as on the wire. */
const roundTrip = (event: StreamEvent<unknown>, answer?: (d: ToolApprovalDecision) => void) =>
  decodeEvent<unknown>(JSON.parse(JSON.stringify(encodeEvent(event))) as WireEvent, answer ? { answer } : {});

describe('the event codec', () => {
  it('every event of a real run crosses JSON and comes back equal', async () => {
    const weather = tool({ name: 'get_weather', description: 'Weather', parameters: z.object({ city: z.string() }), execute: ({ city }) => `Sunny in ${city}` });
    const model = new ScriptedModel({ turns: [{ reasoning: 'Think', toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] }, { text: 'Sunny.' }] });
    const events = await lastValueFrom(run(new Agent({ name: 'A', model, tools: [weather] }), 'Weather?').pipe(toArray()));
    for (const event of events) {
      const wire = encodeEvent(event);
      expect(() => JSON.stringify(wire)).not.toThrow();
      expect(encodeEvent(roundTrip(event))).toEqual(wire);
    }
    expect(encodeEvent(events.find((e) => e.type === 'agent.updated')!)).toEqual({ type: 'agent.updated', agent: 'A' });
    const terminal = encodeEvent(events.at(-1)!) as unknown as { result: { lastAgent: unknown } };
    expect(terminal.result.lastAgent).toBe('A');
  });

  it('errors come back as the same classes with their fields, without stack or cause', () => {
    const errors: Error[] = [
      new ModelError('rate limited', { status: 429, code: 'rate_limit', cause: new Error('inner') }),
      new ToolCallError('timeout', 'get_weather', 'call_1', 'The tool timed out.'),
      new MaxTurnsExceededError(3),
      new RunCancelledError('stop'),
      new UserError('bad'),
      new ModelBehaviorError('odd'),
      new AgentsError('base'),
      new InputGuardrailTripwireTriggered({ kind: 'input', name: 'no_secrets', agentName: 'A', output: { tripwireTriggered: true, outputInfo: { score: 1 } } }),
      new TypeError('plain'),
    ];
    for (const error of errors) {
      const wire = JSON.parse(JSON.stringify(encodeError(error))) as Record<string, unknown>;
      expect(wire).not.toHaveProperty('stack');
      expect(wire).not.toHaveProperty('cause');
      const back = decodeError(wire as never);
      expect(back.constructor).toBe(error instanceof TypeError ? Error : error.constructor);
      expect(back.name).toBe(error.name);
      expect(back.message).toBe(error.message);
      expect({ ...back }).toEqual({ ...JSON.parse(JSON.stringify({ ...error })), name: error.name });
    }
    const back = decodeError(encodeError(new ModelError('x', { status: 500, code: 'server_error' })));
    expect(back).toBeInstanceOf(ModelError);
    expect(back).toBeInstanceOf(AgentsError);
    expect(back).toMatchObject({ status: 500, code: 'server_error' });
  });

  it('every error class the core exports comes back as itself', () => {
    const classes = (Object.entries(core) as [string, unknown][]).filter(
      (entry): entry is [string, new (...args: never[]) => Error] => typeof entry[1] === 'function' && entry[1].prototype instanceof Error,
    );
    expect(classes.length).toBeGreaterThan(5);
    for (const [name, errorClass] of classes) {
      const error = Reflect.construct(Error, [`a ${name}`], errorClass) as Error;
      error.name = name;
      expect(decodeError(encodeError(error)), name).toBeInstanceOf(errorClass);
    }
  });

  it('keeps plain data and leaves out what is not: class instances, functions, cycles; bigints become text', () => {
    class Client {
      apiKey = 'sk-secret';
    }
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    const value = { n: 1n, date: new Date(0), client: new Client(), fn: () => 1, list: [1, undefined, Infinity], cyclic, shared: [cyclic, cyclic] };
    const wire = encodeEvent({ type: 'tool.progress', callId: 'c', toolName: 't', value });
    expect(wire).toEqual({
      type: 'tool.progress',
      callId: 'c',
      toolName: 't',
      value: { n: '1', date: '1970-01-01T00:00:00.000Z', list: [1, null, null], cyclic: { name: 'loop' }, shared: [{ name: 'loop' }, { name: 'loop' }] },
    });
    expect(JSON.stringify(wire)).not.toContain('sk-secret');
  });

  it("a decoded approval request answers through the decoder's channel", () => {
    const answers: ToolApprovalDecision[] = [];
    const event = roundTrip(
      { type: 'tool.approval_requested', callId: 'call_9', toolName: 'rm', arguments: { path: '/' }, approve: () => undefined, reject: () => undefined },
      (d) => answers.push(d),
    );
    expect(event.type === 'tool.approval_requested' && event.arguments).toEqual({ path: '/' });
    if (event.type !== 'tool.approval_requested') throw new Error('not an approval');
    event.approve();
    event.reject('no');
    expect(answers).toEqual([
      { callId: 'call_9', approved: true },
      { callId: 'call_9', approved: false, message: 'no' },
    ]);
    const deaf = decodeEvent(encodeEvent(event));
    expect(() => deaf.type === 'tool.approval_requested' && deaf.approve()).toThrow(UserError);
  });

  it('types: encodeEvent makes a WireEvent, decodeEvent a StreamEvent of the output type asked for', () => {
    expectTypeOf(encodeEvent).returns.toEqualTypeOf<WireEvent>();
    expectTypeOf(decodeEvent<{ city: string }>).returns.toEqualTypeOf<StreamEvent<{ city: string }>>();
  });
});
