import { z } from 'zod';
import { UserError } from '../errors/agents-error.js';
import { tool, type Tool, type ToolContext } from '../tools/tool.js';
import { defaultEnv } from './default-env.js';
import { runProcess } from './run-process.js';

/** The arguments the model gives a {@link processTool}. */
export interface ProcessToolArguments {
  readonly command: string;
  readonly args: readonly string[];
}

/** Options of {@link processTool}. */
export interface ProcessToolOptions<TContext = unknown> {
  /** Default `run_command`. */
  readonly name?: string;
  readonly description?: string;
  /**
   * The commands the model may run, matched exactly against `command` (so `ls`
   * does not allow `/tmp/ls`), or a predicate. A call outside it is refused
   * before anything runs. Give this, `needsApproval`, or both.
   */
  readonly allow?: readonly string[] | ((call: ProcessToolArguments) => boolean);
  /** Whether a human approves each call first (see `tool.approval_requested`). */
  readonly needsApproval?: boolean | ((call: ProcessToolArguments, ctx: ToolContext<TContext>) => boolean | PromiseLike<boolean>);
  /** The working directory of every command. */
  readonly cwd?: string;
  /**
   * The commands' whole environment. Default: only `PATH`, `HOME`, `LANG`, so
   * no secret of this process reaches a command the model chose.
   */
  readonly env?: NodeJS.ProcessEnv;
  /** Stop a command (its whole process group) after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Bytes of output kept for the model (the first and last halves); default 32 KiB. */
  readonly maxOutputBytes?: number;
  /** Time between SIGTERM and SIGKILL when a command is stopped; default 2000 ms. */
  readonly killGraceMs?: number;
}

const parameters = z.object({
  command: z.string().min(1).describe('The executable to run (no shell syntax)'),
  args: z.array(z.string()).describe('Its arguments, one per item'),
});

/**
 * A Node-only tool that runs a command (no shell unless `sh` is allowed) in its
 * own process group. Its output streams as `tool.progress` events (`{ stream, text }`);
 * the model gets a {@link ProcessOutput}: exit code, and output cut to a limit and
 * marked so. When the call is cut off (unsubscribe, cancel, timeout) the whole
 * group, grandchildren included, gets SIGTERM, then SIGKILL; the run waits for neither.
 *
 * @example
 * const shell = processTool({ allow: ['ls', 'cat', 'git'], cwd: repoDir, timeoutMs: 30_000 });
 * const agent = new Agent({ name: 'Dev', model, tools: [shell] });
 */
export function processTool<TContext = unknown>(options: ProcessToolOptions<TContext>): Tool<TContext> {
  const { allow, needsApproval } = options;
  if (!allow && !needsApproval) {
    throw new UserError('processTool needs `allow` (the commands the model may run), `needsApproval`, or both.');
  }
  const allowed = (call: ProcessToolArguments) => (allow === undefined ? true : typeof allow === 'function' ? allow(call) : allow.includes(call.command));
  const env = options.env ?? defaultEnv();
  const maxOutputBytes = options.maxOutputBytes ?? 32 * 1024;
  const killGraceMs = options.killGraceMs ?? 2000;
  const base = tool<typeof parameters, unknown, TContext>({
    name: options.name ?? 'run_command',
    description:
      options.description ??
      `Runs a command and returns its exit code and output.${Array.isArray(allow) ? ` Allowed commands: ${allow.join(', ')}.` : ''}`,
    parameters,
    timeoutMs: options.timeoutMs,
    needsApproval: needsApproval as ProcessToolOptions<TContext>['needsApproval'],
    execute: ({ command, args }, ctx) =>
      runProcess(command, args, { cwd: options.cwd, env, maxOutputBytes, killGraceMs, onChunk: ctx.progress }),
  });
  return {
    ...base,
    // The allow-list is checked with the arguments, so a refused call never asks for approval or runs.
    parse: (args) => {
      const parsed = base.parse(args);
      if (!parsed.success || allowed(parsed.data as ProcessToolArguments)) return parsed;
      const list = Array.isArray(allow) ? ` Allowed: ${allow.join(', ')}.` : '';
      return { success: false, error: `command "${(parsed.data as ProcessToolArguments).command}" is not allowed.${list}` };
    },
  };
}
