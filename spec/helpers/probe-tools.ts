import { NEVER, Observable } from 'rxjs';
import { z } from 'zod';
import { tool, type Tool } from '../../lib/index.js';

/** Records what happened to the calls of the probe tools. */
export class ToolProbe {
  started: string[] = [];
  aborted: { callId: string; reason: unknown }[] = [];
  cancelled: string[] = [];
  unsubscribed: string[] = [];
  /** Calls running now (started, not finished, not torn down). */
  running = new Set<string>();
}

/** A tool that waits for its signal (or `ms` on real timers when given). */
export function waitingTool(probe: ToolProbe, name = 'wait'): Tool {
  return tool({
    name,
    description: 'waits until aborted',
    parameters: z.object({}),
    execute: (_args, { signal, callId }) =>
      new Promise<string>((_resolve, reject) => {
        probe.started.push(callId);
        probe.running.add(callId);
        signal.addEventListener('abort', () => {
          probe.aborted.push({ callId, reason: signal.reason });
          probe.running.delete(callId);
          reject(signal.reason);
        });
      }),
    onCancel: (ctx) => void probe.cancelled.push(ctx.callId),
  });
}

/** A tool that never settles and ignores its signal. */
export function deafTool(probe: ToolProbe, name = 'deaf'): Tool {
  return tool({
    name,
    description: 'ignores its signal',
    parameters: z.object({}),
    execute: (_args, { callId }) => {
      probe.started.push(callId);
      return new Promise<string>(() => undefined);
    },
    onCancel: (ctx) => void probe.cancelled.push(ctx.callId),
  });
}

/** An Observable tool that never completes, recording its unsubscription. */
export function endlessObservableTool(probe: ToolProbe, name = 'stream'): Tool {
  return tool({
    name,
    description: 'emits progress forever',
    parameters: z.object({}),
    execute: (_args, { callId }) =>
      new Observable<string>((subscriber) => {
        probe.started.push(callId);
        probe.running.add(callId);
        subscriber.next('working');
        subscriber.next('still working');
        const inner = NEVER.subscribe();
        return () => {
          inner.unsubscribe();
          probe.running.delete(callId);
          probe.unsubscribed.push(callId);
        };
      }),
    onCancel: (ctx) => void probe.cancelled.push(ctx.callId),
  });
}

/** A tool that answers at once. */
export const echoTool: Tool = tool({
  name: 'echo',
  description: 'echoes',
  parameters: z.object({ text: z.string() }),
  execute: ({ text }) => `echo: ${text}`,
});

/**
 * Resolves when `predicate` holds, checking after each macrotask (no fixed sleep).
 * Gives up after `timeoutMs`, not after a number of checks: what it waits for may
 * be a timer, which a count of fast macrotasks can outrun on an idle machine.
 */
export async function until(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`condition never held within ${timeoutMs} ms`);
    await new Promise((r) => setImmediate(r));
  }
}

/** A tool that needs a human's approval for every call; records the paths it deleted. */
export function deleteFileTool(deleted: string[] = []): Tool {
  return tool({
    name: 'delete_file',
    description: 'Deletes a file',
    parameters: z.object({ path: z.string() }),
    needsApproval: true,
    execute: ({ path }) => (deleted.push(path), `deleted ${path}`),
  });
}
