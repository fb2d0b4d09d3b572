// Sections measured by a TypeScript script of their own (sections/<name>-measure.ts) run it
// in a child process, from the repository root, and read the JSON line it prints last.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Runs `sections/<file>` with the TypeScript loader and `args`; answers its last stdout line, parsed. */
export async function runMeasureScript({ benchDir, rootDir }, file, args, hint = '') {
  const argv = ['--import', pathToFileURL(join(benchDir, 'ts-loader.mjs')).href, join(benchDir, 'sections', file), ...args];
  const output = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: rootDir, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`${file} exited with ${code}${hint}`))));
  });
  return JSON.parse(output.trim().split('\n').pop());
}
