import { build, type Metafile, type Plugin } from 'esbuild';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { entries, packageJson, repoRoot, specifier } from './entries.js';

// Bundles each entry point, and two typical browser applications, the way an
// application's bundler does (esbuild, minified, tree-shaken), from the sources.

/** Entry points that are Node-only by design: bundled for platform "node", not checked for browsers. */
const nodeOnly = new Set(['./node', './server', './redis', './mcp']);

/** `rxjs-agents` and `rxjs-agents/<entry>` resolve to `lib/<entry>/index.ts`, as the built package maps them to `dist/`. */
const fromSources: Plugin = {
  name: 'rxjs-agents-sources',
  setup(b) {
    const name = packageJson.name.replace(/[-/]/g, '\\$&');
    b.onResolve({ filter: new RegExp(`^${name}(/.*)?$`) }, (args) => ({ path: join(repoRoot, 'lib', args.path.slice(packageJson.name.length), 'index.ts') }));
  },
};

interface Bundle {
  readonly bytes: number;
  readonly gzip: number;
  /** Packages (by name) and Node built-ins the bundle contains. */
  readonly packages: readonly string[];
  readonly nodeBuiltins: readonly string[];
}

async function bundle(contents: string, platform: 'browser' | 'node'): Promise<Bundle> {
  const result = await build({
    stdin: { contents, resolveDir: repoRoot, loader: 'ts' },
    bundle: true,
    minify: true,
    platform,
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [fromSources],
    // Node entry points: only their own code is checked to bundle; their dependencies stay imports.
    ...(platform === 'node' ? { packages: 'external' as const } : {}),
  });
  const output = result.outputFiles[0]!.contents;
  return { bytes: output.length, gzip: gzipSync(output).length, ...contents$(result.metafile) };
}

function contents$(metafile: Metafile): Pick<Bundle, 'packages' | 'nodeBuiltins'> {
  const inputs = Object.keys(metafile.inputs);
  const packages = new Set(inputs.flatMap((path) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.slice(1, 2) ?? []));
  const imports = Object.values(metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
  const nodeBuiltins = [...inputs, ...imports].filter((path) => path.startsWith('node:') || /(^|\/)node_modules\/@types\/node\//.test(path));
  return { packages: [...packages].sort(), nodeBuiltins };
}

const sizes: string[] = [];
const report = (what: string, b: Bundle) => sizes.push(`${what.padEnd(58)} ${String(b.bytes).padStart(8)} B  ${String(b.gzip).padStart(7)} B gzip`);
afterAll(() => {
  console.log(`Browser bundle sizes (esbuild, minified):\n${sizes.join('\n')}`);
});

describe('browser bundles', () => {
  const browserEntries = entries.filter((entry) => !nodeOnly.has(entry));

  it.each(browserEntries)('%s bundles for browsers with no Node built-in', async (entry) => {
    const b = await bundle(`export * from '${specifier(entry)}';`, 'browser');
    report(`all of ${specifier(entry)}`, b);
    expect(b.nodeBuiltins).toEqual([]);
    if (entry !== './openai') expect(b.packages).not.toContain('openai');
  }, 30_000);

  it.each(entries.filter((entry) => nodeOnly.has(entry)))('%s (Node-only) bundles for Node', async (entry) => {
    const b = await bundle(`export * from '${specifier(entry)}';`, 'node');
    report(`all of ${specifier(entry)} (node, dependencies external)`, b);
    expect(b.bytes).toBeGreaterThan(0);
  }, 30_000);

  it('a local run on ScriptedModel contains neither openai nor a Node built-in, nor all of zod', async () => {
    const b = await bundle(
      `import { Agent, run, ScriptedModel } from 'rxjs-agents';
run(new Agent({ name: 'A', model: new ScriptedModel({ turns: [{ text: 'Hi.' }] }) }), 'Hi').subscribe((e) => console.log(e));`,
      'browser',
    );
    report('run() on ScriptedModel', b);
    expect(b.nodeBuiltins).toEqual([]);
    expect(b.packages).toEqual(['@opentelemetry/api', 'rxjs', 'tslib', 'zod']);
    // The core needs only zod/v4/core (and two zod/mini constructors), not the whole of zod (~450 kB).
    expect(b.bytes).toBeLessThan(140_000);
  }, 30_000);

  it('the same with a tool whose parameters use zod (classic API) stays small', async () => {
    const b = await bundle(
      `import * as z from 'zod';
import { Agent, run, ScriptedModel, tool } from 'rxjs-agents';
const weather = tool({ name: 'w', description: 'Weather', parameters: z.object({ city: z.string() }), execute: ({ city }) => city });
run(new Agent({ name: 'A', model: new ScriptedModel({ turns: [{ text: 'Hi.' }] }), tools: [weather] }), 'Hi').subscribe((e) => console.log(e));`,
      'browser',
    );
    report('run() on ScriptedModel, a tool with zod (import * as z)', b);
    expect(b.packages).not.toContain('openai');
    expect(b.nodeBuiltins).toEqual([]);
    expect(b.bytes).toBeLessThan(200_000);
  }, 30_000);

  // Defined once the remote-runs entry point exists (no skipped test before that).
  if (entries.includes('./client')) it('a remote run (rxjs-agents/client) contains neither openai nor a Node built-in', async () => {
    const b = await bundle(`import { remoteRun } from '${specifier('./client')}';\nconsole.log(remoteRun);`, 'browser');
    report('remoteRun from rxjs-agents/client', b);
    expect(b.nodeBuiltins).toEqual([]);
    expect(b.packages).not.toContain('openai');
    expect(b.bytes).toBeLessThan(150_000);
  }, 30_000);
});
