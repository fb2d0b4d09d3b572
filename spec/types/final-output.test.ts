import type { Observable } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  handoff,
  ScriptedModel,
  run,
  toResult,
  tool,
  type AgentFor,
  type HandoffTarget,
  type RunOutput,
  type RunResult,
  type StreamEvent,
} from '../../lib/index.js';

// Checked by `npm run typecheck` (tsc covers spec/): a regression is a compile error here.

const model = new ScriptedModel({ turns: [{ text: 'ok' }] });
const refund = z.object({ refundId: z.string() });
const invoice = z.object({ invoiceId: z.number() });
const escalation = z.object({ ticket: z.string(), severity: z.enum(['high', 'low']) });
type Refund = z.infer<typeof refund>;
type Invoice = z.infer<typeof invoice>;
type Escalation = z.infer<typeof escalation>;

/** The `finalOutput` type of the results a run Observable gives through `toResult()`. */
type FinalOf<T> = T extends Observable<StreamEvent<infer O>> ? RunResult<O>['finalOutput'] : never;

describe('finalOutput tells the truth', () => {
  it('a single agent: text, or its outputType', () => {
    const plain = new Agent({ name: 'Plain', model });
    const typed = new Agent({ name: 'Typed', model, outputType: refund });
    expectTypeOf(run(plain, 'hi').pipe(toResult())).toEqualTypeOf<Observable<RunResult<string>>>();
    expectTypeOf(run(typed, 'hi').pipe(toResult())).toEqualTypeOf<Observable<RunResult<Refund>>>();
    expectTypeOf<RunOutput<typeof typed>>().toEqualTypeOf<Refund>();
  });

  it('handoffs: a union over the agents that can finish the run, not just the starting one', () => {
    const refunds = new Agent({ name: 'Refunds', model, outputType: refund });
    const billing = new Agent({ name: 'Billing', model, outputType: invoice });
    const triage = new Agent({ name: 'Triage', model, handoffs: [refunds, handoff(billing, { toolName: 'billing_desk' })] });
    const run$ = run(triage, 'hi');
    expectTypeOf<FinalOf<typeof run$>>().toEqualTypeOf<string | Refund | Invoice | undefined>();
    expectTypeOf<FinalOf<typeof run$>>().not.toEqualTypeOf<string | undefined>();
    // The terminal event carries the same result.
    expectTypeOf<NonNullable<Extract<StreamEvent<RunOutput<typeof triage>>, { type: 'run.updated' }>['result']>>().toEqualTypeOf<
      RunResult<string | Refund | Invoice>
    >();
    run$.pipe(toResult()).subscribe((result) => {
      // @ts-expect-error the run may end with Refunds' or Billing's output: it is not a string
      const text: string | undefined = result.finalOutput;
      void text;
    });
  });

  it('nested handoffs: every agent reachable, transitively', () => {
    const escalations = new Agent({ name: 'Escalations', model, outputType: escalation });
    const refunds = new Agent({ name: 'Refunds', model, outputType: refund, handoffs: [escalations] });
    const triage = new Agent({ name: 'Triage', model, outputType: invoice, handoffs: [handoff(refunds)] });
    expectTypeOf<RunOutput<typeof triage>>().toEqualTypeOf<Invoice | Refund | Escalation>();
    expectTypeOf<RunOutput<typeof refunds>>().toEqualTypeOf<Refund | Escalation>();
    // An agent used as a tool: its output extractor sees the same union.
    triage.asTool({
      toolName: 'triage',
      toolDescription: 'triage',
      outputExtractor: (result) => {
        expectTypeOf(result.finalOutput).toEqualTypeOf<Invoice | Refund | Escalation | undefined>();
        return result.finalOutput;
      },
    });
  });

  it('unknown where the types cannot know: a handoff list typed loosely (a cycle)', () => {
    const a: Agent<unknown, string, HandoffTarget> = new Agent({ name: 'A', model, handoffs: () => [b] });
    const b: Agent<unknown, string, HandoffTarget> = new Agent({ name: 'B', model, handoffs: () => [a] });
    expectTypeOf<RunOutput<typeof a>>().toEqualTypeOf<unknown>();
    expectTypeOf<RunOutput<AgentFor>>().toEqualTypeOf<unknown>();
    // The types do not let an agent forget its handoffs: an agent without any is `Agent<C, O>`.
    // @ts-expect-error Triage hands off to Refunds, whose output is not a string
    const forgetful: Agent<unknown, string> = new Agent({ name: 'Triage', model, handoffs: [new Agent({ name: 'Refunds', model, outputType: refund })] });
    void forgetful;
  });

  it("stop_on_first_tool: the agent's outputType, or text", () => {
    const lookup = tool({ name: 'lookup', description: 'l', parameters: z.object({}), execute: () => ({ refundId: 'r1' }) });
    // Without an outputType, a stopping tool's output ends the run as text.
    const textual = new Agent({ name: 'T', model, tools: [lookup], toolUseBehavior: 'stop_on_first_tool' });
    expectTypeOf<RunOutput<typeof textual>>().toEqualTypeOf<string>();
    // With one, the tool's output is validated against it, so it is of that type.
    const typed = new Agent({ name: 'V', model, tools: [lookup], outputType: refund, toolUseBehavior: { stopAtToolNames: ['lookup'] } });
    expectTypeOf(run(typed, 'hi').pipe(toResult())).toEqualTypeOf<Observable<RunResult<Refund>>>();
  });

  it('an agent with a context type: context required and the output union kept', () => {
    interface Ctx {
      readonly userId: string;
    }
    const whoAmI = tool<z.ZodObject<{}>, string, Ctx>({ name: 'who', description: 'w', parameters: z.object({}), execute: (_, ctx) => ctx.context.userId });
    const refunds = new Agent({ name: 'Refunds', model, tools: [whoAmI], outputType: refund });
    const triage = new Agent({ name: 'Triage', model, tools: [whoAmI], handoffs: [refunds] });
    expectTypeOf(triage).toEqualTypeOf<Agent<Ctx, string, typeof refunds>>();
    const run$ = run(triage, 'hi', { context: { userId: 'u1' } });
    expectTypeOf(run$).toEqualTypeOf<Observable<StreamEvent<string | Refund>>>();
    // @ts-expect-error the agent declares a context: run() needs it
    run(triage, 'hi');
    // A tool's nested run is typed the same way.
    tool<z.ZodObject<{}>, unknown, Ctx>({
      name: 'ask_triage',
      description: 'a',
      parameters: z.object({}),
      execute: (_, ctx) => {
        const nested$ = ctx.runNested!(triage, 'hi');
        expectTypeOf(nested$).toEqualTypeOf<Observable<StreamEvent<string | Refund>>>();
        return nested$;
      },
    });
  });
});
