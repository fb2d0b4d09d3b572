import fc from 'fast-check';
import { Subject, type Subscription } from 'rxjs';
import { describe, it } from 'vitest';
import { Agent, ScriptedModel, run, type StreamEvent } from '../../lib/index.js';
import { processTool, type ProcessChunk } from '../../lib/node/index.js';
import { allGone } from '../support/processes.js';

/** A shell that prints its pid, starts sleepers (some ignoring SIGTERM) printing theirs, then ticks forever. */
const script = (sleepers: number, stubborn: boolean) =>
  `${stubborn ? "trap '' TERM; " : ''}echo $$; ${'sleep 1000 & echo $!; '.repeat(sleepers)}while true; do echo tick; sleep 0.05; done`;

describe('processTool property: however a call is stopped, no process of its group survives', () => {
  it('unsubscribe, cancel or timeout, after any number of outputs, with or without SIGTERM ignored', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('unsubscribe', 'cancel', 'timeout'),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        async (how, ticks, sleepers, stubborn) => {
          const shell = processTool({ allow: ['sh'], killGraceMs: 100, ...(how === 'timeout' ? { timeoutMs: 400 } : {}) });
          const model = new ScriptedModel({
            turns: [{ toolCalls: [{ name: 'run_command', arguments: { command: 'sh', args: ['-c', script(sleepers, stubborn)] } }] }, { text: 'done' }],
          });
          const cancel$ = new Subject<string>();
          let seen = '';
          let stopped = false;
          const pids = () => seen.split('\n').filter((line) => /^\d+$/.test(line)).map(Number);
          await new Promise<void>((resolve) => {
            const subscription: Subscription = run(new Agent({ name: 'A', model, tools: [shell] }), 'go', { cancel$ }).subscribe({
              next: (e: StreamEvent) => {
                if (e.type !== 'tool.progress' || stopped) return;
                seen += (e.value as ProcessChunk).text;
                if (pids().length < sleepers + 1 || seen.split('tick').length - 1 < ticks || how === 'timeout') return;
                // Stopped from inside an event handler, as user code does.
                stopped = true;
                if (how === 'cancel') cancel$.next('stop');
                else {
                  subscription.unsubscribe();
                  resolve();
                }
              },
              complete: resolve,
              error: resolve,
            });
            if (subscription.closed) resolve();
          });
          // Every pid was seen (the shell's and each sleeper's) before the stop.
          if (pids().length !== sleepers + 1) throw new Error(`saw ${pids().length} pids of ${sleepers + 1}`);
          await allGone(pids());
        },
      ),
      { numRuns: 8 },
    );
  }, 60_000);
});
