#!/usr/bin/env node
// The benchmark: rxjs-agents against the raw `openai` client, @openai/agents and the AI SDK.
//
//   npm run bench                    full run, writes bench/RESULTS.md and bench/plots/
//   npm run bench -- --smoke         tiny sizes, every section, seconds; writes bench/.tmp/
//
// Other flags: --rounds=N (headline sections), --only=section,section (ids from sections/),
// --contenders=raw,rxjs-agents,openai-agents,ai-sdk, --cpu-prof (profiles the rxjs-agents
// children into bench/.tmp/cpu-prof), --out=FILE (where the Markdown report goes),
// --rerender (rewrite the report and plots from the last full run's bench/.tmp/results.json).
//
// The report is made of sections (sections/index.mjs lists them; bench/README.md says how to
// add one). The local Responses API server (server.mjs) runs in this process; every
// contender runs in a fresh child process (child.mjs) per (round, section), interleaved.
import { spawnSync, fork, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sectionFiles } from './sections/index.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const rootDir = dirname(benchDir);
const tmpDir = join(benchDir, '.tmp');

// ---------------------------------------------------------------- options
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const smoke = flag('smoke');
const cpuProf = flag('cpu-prof');
const rounds = Number(option('rounds') ?? (smoke ? 1 : 3));

const sections = [];
for (const file of sectionFiles) {
  const section = (await import(`./sections/${file}`)).default;
  sections.push({ ...section, file });
}
const selected = option('only') ? option('only').split(',') : sections.map((s) => s.id);
for (const id of selected) if (!sections.some((s) => s.id === id)) fail(`unknown section ${id} (sections: ${sections.map((s) => s.id).join(', ')})`);
const sizesOf = (section) => section.sizes?.[smoke ? 'smoke' : 'full'] ?? {};

const allContenders = [
  { id: 'raw', label: 'raw openai', file: 'raw-openai.mjs', vias: ['abort'] },
  { id: 'rxjs-agents', label: 'rxjs-agents', file: 'rxjs-agents.ts', ts: true, vias: ['unsubscribe', 'cancel$'] },
  { id: 'openai-agents', label: '@openai/agents', file: 'openai-agents.mjs', vias: ['abort'] },
  { id: 'ai-sdk', label: 'AI SDK', file: 'ai-sdk.mjs', vias: ['abort'] },
];
const contenders = option('contenders')
  ? allContenders.filter((c) => option('contenders').split(',').includes(c.id))
  : allContenders;

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}

