/**
 * Human in the loop: a tool that needs approval asks in the terminal; only that call
 * waits. Offline on ScriptedModel. Without a terminal (piped stdin) it rejects.
 *
 *   npx tsx examples/approvals.ts
 */
import { createInterface } from 'node:readline/promises';
import { lastValueFrom, tap } from 'rxjs';
import * as z from 'zod';
import { Agent, run, ScriptedModel, tool } from '../lib/index.js';
import { printEvent } from './print-events.js';

const deleteFile = tool({
  name: 'delete_file',
  description: 'Deletes a file',
  parameters: z.object({ path: z.string() }),
  // Only files outside /tmp need a human's yes.
  needsApproval: ({ path }) => !path.startsWith('/tmp/'),
  execute: ({ path }) => `deleted ${path}`,
});

const agent = new Agent({
  name: 'Janitor',
  tools: [deleteFile],
  model: new ScriptedModel({
    delayMs: 20,
    turns: [
      { text: 'Cleaning up.', toolCalls: [{ name: 'delete_file', arguments: { path: '/tmp/cache.bin' } }, { name: 'delete_file', arguments: { path: '/home/me/notes.txt' } }] },
      { text: 'Done cleaning.' },
    ],
  }),
});

const terminal = process.stdin.isTTY ? createInterface({ input: process.stdin, output: process.stdout }) : undefined;

await lastValueFrom(
  run(agent, 'Clean up my disk').pipe(
    tap(printEvent),
    tap(async (event) => {
      if (event.type !== 'tool.approval_requested') return;
      const answer = terminal ? await terminal.question(`  ? allow ${event.toolName}(${JSON.stringify(event.arguments)})? [y/N] `) : 'n';
      if (answer.trim().toLowerCase() === 'y') event.approve();
      else event.reject('the user said no');
    }),
  ),
);
terminal?.close();
