import { type Observable } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  coalesceDeltas,
  ScriptedModel,
  run,
  toResult,
  tool,
  type RunResult,
  type StreamEvent,
  type ToolCallError,
  type ToolContext,
  type ToolOutputRunItem,
  type ModelRetryEvent,
  type SessionError,
  type RunOptions,
} from '../../lib/index.js';

interface Ctx {
  readonly userId: string;
}

const model = new ScriptedModel({ turns: [{ text: 'ok' }] });
const whoAmI = tool<z.ZodObject<{ loud: z.ZodBoolean }>, string, Ctx>({
  name: 'who_am_i',
  description: 'the user',
  parameters: z.object({ loud: z.boolean() }),
  execute: ({ loud }, ctx) => {
    expectTypeOf(loud).toEqualTypeOf<boolean>();
    expectTypeOf(ctx).toEqualTypeOf<ToolContext<Ctx>>();
    return loud ? ctx.context.userId.toUpperCase() : ctx.context.userId;
  },
});

describe('public types', () => {
  it('a context type declared by tools is inferred into the agent, and run() then requires it', () => {
    const agent = new Agent({ name: 'A', model, tools: [whoAmI], instructions: ({ context }) => `Serve ${context.userId}.` });
    expectTypeOf(agent).toEqualTypeOf<Agent<Ctx, string>>();
    run(agent, 'hi', { context: { userId: 'u1' } });
    // @ts-expect-error the agent declares a context: run() needs it
    run(agent, 'hi');
    // @ts-expect-error and without it in the options too
    run(agent, 'hi', {});
    // @ts-expect-error of the declared type
    run(agent, 'hi', { context: { userId: 42 } });
    // An agent without a context type needs no options.
    run(new Agent({ name: 'B', model }), 'hi');
  });

  it('the output type flows from outputType through run() and toResult()', () => {
    const typed = new Agent({ name: 'W', model, outputType: z.object({ city: z.string(), temperature: z.number() }) });
    const result$ = run(typed, 'Weather?').pipe(toResult());
    // Joining deltas keeps the events' type, and so the output type after it.
    expectTypeOf(run(typed, 'Weather?').pipe(coalesceDeltas(), toResult())).toEqualTypeOf(result$);
    expectTypeOf(result$).toEqualTypeOf<Observable<RunResult<{ city: string; temperature: number }>>>();
    expectTypeOf<RunResult<{ city: string }>['finalOutput']>().toEqualTypeOf<{ city: string } | undefined>();
    // A plain agent's output is its text.
    expectTypeOf(run(new Agent({ name: 'P', model }), 'hi')).toEqualTypeOf<Observable<StreamEvent<string>>>();
  });

  it('events and results are plain data about agents: names, not objects', () => {
    expectTypeOf<Extract<StreamEvent, { type: 'agent.updated' }>['agent']>().toEqualTypeOf<string>();
    expectTypeOf<RunResult['lastAgent']>().toEqualTypeOf<string>();
  });

  it('failures are typed where they surface', () => {
    expectTypeOf<ToolOutputRunItem['error']>().toEqualTypeOf<ToolCallError | undefined>();
    expectTypeOf<ToolCallError['kind']>().toExtend<string>();
    expectTypeOf<'cancelled'>().toExtend<ToolCallError['kind']>();
    expectTypeOf<'invalid_output'>().toExtend<ToolCallError['kind']>();
    expectTypeOf<ModelRetryEvent>().toExtend<StreamEvent>();
    expectTypeOf<NonNullable<RunOptions['onError']>>().parameter(0).toExtend<Error>();
    expectTypeOf<SessionError['operation']>().toEqualTypeOf<'getItems' | 'addItems'>();
  });

  it('tool parameters must be a zod object', () => {
    // Checked by the compiler only (at runtime it throws a UserError, tested elsewhere).
    const bad = () =>
      // @ts-expect-error a JSON schema is not accepted where a zod object is expected
      tool({ name: 'bad', description: 'bad', parameters: { type: 'object' }, execute: () => 1 });
    expectTypeOf(bad).toBeFunction();
  });
});
