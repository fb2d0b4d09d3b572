import { Observable } from 'rxjs';
import { z } from 'zod';
import type { RunResult } from '../events/run-result.js';
import { run } from '../run/run.js';
import type { RunOptions } from '../run/run-options.js';
import { tool, type Tool } from '../tools/tool.js';
import type { Agent } from './agent.js';

/** Options of `agent.asTool()`. */
export interface AgentToolOptions<TOutput> {
  readonly toolName: string;
  readonly toolDescription: string;
  /** Turns the nested run's result into the tool's output. Default: its final output. */
  readonly outputExtractor?: (result: RunResult<TOutput>) => unknown;
  /** Most model turns of the nested run. Default 10. */
  readonly maxTurns?: number;
  readonly timeoutMs?: number;
}

/**
 * A tool that runs an agent as a nested run. The nested run is an Observable
 * returned to the tool executor, so its events become the tool's progress, and
 * unsubscribing the outer run unsubscribes it (its model stream closes). It is
 * subscribed inside the `execute_tool` span's context, so its spans nest there.
 */
export function agentAsTool<TContext, TOutput>(agent: Agent<TContext, TOutput>, options: AgentToolOptions<TOutput>): Tool<TContext> {
  return tool({
    name: options.toolName,
    description: options.toolDescription,
    parameters: z.object({ input: z.string().describe(`The request for the ${agent.name} agent`) }),
    timeoutMs: options.timeoutMs,
    execute: ({ input }, ctx) =>
      new Observable<unknown>((subscriber) => {
        let result: RunResult<TOutput> | undefined;
        const inherited = (ctx.runOptions ?? {}) as RunOptions<TContext>;
        return run(agent, input, { ...inherited, context: ctx.context, maxTurns: options.maxTurns }).subscribe({
          next: (event) => {
            if (event.type === 'run.updated' && event.result) result = event.result;
            // Each nested event is progress of this call, reported as it happens.
            ctx.progress(event);
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            if (result?.status !== 'completed') {
              subscriber.error(new Error(`the ${agent.name} agent's run was ${result?.status ?? 'stopped'}${result?.reason ? `: ${result.reason}` : ''}`));
              return;
            }
            subscriber.next(options.outputExtractor ? options.outputExtractor(result) : result.finalOutput);
            subscriber.complete();
          },
        });
      }),
  });
}
