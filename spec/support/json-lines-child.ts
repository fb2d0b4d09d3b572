import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';

const bundles = new Map<string, Promise<string>>();

/** `source` (a TypeScript file) bundled once per test file: plain node starts it much faster than a TypeScript loader. */
export function bundleChild(source: string): Promise<string> {
  let bundled = bundles.get(source);
  if (!bundled) {
    bundled = (async () => {
      const outfile = join(await mkdtemp(join(tmpdir(), 'rxjs-agents-child-')), basename(source).replace(/\.ts$/, '.mjs'));
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
    })();
    bundles.set(source, bundled);
  }
  return bundled;
}

/** A JSON line a child printed. */
export type ChildLine = { readonly type: string; readonly [key: string]: unknown };

/** How a child ended, with every line it printed. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly lines: ChildLine[];
}

/** A child process that reports on stdout, one JSON line at a time, and reads lines on stdin. */
export interface JsonLinesChild {
  readonly process: ChildProcess;
  readonly lines: ChildLine[];
  /** Resolves with the first line (seen so far or later) that matches; rejects if the child exits first. */
  line(predicate: (line: ChildLine) => boolean): Promise<ChildLine>;
  /** Writes a line to the child's stdin. */
  write(line: string): void;
  readonly exited: Promise<ChildExit>;
}

/** Starts `node script` with `env` added, its stderr shown, its stdout read as JSON lines. */
export function spawnJsonLines(script: string, env: Readonly<Record<string, string>>): JsonLinesChild {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
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
  const exited = new Promise<ChildExit>((resolve) =>
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
    write: (line) => void child.stdin!.write(`${line}\n`),
  };
}
