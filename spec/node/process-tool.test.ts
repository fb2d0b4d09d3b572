import { Subject, type Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Agent, ScriptedModel, UserError, run, type StreamEvent, type ToolOutputRunItem } from '../../lib/index.js';
import { processTool, type ProcessChunk, type ProcessOutput } from '../../lib/node/index.js';
import { collect, statuses } from '../helpers/collect.js';
import { allGone, isRunning } from '../support/processes.js';

/** Prints the shell's pid and its two background sleepers' pids, then waits for them. */
const TREE = 'echo $$; sleep 1000 & echo $!; sleep 1000 & echo $!; wait';

const outputs = (events: readonly StreamEvent[]): ToolOutputRunItem[] =>
  events.flatMap((e) => (e.type === 'item.created' && e.item.type === 'tool_output' ? [e.item] : []));

/** Runs one call of `sh -c script` and gathers the pids it prints; `ready` resolves once `count` are known. */
function start(script: string, options: Parameters<typeof processTool>[0] & { runOptions?: Parameters<typeof run>[2] } = {}, count = 3) {
  const { runOptions, ...toolOptions } = options;
  const shell = processTool({ allow: ['sh'], killGraceMs: 200, ...toolOptions });
  const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'run_command', arguments: { command: 'sh', args: ['-c', script] } }] }, { text: 'done' }] });
  const pids: number[] = [];
  const events: StreamEvent[] = [];
  let seen = '';
  let ready!: () => void;
  const readyP = new Promise<void>((r) => (ready = r));
  let settle!: () => void;
  const done = new Promise<void>((r) => (settle = r));
  const subscription: Subscription = run(new Agent({ name: 'A', model, tools: [shell] }), 'go', runOptions).subscribe({
    next: (e) => {
      events.push(e);
      if (e.type !== 'tool.progress') return;
      seen += (e.value as ProcessChunk).text;
      pids.splice(0, pids.length, ...seen.split('\n').filter(Boolean).map(Number));
      if (pids.length >= count) ready();
    },
    complete: () => settle(),
    error: () => settle(),
  });
  return { pids, events, ready: readyP, done, subscription, model };
}

describe('processTool: teardown kills the whole process group', () => {
  it('on unsubscribe: the shell and both grandchildren are gone, and the run did not wait', async () => {
    const call = start(TREE);
    await call.ready;
    expect(call.pids.every(isRunning)).toBe(true);
    call.subscription.unsubscribe();
    await allGone(call.pids);
  });

  it('on cancel: the run ends cancelled, the call is paired with an output, and the group is gone', async () => {
    const cancel$ = new Subject<string>();
    const call = start(TREE, { runOptions: { cancel$ } });
    await call.ready;
    cancel$.next('user pressed stop');
    await call.done;
    expect(statuses(call.events)).toEqual(['running', 'cancelled']);
    await allGone(call.pids);
  });

  it('on timeout: the model is told the call timed out, and the group is gone', async () => {
    const call = start(TREE, { timeoutMs: 300 });
    await call.done;
    expect(call.pids).toHaveLength(3);
    const [output] = outputs(call.events);
    expect(output!.error?.kind).toBe('timeout');
    expect(statuses(call.events)).toEqual(['running', 'completed']);
    await allGone(call.pids);
  });

  it('a group that ignores SIGTERM is still running after it, and gone after the SIGKILL that follows', async () => {
    const call = start(`trap '' TERM; ${TREE}`, { killGraceMs: 1000 });
    await call.ready;
    call.subscription.unsubscribe();
    // SIGTERM has been sent: ignored, so everything still runs until the grace period ends.
    await new Promise((r) => setTimeout(r, 50));
    expect(call.pids.every(isRunning)).toBe(true);
    await allGone(call.pids);
  });

  it('what a finished command left running in the background is stopped too', async () => {
    const call = start('sleep 1000 & echo $!; echo $$', {}, 2);
    await call.done;
    const [output] = outputs(call.events);
    expect((output!.output as ProcessOutput).exitCode).toBe(0);
    await allGone(call.pids);
  });
});

