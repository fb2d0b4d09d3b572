import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entries, packageJson, repoRoot, specifier } from './entries.js';

// The package as a new user gets it: `npm pack` (its prepack builds), the tarball
// installed into scratch projects, every entry point imported from ESM and required
// from CommonJS, and a consumer type-checked under each module resolution.

const exec = promisify(execFile);
const sh = (command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  exec(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
const npmQuiet = ['--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'];
const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');

/** Entry points that must work with no optional peer installed (the browser-safe core and its companions). */
const withoutOptionalPeers = entries.filter((entry) => ['.', './testing', './client'].includes(entry));

/** The version of a package installed in the repository (what the test suite runs against). */
async function installedVersion(name: string): Promise<string> {
  return (JSON.parse(await readFile(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The lowest version a `^x.y.z` range allows. */
function lowest(range: string): string {
  const match = /^\^(\d+\.\d+\.\d+)$/.exec(range);
  if (!match) throw new Error(`peer range "${range}" is not of the form ^x.y.z: teach lowest() about it`);
  return match[1]!;
}

let dir = '';
let files: string[] = [];
/** Tarball + every peer (optional ones too) at the repository's versions. */
let full = '';
/** Tarball + required peers at the lowest versions their ranges allow; no optional peer. */
let lowestPeers = '';

async function project(name: string, dependencies: readonly string[], tarball: string): Promise<string> {
  const cwd = join(dir, name);
  await sh('mkdir', ['-p', cwd], dir);
  await writeFile(join(cwd, 'package.json'), JSON.stringify({ name: `scratch-${name}`, private: true, type: 'module' }));
  await sh('npm', ['install', ...npmQuiet, tarball, ...dependencies], cwd);
  return cwd;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rxjs-agents-pack-'));
  const { stdout } = await sh('npm', ['pack', '--json', '--pack-destination', dir, '--loglevel=error'], repoRoot);
  const packed = (JSON.parse(stdout) as { filename: string; files: { path: string }[] }[])[0]!;
  files = packed.files.map((file) => file.path);
  const tarball = join(dir, packed.filename);

  const peers = packageJson.peerDependencies;
  const optional = new Set(Object.keys(packageJson.peerDependenciesMeta ?? {}));
  const atRepoVersions = await Promise.all(Object.keys(peers).map(async (name) => `${name}@${await installedVersion(name)}`));
  const required = Object.entries(peers).filter(([name]) => !optional.has(name));
  [full, lowestPeers] = await Promise.all([
    project('full', [...atRepoVersions, `@types/node@${await installedVersion('@types/node')}`], tarball),
    project('lowest', required.map(([name, range]) => `${name}@${lowest(range)}`), tarball),
  ]);
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs a module (`.mjs` or `.cjs`, by file name) in a scratch project; its stdout, parsed as JSON. */
async function runIn(cwd: string, file: string, source: string): Promise<unknown> {
  await writeFile(join(cwd, file), source);
  const { stdout } = await sh(process.execPath, [file], cwd);
  return JSON.parse(stdout);
}

const list = JSON.stringify(entries.map(specifier));

/** A complete run on ScriptedModel with a zod tool and structured output; prints what it came to. */
const runProgram = (imports: string) => `${imports}
const weather = tool({
  name: 'get_weather',
  description: 'Weather in a city',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => city + ': sunny',
});
const model = new ScriptedModel({
  turns: [{ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] }, { text: '{"answer":"sunny"}' }],
});
const agent = new Agent({ name: 'A', model, tools: [weather], outputType: z.object({ answer: z.string() }) });
firstValueFrom(run(agent, 'Weather in Paris?').pipe(toResult())).then(async (result) => {
  const named = await firstValueFrom(run(new Agent({ name: 'B', model: 'gpt-4.1-mini' }), 'hi').pipe(toResult())).then(
    () => 'no error',
    (error) => ({ name: error.constructor.name, isUserError: error instanceof UserError, message: error.message }),
  );
  console.log(JSON.stringify({ status: result.status, finalOutput: result.finalOutput, named }));
});
`;

describe('npm pack', () => {
  it('ships every entry point, its declarations, and the sources its maps point at, and no tests', () => {
    for (const entry of entries) {
      const target = packageJson.exports[entry] as { types: string; default: string };
      expect(files).toContain(target.default.replace(/^\.\//, ''));
      expect(files).toContain(target.types.replace(/^\.\//, ''));
    }
    expect(files.filter((file) => /^(spec|bench|examples)\//.test(file))).toEqual([]);
    expect(files.filter((file) => file.endsWith('.map')).length).toBeGreaterThan(0);
  });

  it('every source map points at a file in the package', async () => {
    const installed = join(full, 'node_modules', packageJson.name);
    const maps = files.filter((file) => file.endsWith('.map'));
    const missing: string[] = [];
    for (const map of maps) {
      const { sources } = JSON.parse(await readFile(join(installed, map), 'utf8')) as { sources: string[] };
      for (const source of sources) {
        const path = join(map, '..', source);
        if (!files.includes(path)) missing.push(`${map} -> ${source}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('the installed package', () => {
  it('imports every entry point from ESM, with the exports of its source', async () => {
    const loaded = (await runIn(
      full,
      'exports.mjs',
      `const out = {};
for (const name of ${list}) out[name] = Object.keys(await import(name)).sort();
console.log(JSON.stringify(out));`,
    )) as Record<string, string[]>;
    for (const entry of entries) {
      const source = Object.keys(await import(join(repoRoot, 'lib', entry, 'index.ts'))).sort();
      expect(source.length, entry).toBeGreaterThan(0);
      expect(loaded[specifier(entry)], entry).toEqual(source);
    }
  }, 30_000);

  it('requires every entry point from CommonJS (Node 20.19+ loads ES modules with require)', async () => {
    const loaded = (await runIn(
      full,
      'exports.cjs',
      `const out = {};
for (const name of ${list}) out[name] = Object.keys(require(name)).filter((key) => key !== '__esModule').sort();
console.log(JSON.stringify(out));`,
    )) as Record<string, string[]>;
    for (const entry of entries) {
      const source = Object.keys(await import(join(repoRoot, 'lib', entry, 'index.ts'))).sort();
      expect(loaded[specifier(entry)], entry).toEqual(source);
    }
  }, 30_000);

  it('runs an agent from ESM and from CommonJS; a model name without a provider is a UserError', async () => {
    const expected = {
      status: 'completed',
      finalOutput: { answer: 'sunny' },
      named: { name: 'UserError', isUserError: true, message: expect.stringMatching(/"gpt-4.1-mini".*setDefaultModelProvider/) },
    };
    const esm = runProgram(`import { firstValueFrom } from 'rxjs';
import * as z from 'zod';
import { Agent, run, toResult, tool, UserError } from 'rxjs-agents';
import { ScriptedModel } from 'rxjs-agents/testing';`);
    const cjs = runProgram(`const { firstValueFrom } = require('rxjs');
const z = require('zod');
const { Agent, run, toResult, tool, UserError } = require('rxjs-agents');
const { ScriptedModel } = require('rxjs-agents/testing');`);
    expect(await runIn(full, 'run.mjs', esm)).toEqual(expected);
    expect(await runIn(full, 'run.cjs', cjs)).toEqual(expected);
  }, 30_000);

  it("runs the README's quick start as written, printing the output the README shows", async () => {
    const { program, shown } = await quickStart();
    await writeFile(join(full, 'quickstart.mjs'), (await transform(program, { loader: 'ts', format: 'esm' })).code);
    const { stdout } = await sh(process.execPath, ['quickstart.mjs'], full);
    expect(stdout).toBe(shown);
  }, 30_000);

  const resolutions = [
    { name: 'bundler', module: 'esnext', moduleResolution: 'bundler' },
    { name: 'node16', module: 'node16', moduleResolution: 'node16' },
    { name: 'nodenext', module: 'nodenext', moduleResolution: 'nodenext' },
  ] as const;

  // Each check reads every declaration file (skipLibCheck false), those of the optional peers too
  // (the MCP SDK's and zod's take most of the time): run them side by side, with room for a busy machine.
  it.concurrent.each(resolutions)(
    'type-checks a consumer of every entry point under moduleResolution $name (strict, exactOptionalPropertyTypes, skipLibCheck false)',
    async ({ name, module, moduleResolution }) => {
      const cwd = join(full, `types-${name}`);
      await sh('mkdir', ['-p', cwd], full);
      await writeFile(join(cwd, 'consumer.ts'), consumerSource());
      const include = ['consumer.ts'];
      if (name === 'nodenext') {
        // TypeScript 5.8+ lets CommonJS files require ES modules under nodenext, as Node 20.19+ does.
        await writeFile(join(cwd, 'consumer.cts'), `import agents = require('rxjs-agents');\nexport const run: typeof agents.run = agents.run;\n`);
        await writeFile(join(cwd, 'quickstart.ts'), (await quickStart()).program);
        include.push('consumer.cts', 'quickstart.ts');
      }
      await writeFile(join(cwd, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...strictest, module, moduleResolution, types: ['node'] }, include }));
      await expectTypeCheck(cwd);
    },
    540_000,
  );
});

describe('with the lowest peer versions and no optional peer installed', () => {
  it('runs an agent, and a model name is a UserError that says how to set a provider', async () => {
    const program = runProgram(`import { firstValueFrom } from 'rxjs';
import * as z from 'zod';
import { Agent, run, toResult, tool, UserError } from 'rxjs-agents';
import { ScriptedModel } from 'rxjs-agents/testing';`);
    expect(await runIn(lowestPeers, 'run.mjs', program)).toMatchObject({ status: 'completed', finalOutput: { answer: 'sunny' }, named: { isUserError: true } });
  }, 30_000);

  it('loads the core entry points, and their types check without the optional peers', async () => {
    const loaded = (await runIn(
      lowestPeers,
      'core.mjs',
      `const out = {};
for (const name of ${JSON.stringify(withoutOptionalPeers.map(specifier))}) out[name] = Object.keys(await import(name)).length;
console.log(JSON.stringify(out));`,
    )) as Record<string, number>;
    for (const entry of withoutOptionalPeers) expect(loaded[specifier(entry)], entry).toBeGreaterThan(0);

    const imports = withoutOptionalPeers.map((entry, i) => `import * as entry${i} from '${specifier(entry)}';`).join('\n');
    await writeFile(join(lowestPeers, 'consumer.ts'), `${imports}\nexport const entries = [${withoutOptionalPeers.map((_, i) => `entry${i}`).join(', ')}];\n`);
    await writeFile(
      join(lowestPeers, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { ...strictest, module: 'nodenext', moduleResolution: 'nodenext', types: [] }, include: ['consumer.ts'] }),
    );
    await expectTypeCheck(lowestPeers);
  }, 300_000);

  it('says which package is missing when ./openai is imported without openai', async () => {
    expect(entries).toContain('./openai');
    const outcome = await runIn(
      lowestPeers,
      'openai.mjs',
      `import('rxjs-agents/openai').then(() => console.log('"loaded"'), (error) => console.log(JSON.stringify({ code: error.code, message: error.message })));`,
    );
    expect(outcome).toMatchObject({ code: 'ERR_MODULE_NOT_FOUND', message: expect.stringContaining("'openai'") });
  }, 30_000);
});

/** The README's quick start program, and the output the README shows for it. */
async function quickStart(): Promise<{ program: string; shown: string }> {
  const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  return { program: /```ts\n([\s\S]*?)```/.exec(section)![1]!, shown: /Output:\n\n```\n([\s\S]*?)```/.exec(section)![1]! };
}

const strictest = { strict: true, exactOptionalPropertyTypes: true, skipLibCheck: false, noEmit: true, target: 'es2022', lib: ['es2022', 'dom'] };

async function expectTypeCheck(cwd: string): Promise<void> {
  const outcome = await sh(process.execPath, [tsc, '-p', 'tsconfig.json'], cwd).then(
    () => '',
    (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}` || String(error),
  );
  expect(outcome).toBe('');
}

/** Imports every entry point, and uses the core as a typical application does. */
function consumerSource(): string {
  const imports = entries.map((entry, i) => `import * as entry${i} from '${specifier(entry)}';`).join('\n');
  return `${imports}
import type { Observable } from 'rxjs';
import * as z from 'zod';
import { Agent, run, tool, type RunResult, type StreamEvent } from 'rxjs-agents';
import { ScriptedModel } from 'rxjs-agents/testing';

export const entries = [${entries.map((_, i) => `entry${i}`).join(', ')}];

const weather = tool({
  name: 'get_weather',
  description: 'Weather in a city',
  parameters: z.object({ city: z.string(), unit: z.enum(['C', 'F']).optional() }),
  execute: ({ city, unit }) => \`\${city.toUpperCase()} \${unit ?? 'C'}\`,
});
const agent = new Agent({
  name: 'A',
  model: new ScriptedModel({ turns: [{ text: '{"answer":"sunny"}' }] }),
  tools: [weather],
  outputType: z.object({ answer: z.string() }),
});
export const events: Observable<StreamEvent<{ answer: string }>> = run(agent, 'hi');
export const answer = (result: RunResult<{ answer: string }>): string | undefined => result.finalOutput?.answer;
`;
}
