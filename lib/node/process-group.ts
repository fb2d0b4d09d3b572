import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';

/** Groups sent SIGTERM whose SIGKILL is still due; killed at once if Node exits first. */
const dying = new Map<number, NodeJS.Timeout>();

function killDying(): void {
  for (const [pid, timer] of dying) {
    clearTimeout(timer);
    signalGroup(pid, 'SIGKILL');
  }
  dying.clear();
}

/**
 * Spawns a command as the leader of a new process group (POSIX `setsid`), so
 * everything it starts, grandchildren included, can be signalled at once.
 */
export function spawnGroup(command: string, args: readonly string[], options: Omit<SpawnOptions, 'detached'>): ChildProcess {
  return spawn(command, args, { ...options, detached: true });
}

/**
 * Stops a process group without waiting for it: SIGTERM after `termAfterMs`
 * (default at once; a stdio server first gets the chance to exit on its own),
 * SIGKILL `graceMs` later to whatever is left. The timers do not keep Node alive;
 * if Node exits first, the group is killed on the way out.
 */
export function stopGroup(pid: number, graceMs: number, termAfterMs = 0): void {
  if (dying.has(pid)) return;
  const term = () => {
    if (signalGroup(pid, 'SIGTERM')) later(pid, graceMs, () => signalGroup(pid, 'SIGKILL'));
  };
  if (termAfterMs > 0) later(pid, termAfterMs, term);
  else term();
}

/** Runs `step` for a group after `ms`, or kills the group at once if Node exits first. */
function later(pid: number, ms: number, step: () => void): void {
  if (dying.size === 0) process.once('exit', killDying);
  const timer = setTimeout(() => {
    dying.delete(pid);
    if (dying.size === 0) process.removeListener('exit', killDying);
    step();
  }, ms);
  timer.unref();
  dying.set(pid, timer);
}

/** Signals every process of a group; false when the group no longer exists. */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}
