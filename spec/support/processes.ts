import { readFileSync } from 'node:fs';

/**
 * Whether a process is still running. `kill(pid, 0)` says whether the pid exists;
 * an exited process whose parent has not reaped it yet (a zombie: state `Z` in
 * /proc) exists but runs nothing. Orphans stay zombies where PID 1 does not reap.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const state = processState(pid);
  return state !== undefined && state !== 'Z';
}

/** The process's state letter from /proc (`R`, `S`, `T` for stopped, `Z` for a zombie…); undefined when it is gone. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

/** Resolves once none of `pids` runs; fails after `timeoutMs` naming those still running. */
export async function allGone(pids: readonly number[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = pids.filter(isRunning);
    if (running.length === 0) return;
    if (Date.now() > deadline) throw new Error(`still running: ${running.join(', ')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
