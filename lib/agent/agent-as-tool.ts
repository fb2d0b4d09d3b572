import { Observable } from 'rxjs';
import { describe, UserError } from '../errors/agents-error.js';
import { globalRegistry, object, string } from 'zod/mini';
import type { RunResult } from '../events/run-result.js';
import { tool, type Tool } from '../tools/tool.js';
import type { AgentFor } from './agent.js';

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
 * A tool that runs an agent as a nested run, started with the calling run's
 * `ctx.runNested` (so this room never imports the run loop). Its events become
 * the tool's progress, unsubscribing the outer run unsubscribes it, its spans nest
 * under the call's, its approvals surface on the outer run and its usage adds up.
 * A throwing `outputExtractor` fails the call, not the process.
 */
export function agentAsTool<TContext>(agent: AgentFor<TContext>, options: AgentToolOptions<unknown>): Tool<TContext> {
  return tool({
    name: options.toolName,
    description: options.toolDescription,
    parameters: object({ input: string().register(globalRegistry, { description: `The request for the ${agent.name} agent` }) }),
    timeoutMs: options.timeoutMs,
    execute: ({ input }, ctx) =>
      new Observable<unknown>((subscriber) => {
        if (!ctx.runNested) throw new UserError(`Tool "${options.toolName}" runs agent "${agent.name}" and needs to be called by a run.`);
        let result: RunResult<unknown> | undefined;
        return ctx.runNested(agent, input, { maxTurns: options.maxTurns }).subscribe({
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
            let output: unknown;
            try {
              output = options.outputExtractor ? options.outputExtractor(result) : result.finalOutput;
            } catch (error) {
              subscriber.error(new Error(`its outputExtractor threw: ${describe(error)}`, { cause: error }));
              return;
            }
            subscriber.next(output);
            subscriber.complete();
          },
        });
      }),
  });
}
