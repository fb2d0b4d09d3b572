/**
 * A command tool whose whole process tree stops with the call. The scripted model
 * runs a shell that starts background work and never ends; the call's timeout
 * stops it: the process group gets SIGTERM (then SIGKILL), grandchildren included.
 * Offline.
 *
 *   npx tsx examples/process-tool.ts
 */
import { lastValueFrom, tap } from 'rxjs';
import { Agent, run, ScriptedModel } from '../lib/index.js';
import { processTool } from '../lib/node/index.js';
import { printEvent } from './print-events.js';

const shell = processTool({
  // Only these commands; anything else is refused before it runs.
  allow: ['sh', 'ls', 'echo'],
  cwd: process.cwd(),
  timeoutMs: 1500,
  maxOutputBytes: 4096,
  killGraceMs: 500,
});

const script = 'echo "pids: $$"; (while true; do echo tick; sleep 0.4; done) & sleep 1000 & wait';
const agent = new Agent({
  name: 'Dev',
  tools: [shell],
  model: new ScriptedModel({
    delayMs: 20,
    turns: [
      { toolCalls: [{ name: 'run_command', arguments: { command: 'rm', args: ['-rf', 'node_modules'] } }] },
      { toolCalls: [{ name: 'run_command', arguments: { command: 'sh', args: ['-c', script] } }] },
      { text: 'The command ran too long and was stopped.' },
    ],
  }),
});

await lastValueFrom(run(agent, 'Start the watcher').pipe(tap(printEvent)));