describe('processTool: output', () => {
  it('streams stdout and stderr as progress, and gives the model the exit code and the output', async () => {
    const call = start('echo out; echo err >&2; exit 3', {}, 0);
    await call.done;
    const progress = call.events.flatMap((e) => (e.type === 'tool.progress' ? [e.value as ProcessChunk] : []));
    expect(progress).toContainEqual({ stream: 'stdout', text: 'out\n' });
    expect(progress).toContainEqual({ stream: 'stderr', text: 'err\n' });
    const [output] = outputs(call.events);
    expect(output!.output).toEqual({ exitCode: 3, signal: null, output: 'out\nerr\n', truncated: false, outputBytes: 8 });
    const sent = call.model.requests[1]!.input.find((i) => i.type === 'function_call_output');
    expect(JSON.parse((sent as { output: string }).output)).toMatchObject({ exitCode: 3, output: 'out\nerr\n' });
  });

  it('a flood of 300 MB is cut to the limit with bounded memory: first and last bytes kept, the cut marked', async () => {
    const limit = 64 * 1024;
    const before = process.memoryUsage();
    const call = start("printf START; head -c 300M /dev/zero | tr '\\0' x; printf END", { maxOutputBytes: limit }, 0);
    await call.done;
    const after = process.memoryUsage();
    const result = outputs(call.events)[0]!.output as ProcessOutput;
    expect(result.truncated).toBe(true);
    expect(result.outputBytes).toBe(300 * 1024 * 1024 + 'STARTEND'.length);
    expect(result.output.startsWith('STARTxxx')).toBe(true);
    expect(result.output.endsWith('xxxEND')).toBe(true);
    expect(result.output).toMatch(/\[… \d+ bytes of output truncated …\]/);
    expect(result.output.length).toBeLessThan(limit + 100);
    const reported = call.events.reduce((n, e) => n + (e.type === 'tool.progress' ? (e.value as ProcessChunk).text.length : 0), 0);
    expect(reported).toBeLessThanOrEqual(limit);
    // Far less than the 300 MB that went through.
    expect(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers).toBeLessThan(64 * 1024 * 1024);
  }, 20_000);
});

describe('processTool: what may run', () => {
  it('refuses a command outside the allow-list before anything runs, naming it and the allowed ones', async () => {
    const shell = processTool({ allow: ['ls'] });
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'run_command', arguments: { command: 'rm', args: ['-rf', '/tmp/x'] } }] }, { text: 'ok' }] });
    const { events } = await collect(run(new Agent({ name: 'A', model, tools: [shell] }), 'go'));
    const [output] = outputs(events);
    expect(output!.error?.kind).toBe('invalid_arguments');
    expect(output!.rawItem.output).toContain('command "rm" is not allowed. Allowed: ls.');
  });

  it('with needsApproval, asks first and runs only once approved', async () => {
    const shell = processTool({ needsApproval: true });
    const model = new ScriptedModel({ turns: [{ toolCalls: [{ name: 'run_command', arguments: { command: 'echo', args: ['hi'] } }] }, { text: 'ok' }] });
    const events: StreamEvent[] = [];
    await new Promise<void>((resolve) =>
      run(new Agent({ name: 'A', model, tools: [shell] }), 'go').subscribe({
        next: (e) => {
          events.push(e);
          if (e.type === 'tool.approval_requested') e.approve();
        },
        complete: resolve,
      }),
    );
    expect((outputs(events)[0]!.output as ProcessOutput).output).toBe('hi\n');
  });

  it('needs an allow-list or an approval requirement', () => {
    expect(() => processTool({})).toThrow(UserError);
  });

  it('runs commands in the configured working directory', async () => {
    const call = start('pwd', { cwd: '/tmp' }, 0);
    await call.done;
    expect((outputs(call.events)[0]!.output as ProcessOutput).output).toBe('/tmp\n');
  });

  it('passes commands only PATH, HOME and LANG unless told otherwise', async () => {
    process.env['RXJS_AGENTS_TEST_SECRET'] = 'sk-secret';
    try {
      const call = start('echo "[$RXJS_AGENTS_TEST_SECRET]"', {}, 0);
      await call.done;
      expect((outputs(call.events)[0]!.output as ProcessOutput).output).toBe('[]\n');
      const given = start('echo "[$FOO]"', { env: { FOO: 'bar' } }, 0);
      await given.done;
      expect((outputs(given.events)[0]!.output as ProcessOutput).output).toBe('[bar]\n');
    } finally {
      delete process.env['RXJS_AGENTS_TEST_SECRET'];
    }
  });
});
