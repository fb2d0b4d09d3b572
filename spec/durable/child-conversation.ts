import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { ChildConfig } from './fixtures/conversation-process.js';

const source = fileURLToPath(new URL('./fixtures/conversation-process.ts', import.meta.url));
let bundled: Promise<string> | undefined;

/** The child script bundled once per test file: plain node starts it much faster than a TypeScript loader. */
function script(): Promise<string> {
  return (bundled ??= (async () => {
    const outfile = join(await mkdtemp(join(tmpdir(), 'rxjs-agents-child-')), 'conversation-process.mjs');
    await build({
      entryPoints: [source],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      logLevel: 'error',
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    return outfile;
  })());
}

/** A JSON line a child printed: an event of its run, `gate.waiting`, or `child.error`. */
export type ChildLine = { readonly type: string; readonly [key: string]: unknown };

/** A child process running one run (see fixtures/conversation-process.ts). */
export interface ChildConversation {
  readonly process: ChildProcess;
  readonly lines: ChildLine[];
  /** Resolves with the first line (seen so far or later) that matches. */
  line(predicate: (line: ChildLine) => boolean): Promise<ChildLine>;
  /** Opens the scripted gate. */
  open(): void;
  /** Resolves with the exit code (null when killed) and every line. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: ChildLine[] }>;
}

/** Starts a child process running one run on a RedisSession. */
export async function startChild(config: ChildConfig): Promise<ChildConversation> {
  const child = spawn(process.execPath, [await script()], {
    env: { ...process.env, CONVERSATION_CHILD: JSON.stringify(config) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: ChildLine[] = [];
  const waiters: { predicate: (line: ChildLine) => boolean; resolve: (line: ChildLine) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: ChildLine;
    try {
      line = JSON.parse(text) as ChildLine;
    } catch {
      return; // not ours
    }
    lines.push(line);
    for (const waiter of waiters.filter((w) => w.predicate(line))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  child.stdin!.on('error', () => undefined); // the child may be gone
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: ChildLine[] }>((resolve) =>
    child.once('exit', (code, signal) => setImmediate(() => resolve({ code, signal, lines }))),
  );
  return {
    process: child,
    lines,
    exited,
    line: (predicate) => {
      const seen = lines.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ predicate, resolve });
        void exited.then(() => reject(new Error(`the child exited without the line; it printed:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`)));
      });
    },
    open: () => void child.stdin!.write('open\n'),
  };
}

/** The terminal run.updated line of a child's run. */
export function terminal(lines: readonly ChildLine[]): ChildLine | undefined {
  return lines.find((l) => l.type === 'run.updated' && l['status'] !== 'running');
}