// ---------------------------------------------------------------- install
function ensureInstalled() {
  const pkg = JSON.parse(readFileSync(join(benchDir, 'package.json'), 'utf8'));
  const missing = Object.keys(pkg.dependencies).filter((d) => !existsSync(join(benchDir, 'node_modules', d, 'package.json')));
  if (missing.length === 0) return;
  const command = existsSync(join(benchDir, 'package-lock.json')) ? 'ci' : 'install';
  console.log(`bench: installing the benchmark's dependencies (npm ${command} --prefix bench; missing: ${missing.join(', ')})`);
  const r = spawnSync('npm', [command, '--prefix', benchDir, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (r.status !== 0) fail(`npm ${command} --prefix bench failed`);
}

// ---------------------------------------------------------------- children
/**
 * Runs `tasks` ([{ section, params }]) in a fresh child process with the contender's
 * module loaded; answers { ok, results: [{ ok, result } | { ok: false, error }], loadMs }.
 */
function runChild(contender, tasks, origin) {
  const execArgv = ['--expose-gc', '--max-old-space-size=4096'];
  if (contender.ts) execArgv.push('--import', pathToFileURL(join(benchDir, 'ts-loader.mjs')).href);
  if (cpuProf && contender.id === 'rxjs-agents') {
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${join(tmpDir, 'cpu-prof')}`, `--cpu-prof-name=${tasks.map((t) => t.section).join('+')}-${Date.now()}.cpuprofile`);
  }
  const timeoutMs = smoke ? 240_000 : 15 * 60_000; // smoke: generous, CI machines are shared
  return new Promise((resolve) => {
    const child = fork(join(benchDir, 'child.mjs'), [], { cwd: benchDir, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let answer;
    const timer = setTimeout(() => {
      answer ??= { ok: false, error: `timed out after ${timeoutMs / 1000} s` };
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('message', (message) => (answer = message));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(answer ?? { ok: false, error: `child exited (code ${code}, signal ${signal}) without an answer` });
    });
    const file = (id) => sections.find((s) => s.id === id).file;
    child.send({ file: contender.file, tasks: tasks.map((t) => ({ section: t.section, sectionFile: file(t.section), params: { ...t.params, origin } })) });
  });
}

/** The tasks of one contender for one section in a round (none when the section does not measure it). */
function tasksFor(contender, section, round = 1) {
  if (!section.measure) return [];
  if (section.contenders && !section.contenders.includes(contender.id)) return [];
  const sizes = sizesOf(section);
  const tasks = section.tasks ? section.tasks(contender, sizes, round) : [{ column: contender.label, params: { ...sizes, via: contender.vias[0] } }];
  return tasks.map((t) => ({ ...t, section: section.id }));
}

// ---------------------------------------------------------------- environment
function versionOf(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}
function environment() {
  const nm = join(benchDir, 'node_modules');
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: rootDir, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'lib'], { cwd: rootDir, encoding: 'utf8' }).trim();
    if (dirty) commit += ' + uncommitted changes in lib/';
  } catch {}
  const cpus = os.cpus();
  return {
    versions: {
      'rxjs-agents': `${versionOf(rootDir)} (${commit}), rxjs ${versionOf(join(rootDir, 'node_modules', 'rxjs'))}, from the TypeScript source, transpiled at load time by esbuild ${versionOf(join(nm, 'esbuild'))} (bench/ts-hooks.mjs)`,
      'raw openai': `openai ${versionOf(join(nm, 'openai'))}`,
      '@openai/agents': `@openai/agents ${versionOf(join(nm, '@openai', 'agents'))} (agents-core ${versionOf(join(nm, '@openai', 'agents-core'))}, agents-openai ${versionOf(join(nm, '@openai', 'agents-openai'))}), openai ${versionOf(join(nm, 'openai'))}`,
      'AI SDK': `ai ${versionOf(join(nm, 'ai'))}, @ai-sdk/openai ${versionOf(join(nm, '@ai-sdk', 'openai'))}`,
      charts: `vega ${versionOf(join(nm, 'vega'))}, vega-lite ${versionOf(join(nm, 'vega-lite'))}, @resvg/resvg-js ${versionOf(join(nm, '@resvg', 'resvg-js'))}`,
    },
    node: process.version,
    machine: `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}`,
    load: os.loadavg().map((l) => l.toFixed(2)).join(', '),
    date: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------- report
async function report({ data, env, failures, seconds, partial, rounds: runRounds = rounds }, outFile) {
  const plotsDir = smoke || partial ? join(tmpDir, 'plots') : join(benchDir, 'plots');
  mkdirSync(plotsDir, { recursive: true });
  const out = [];
  const line = (s = '') => out.push(s);
  line(`# Benchmark results${smoke ? ' (smoke run: tiny sizes, not meaningful numbers)' : partial ? ' (partial run)' : ''}`);
  line();
  line(
    `Reproduce: \`npm run bench\` from the repository root (${smoke ? 'this file was written by `npm run bench -- --smoke`' : `${runRounds} round(s) of the headline metrics, one of each curve`}). ` +
      `This run took ${(seconds / 60).toFixed(1)} min.`,
  );
  line();
  line(`- Date: ${env.date}`);
  line(`- Node: ${env.node}`);
  line(`- Machine: ${env.machine}; load average at the start ${env.load}`);
  for (const [name, v] of Object.entries(env.versions)) line(`- ${name}: ${v}`);
  if (env.remark) line(`- ${env.remark}`);
  line();
  line(
    'Method: a local server (bench/server.mjs, in the parent process) speaks the Responses API streaming SSE format on 127.0.0.1; ' +
      'each contender runs in a fresh child process (`node --expose-gc`; rxjs-agents also `--import ts-loader.mjs`, which transpiles the library\'s TypeScript source as tsc would) per round and section, ' +
      `interleaved contender by contender. Headline values are medians over ${runRounds} round(s) with the min–max of the rounds; the stream-length curve is measured once (each point a median of several runs), the history, tools and concurrency curves in every round (each point the median over the rounds; the concurrency curve\'s times a percentile over every round\'s counts together). ` +
      '"× raw" is divided by the raw client\'s figure from the same run. Every client uses maxRetries 0. ' +
      'rxjs-agents is given a client of the same `openai` package as the raw column, so the ratio measures the library. ' +
      'Every library run uses a new agent (a new `Agent`, or the AI SDK\'s model object), as applications create them per request; clients and tool definitions are made once.',
  );
  line();
  if (failures.length) {
    line('## Failures');
    line();
    for (const f of failures) line(`- ${f.column} / ${f.section}: \`${String(f.error).split('\n')[0]}\``);
    line();
  }
  const notes = [];
  for (const section of sections) {
    const sectionData = data[section.id];
    if (!selected.includes(section.id) || (section.measure && !sectionData) || (section.run && !sectionData)) continue;
    const columns = section.measure
      ? [...new Set(contenders.flatMap((c) => tasksFor(c, section).map((t) => t.column)))]
      : Object.keys(sectionData ?? {});
    const results = (col) => (sectionData?.[col] ?? []).filter((r) => r && !r.unsupported);
    const ctx = {
      sizes: sizesOf(section),
      smoke,
      rounds: runRounds,
      columns: columns.filter((c) => sectionData?.[c] || !section.measure),
      contenders,
      raw: 'raw openai',
      rx: 'rxjs-agents',
      all: data,
      data: sectionData ?? {},
      results: (col) => sectionData?.[col] ?? [],
      values: (col) => results(col).map((r) => r.value).filter((v) => typeof v === 'number'),
      /** Draws a line chart (lib/plot.mjs) and answers the Markdown image that shows it. */
      async chart(name, spec) {
        const { lineChart } = await import('./lib/plot.mjs');
        const file = await lineChart(plotsDir, name, spec);
        return `![${spec.title}](${relative(dirname(outFile), join(plotsDir, file))})`;
      },
    };
    const lines = await section.report(ctx);
    if (lines.length) out.push(...lines, '');
    if (section.notes) notes.push(...section.notes(ctx));
  }
  line('## Notes');
  line();
  for (const n of [...commonNotes, ...notes]) line(`- ${n}`);
  return out.join('\n') + '\n';
}

const commonNotes = [
  "rxjs-agents runs from its TypeScript source, transpiled at load time by esbuild with the settings of the repository's tsconfig (ts-hooks.mjs), " +
    'so the code is what tsc would emit. tsx is not used: it compiles with `keepNames`, which wraps every function the library creates in ' +
    '`__name(fn, …)`; that cost about 6 KB of heap per run and a visible share of the throughput, none of which the published build has.',
  'rxjs-agents runs with its defaults: tracing is on, and since no OpenTelemetry tracer provider is registered the library creates no span (it checks at subscribe).',
  'Text and slow-stream runs use agents without tools (the raw client sends none); the tool loop and tool abort use one function tool.',
  "rxjs-agents' OpenAI models make each request with the `openai` client (`create(…).asResponse()`: its URL, headers, auth and HTTP errors) and read the streamed body themselves " +
    "(one `read()` a chunk, events parsed synchronously by eventsource-parser, with the rules of the client's `Stream`); the raw column iterates the client's `Stream`, " +
    'which hands each event through four async generators. Most of the difference in the streaming and stream-length sections is that; @openai/agents iterates the `Stream` as raw does.',
  'Per-turn figures are steady state, as on a server that has served a few thousand turns: every contender first runs a warm-up in the same process ' +
    '(the tool-loop headline 40 loops of 10 turns, the tools curve 40 loops before its first point, the history curve 2,000 turns before its first point, in conversations of the point’s size, for each of its two conversations, the stream-length curve 20 runs before its first, the concurrency curve 2,000 runs before its first point). No gc is forced between timed repetitions (see `timed` and `pairedTimed` in bench/lib/measure.mjs), and the history curve reads its heaps (after forced collections) once every point\'s turns are timed: turns timed after forced collections run slower for hundreds of turns, the library\'s more than raw\'s. ' +
    "Cold, V8 has not yet optimized a library's code: measured in a fresh process, rxjs-agents' tool-loop turns take about 1.5× raw over the first 20 loops of 10 turns " +
    'and reach the steady figure after about 40; its continued turns (`previous_response_id`) are 1.07× raw over turns 20 to 520 and reach about 1.00× after 2,000 (bench/.tmp probes, not part of this report).',
  'Installed engines: `openai` 7, `ai` 7 and `@ai-sdk/openai` 4 declare `node >=22` in `engines`; on Node 20 npm warns (EBADENGINE) but every contender ran ' +
    'and its output is checked in every measurement (delta counts, final text, tool-call counts), so the newest versions are used.',
  'The AI SDK is given `providerOptions.openai.store = false` so that, like the others, it sends the whole history instead of item references.',
];

// ---------------------------------------------------------------- main
async function main() {
  if (flag('rerender')) {
    const saved = JSON.parse(readFileSync(join(tmpDir, option('from') ?? 'results.json'), 'utf8'));
    const outFile = option('out') ?? join(benchDir, 'RESULTS.md');
    writeFileSync(outFile, await report(saved, outFile));
    console.log(`bench: wrote ${relative(process.cwd(), outFile)} from bench/.tmp/results.json`);
    return;
  }
  ensureInstalled();
  const { createBenchServer } = await import('./server.mjs');
  const server = createBenchServer();
  const origin = await server.listen();
  const env = environment();
  if (option('remark')) env.remark = option('remark');
  console.log(`bench: ${smoke ? 'SMOKE' : 'full'} run, server at ${origin}, Node ${env.node}, ${env.machine}, load ${env.load}`);

  const data = {}; // section -> column -> [result per round]
  const failures = [];
  const partialFile = join(tmpDir, 'results-in-progress.json');
  mkdirSync(tmpDir, { recursive: true });
  const record = (task, answer) => {
    // Kept as it goes: a run stopped early can still be reported (--rerender --from=results-in-progress.json).
    queueMicrotask(() => writeFileSync(partialFile, JSON.stringify({ env, rounds, data, failures, seconds: (Date.now() - started) / 1000, partial: true })));
    if (answer.ok) {
      ((data[task.section] ??= {})[task.column] ??= []).push(answer.result);
    } else {
      failures.push({ section: task.section, column: task.column, error: answer.error });
      console.error(`bench: ${task.column} / ${task.section} FAILED:\n${answer.error}`);
    }
  };
  const started = Date.now();
  const measured = sections.filter((s) => selected.includes(s.id) && s.measure);

  if (smoke) {
    // One child per contender running all its tasks; contenders run side by side.
    await Promise.all(
      contenders.map(async (c) => {
        const tasks = measured.flatMap((s) => tasksFor(c, s));
        const t0 = Date.now();
        const answer = await runChild(c, tasks, origin);
        const detail = answer.results?.map((r, i) => `${tasks[i].section}${tasks[i].params.via && c.vias.length > 1 ? `(${tasks[i].params.via})` : ''} ${r.elapsedMs} ms`).join(', ');
        console.log(`bench: ${c.label}: ${((Date.now() - t0) / 1000).toFixed(1)} s (load ${answer.loadMs} ms${detail ? `, ${detail}` : ''})`);
        if (!answer.ok && !answer.results) {
          for (const t of tasks) record(t, answer);
          return;
        }
        answer.results.forEach((a, i) => record(tasks[i], a));
      }),
    );
  } else {
    for (let round = 1; round <= rounds; round++) {
      for (const section of measured) {
        if (section.once && round > 1) continue;
        // The order turns round by round: a machine that slows down or speeds up over a round favours no contender.
        for (const c of round % 2 === 1 ? contenders : [...contenders].reverse()) {
          for (const task of tasksFor(c, section, round)) {
            const t0 = Date.now();
            const answer = await runChild(c, [task], origin);
            const result = answer.ok ? answer.results[0] : answer;
            record(task, result);
            if (result.ok) {
              const v = result.result.value;
              console.log(`round ${round} ${section.id.padEnd(13)} ${task.column.padEnd(28)} ${typeof v === 'number' ? v.toFixed(3) : (v ?? '')}  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
            }
          }
        }
      }
    }
  }

  // Sections that measure on their own (their own servers, processes, services).
  for (const section of sections.filter((s) => selected.includes(s.id) && s.run)) {
    const t0 = Date.now();
    try {
      data[section.id] = await section.run({ smoke, sizes: sizesOf(section), origin, server, benchDir, rootDir, tmpDir, contenders, runChild });
      console.log(`bench: ${section.id}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (error) {
      failures.push({ section: section.id, column: '-', error: error?.stack ?? String(error) });
      console.error(`bench: ${section.id} FAILED:\n${error?.stack ?? error}`);
    }
  }

  await server.close();
  const seconds = (Date.now() - started) / 1000;
  const partial = !smoke && Boolean(option('only') || option('contenders'));
  mkdirSync(tmpDir, { recursive: true });
  const outFile = option('out') ?? (smoke || partial ? join(tmpDir, smoke ? 'RESULTS-smoke.md' : 'RESULTS-partial.md') : join(benchDir, 'RESULTS.md'));
  const saved = { env, rounds, data, failures, seconds, partial };
  writeFileSync(join(tmpDir, smoke ? 'results-smoke.json' : partial ? 'results-partial.json' : 'results.json'), JSON.stringify(saved, null, 2));
  const markdown = await report(saved, outFile);
  writeFileSync(outFile, markdown);
  console.log('\n' + markdown);
  console.log(`bench: wrote ${relative(process.cwd(), outFile)} in ${seconds.toFixed(1)} s`);
  if (failures.length) {
    console.error(`bench: ${failures.length} measurement(s) failed`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
