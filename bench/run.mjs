#!/usr/bin/env node
// The benchmark: rxjs-agents against the raw `openai` client, @openai/agents and the AI SDK.
//
//   npm run bench                    full run (≈ 10 min), writes bench/RESULTS.md
//   npm run bench -- --smoke         tiny sizes, all contenders, a few seconds; writes bench/.tmp/
//
// Other flags: --rounds=N, --only=throughput,cancel,toolLoop,memory,toolAbort,leaks,
// --contenders=raw,rxjs-agents,openai-agents,ai-sdk, --cpu-prof (profiles the rxjs-agents
// children into bench/.tmp/cpu-prof), --out=FILE (where the Markdown report goes), --rerender
// (rewrite RESULTS.md from the last full run's bench/.tmp/results.json).
//
// The local Responses API server (server.mjs) runs in this process; every contender runs
// in a fresh child process per (round, metric), interleaved A B C D A B C D….
import { spawnSync, fork, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const rootDir = dirname(benchDir);
const tmpDir = join(benchDir, '.tmp');

// ---------------------------------------------------------------- options
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const smoke = flag('smoke');
const cpuProf = flag('cpu-prof');

const sizes = smoke
  ? {
      rounds: 1,
      throughput: { deltas: 200, warmup: 1, reps: 1 },
      cancel: { count: 3, warmup: 0, waitMs: 50 },
      toolLoop: { turns: 3, warmup: 1, reps: 1 },
      memory: { concurrent: 20, pauseMs: 20 },
      toolAbort: { count: 3, warmup: 1 },
      leaks: { cycles: 100, warmup: 20, lanes: 2 },
    }
  : {
      rounds: 5,
      throughput: { deltas: 20_000, warmup: 2, reps: 3 },
      cancel: { count: 50, warmup: 2, waitMs: 200 },
      toolLoop: { turns: 50, warmup: 2, reps: 3 },
      memory: { concurrent: 500, pauseMs: 300 },
      toolAbort: { count: 50, warmup: 3 },
      leaks: { cycles: 10_000, warmup: 400, lanes: 4 },
    };
if (option('rounds')) sizes.rounds = Number(option('rounds'));

const allMetrics = ['throughput', 'cancel', 'toolLoop', 'memory', 'toolAbort', 'leaks'];
const metrics = option('only') ? option('only').split(',') : allMetrics;
for (const m of metrics) if (!allMetrics.includes(m)) fail(`unknown metric ${m}`);

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
function runChild(contender, tasks, origin) {
  const execArgv = ['--expose-gc'];
  if (contender.ts) execArgv.push('--import', pathToFileURL(join(benchDir, 'ts-loader.mjs')).href);
  if (cpuProf && contender.id === 'rxjs-agents') {
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${join(tmpDir, 'cpu-prof')}`, `--cpu-prof-name=${tasks.map((t) => t.metric).join('+')}-${Date.now()}.cpuprofile`);
  }
  const timeoutMs = smoke ? 60_000 : 15 * 60_000;
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
    child.send({ file: contender.file, tasks: tasks.map((t) => ({ metric: t.metric, params: { ...t.params, origin } })) });
  });
}

/** The tasks of one contender for one metric: one per cancel route for cancel metrics. */
function tasksFor(contender, metric) {
  const params = sizes[metric];
  if (metric === 'leaks') return contender.id === 'rxjs-agents' ? [{ metric, column: contender.label, params }] : [];
  if (metric === 'cancel' || metric === 'toolAbort') {
    return contender.vias.map((via) => ({
      metric,
      column: contender.vias.length > 1 ? `${contender.label} (${via})` : contender.label,
      params: { ...params, via },
    }));
  }
  return [{ metric, column: contender.label, params: { ...params, via: contender.vias[0] } }];
}

// ---------------------------------------------------------------- statistics
const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const percentile = (values, p) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const spread = (values, digits = 2) =>
  values.length > 1 ? `${fmt(median(values), digits)} (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})` : fmt(values[0], digits);

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
    },
    node: process.version,
    machine: `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------- report
function report(data, env, failures) {
  const out = [];
  const line = (s = '') => out.push(s);
  const raw = 'raw openai';
  const rx = 'rxjs-agents';
  const columns = (metric) => [...new Set(contenders.flatMap((c) => tasksFor(c, metric).map((t) => t.column)))];
  const values = (metric, column) => (data[metric]?.[column] ?? []).map((r) => r.value).filter((v) => v !== null && v !== undefined);
  const verdict = (ok) => (ok === undefined ? '' : ok ? '**pass**' : '**MISS**');

  line(`# Benchmark results${smoke ? ' (smoke run: tiny sizes, not meaningful numbers)' : ''}`);
  line();
  line(`Reproduce: \`npm run bench\` from the repository root (${smoke ? 'this file was written by `npm run bench -- --smoke`' : `${sizes.rounds} rounds`}).`);
  line();
  line(`- Date: ${env.date}`);
  line(`- Node: ${env.node}`);
  line(`- Machine: ${env.machine}`);
  for (const [name, v] of Object.entries(env.versions)) line(`- ${name}: ${v}`);
  line();
  line(
    `Method: a local server (bench/server.mjs, in the parent process) speaks the Responses API streaming SSE format on 127.0.0.1; ` +
      `each contender runs in a fresh child process (\`node --expose-gc\`; rxjs-agents also \`--import ts-loader.mjs\`, which transpiles the library's TypeScript source as tsc would) per round and metric, ` +
      `interleaved contender by contender, ${sizes.rounds} round(s). Values are medians over rounds with the min–max of the rounds; ` +
      `"× raw" is the median divided by the raw client's median from the same run. Every client uses maxRetries 0. ` +
      `rxjs-agents is given a client of the same \`openai\` package as the raw column, so the ratio measures the library.`,
  );
  line();
  if (failures.length) {
    line('## Failures');
    line();
    for (const f of failures) line(`- ${f.column} / ${f.metric}: \`${String(f.error).split('\n')[0]}\``);
    line();
  }

  if (metrics.includes('throughput')) {
    const s = sizes.throughput;
    line(`## Streaming throughput: one ${s.deltas.toLocaleString('en')}-delta text response, every event delivered to the consumer`);
    line();
    line(`Wall time of the whole run (ms), median of ${s.reps} measured runs per process after ${s.warmup} warm-up run(s).`);
    line();
    line('| contender | ms, median (min–max) | × raw | target | result |');
    line('|---|---|---|---|---|');
    const base = median(values('throughput', raw));
    for (const col of columns('throughput')) {
      const v = values('throughput', col);
      const ratio = median(v) / base;
      const isRx = col === rx;
      line(`| ${col} | ${spread(v, 1)} | ${fmt(ratio)}× | ${isRx ? '≤ 1.3×' : ''} | ${isRx ? verdict(ratio <= 1.3) : ''} |`);
    }
    line();
  }

  if (metrics.includes('cancel')) {
    const s = sizes.cancel;
    line(`## Cancel latency: cancel a slow stream (a delta every 10 ms) ${s.waitMs} ms after the start; time from the cancel call to the server seeing the socket close`);
    line();
    line(`${s.count} cancels per process and round, pooled over rounds for median and p99; "rounds" is the min–max of the per-round medians (ms).`);
    line();
    line('| contender | median | p99 | rounds | Δ median vs raw | Δ p99 vs raw | target | result |');
    line('|---|---|---|---|---|---|---|---|');
    const pooled = (col) => (data.cancel?.[col] ?? []).flatMap((r) => r.samples);
    const rawMed = median(pooled(raw));
    const rawP99 = percentile(pooled(raw), 99);
    for (const col of columns('cancel')) {
      const p = pooled(col);
      const med = median(p);
      const p99 = percentile(p, 99);
      const isRx = col.startsWith(rx);
      const ok = med - rawMed <= 1 && p99 - rawP99 <= 1;
      line(
        `| ${col} | ${fmt(med)} | ${fmt(p99)} | ${fmt(Math.min(...values('cancel', col)))}–${fmt(Math.max(...values('cancel', col)))} | ` +
          `${col === raw ? '' : `${med - rawMed >= 0 ? '+' : ''}${fmt(med - rawMed)}`} | ${col === raw ? '' : `${p99 - rawP99 >= 0 ? '+' : ''}${fmt(p99 - rawP99)}`} | ` +
          `${isRx ? 'median and p99 ≤ raw + 1 ms' : ''} | ${isRx ? verdict(ok) : ''} |`,
      );
    }
    line();
  }

  if (metrics.includes('toolLoop')) {
    const s = sizes.toolLoop;
    line(`## Tool-loop turn cost: ${s.turns} turns of one tool call each, then a final answer (${s.turns + 1} model requests)`);
    line();
    line(`Wall time of the whole loop divided by ${s.turns} (ms per turn), median of ${s.reps} loops per process. The raw column is the same loop written by hand.`);
    line();
    line('| contender | ms per turn, median (min–max) | × raw | target | result |');
    line('|---|---|---|---|---|');
    const base = median(values('toolLoop', raw));
    for (const col of columns('toolLoop')) {
      const v = values('toolLoop', col);
      const ratio = median(v) / base;
      const isRx = col === rx;
      line(`| ${col} | ${spread(v, 3)} | ${fmt(ratio)}× | ${isRx ? '≤ 1.5×' : ''} | ${isRx ? verdict(ratio <= 1.5) : ''} |`);
    }
    line();
  }

  if (metrics.includes('memory')) {
    const s = sizes.memory;
    line(`## Memory: ${s.concurrent} concurrent runs in flight on slow streams (a delta every 100 ms)`);
    line();
    line('JS heap after gc with the runs in flight, minus the heap after gc before they started (after a warm-up), divided by the number of runs (KB per run).');
    line();
    line('| contender | KB per run, median (min–max) | × raw | target | result |');
    line('|---|---|---|---|---|');
    const base = median(values('memory', raw));
    for (const col of columns('memory')) {
      const v = values('memory', col);
      const ratio = median(v) / base;
      const isRx = col === rx;
      line(`| ${col} | ${spread(v, 1)} | ${fmt(ratio)}× | ${isRx ? '≤ 1.25×' : ''} | ${isRx ? verdict(ratio <= 1.25) : ''} |`);
    }
    line();
  }

  if (metrics.includes('toolAbort')) {
    const s = sizes.toolAbort;
    line(`## Tool abort latency: cancel while a tool awaits its signal (${s.count} cancels per process and round)`);
    line();
    line(
      'Time from the cancel call to the tool\'s signal firing (µs, pooled median and max), and when it fired: `sync` = during the cancel call, ' +
        '`same tick` = before the next macrotask, `later`, or `never`.',
    );
    line();
    line('| contender | median µs | max µs | sync | same tick | later | never | target | result |');
    line('|---|---|---|---|---|---|---|---|---|');
    for (const col of columns('toolAbort')) {
      const rs = data.toolAbort?.[col] ?? [];
      const unsupported = rs.find((r) => r.unsupported);
      if (unsupported) {
        line(`| ${col} | not supported: ${unsupported.unsupported} | | | | | | | |`);
        continue;
      }
      const samples = rs.flatMap((r) => r.samples);
      const phases = { sync: 0, 'same-tick': 0, later: 0, never: 0 };
      for (const r of rs) for (const k of Object.keys(phases)) phases[k] += r.phases[k];
      const isRx = col.startsWith(rx);
      const ok = phases.later === 0 && phases.never === 0 && samples.length > 0;
      line(
        `| ${col} | ${fmt(median(samples), 1)} | ${fmt(Math.max(...samples), 1)} | ${phases.sync} | ${phases['same-tick']} | ${phases.later} | ${phases.never} | ` +
          `${isRx ? 'same tick as the cancel' : ''} | ${isRx ? verdict(ok) : ''} |`,
      );
    }
    line();
  }

  if (metrics.includes('leaks')) {
    const s = sizes.leaks;
    line(`## Leaks (rxjs-agents only): ${s.cycles.toLocaleString('en')} cancel cycles after ${s.warmup} warm-up cycles, ${s.lanes} at a time`);
    line();
    line(
      'Kinds in rotation: unsubscribe at the first text delta; `cancel$` at the first text delta; `inject$` with injectMode `interrupt` at the first delta, ' +
        'then a cancel (unsubscribe or `cancel$`, alternating) at the restarted stream\'s first delta; a cancel (alternating) while a tool awaits its signal. ' +
        'Heap after gc and `process.getActiveResourcesInfo()` after the cycles, compared with the same after the warm-up.',
    );
    line();
    line('| run | cycles/s | heap Δ (MB) | extra handles | streams still open at the server | target | result |');
    line('|---|---|---|---|---|---|---|');
    for (const [i, r] of (data.leaks?.[rx] ?? []).entries()) {
      const extra = Object.entries(r.extraHandles);
      const ok = r.value <= 2 && extra.length === 0 && r.openSlowAfter === 0;
      line(
        `| ${i + 1} | ${fmt(r.cycles / r.seconds, 0)} | ${r.value >= 0 ? '+' : ''}${fmt(r.value)} | ${extra.length ? extra.map(([k, v]) => `${k} +${v}`).join(', ') : 'none'} | ${r.openSlowAfter} | ` +
          `heap within 2 MB, no extra handle | ${verdict(ok)} |`,
      );
    }
    const r0 = data.leaks?.[rx]?.[0];
    if (r0) {
      line();
      line(`Handles before: \`${JSON.stringify(r0.resourcesBefore)}\`; after: \`${JSON.stringify(r0.resourcesAfter)}\`; cycles by kind: \`${JSON.stringify(r0.counts)}\`.`);
    }
    line();
  }

  line('## Notes');
  line();
  line(
    '- rxjs-agents runs from its TypeScript source, transpiled at load time by esbuild with the settings of the repository\'s tsconfig (ts-hooks.mjs), ' +
      'so the code is what tsc would emit. tsx is not used: it compiles with `keepNames`, which wraps every function the library creates in ' +
      '`__name(fn, …)`; that cost about 6 KB of heap per run and a visible share of the throughput, none of which the published build has.',
  );
  line('- rxjs-agents runs with its defaults: tracing is on, and since no OpenTelemetry tracer provider is registered the library creates no span (it checks at subscribe).');
  line('- Text and slow-stream runs use agents without tools (the raw client sends none); the tool loop and tool abort use one function tool.');
  line('- A cancel is made 200 ms after the start of the run and never before its first text delta arrived.');
  line(
    '- Installed engines: `openai` 7, `ai` 7 and `@ai-sdk/openai` 4 declare `node >=22` in `engines`; on Node 20 npm warns (EBADENGINE) but every contender ran ' +
      'and its output is checked in every measurement (delta counts, final text, tool-call counts), so the newest versions are used.',
  );
  line('- The AI SDK is given `providerOptions.openai.store = false` so that, like the others, it sends the whole history instead of item references.');
  line(
    `- The memory test uses slow streams with a delta every 100 ms (not 10 ms) so that ${sizes.memory.concurrent} streams do not saturate the 2-core machine; the heap is measured ` +
      `${sizes.memory.pauseMs} ms after every run received its first delta.`,
  );
  line('- Leaks are measured once per run of the benchmark (not per round): 10,000 cycles take a while.');
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------- main
async function main() {
  if (flag('rerender')) {
    // Write the report again from the last full run's data (bench/.tmp/results.json), e.g. after editing the notes.
    const saved = JSON.parse(readFileSync(join(tmpDir, 'results.json'), 'utf8'));
    Object.assign(sizes, saved.sizes);
    const outFile = option('out') ?? join(benchDir, 'RESULTS.md');
    writeFileSync(outFile, report(saved.data, saved.env, saved.failures));
    console.log(`bench: wrote ${relative(process.cwd(), outFile)} from bench/.tmp/results.json`);
    return;
  }
  ensureInstalled();
  const { createBenchServer } = await import('./server.mjs');
  const server = createBenchServer();
  const origin = await server.listen();
  const env = environment();
  console.log(`bench: ${smoke ? 'SMOKE' : 'full'} run, server at ${origin}, Node ${env.node}, ${env.machine}`);

  const data = {}; // metric -> column -> [result per round]
  const failures = [];
  const record = (task, answer) => {
    if (answer.ok) {
      ((data[task.metric] ??= {})[task.column] ??= []).push(answer.result);
    } else {
      failures.push({ metric: task.metric, column: task.column, error: answer.error });
      console.error(`bench: ${task.column} / ${task.metric} FAILED:\n${answer.error}`);
    }
  };
  const started = Date.now();

  if (smoke) {
    // One child per contender running all its tasks; contenders run side by side.
    await Promise.all(
      contenders.map(async (c) => {
        const tasks = metrics.flatMap((m) => tasksFor(c, m));
        const t0 = Date.now();
        const answer = await runChild(c, tasks, origin);
        const detail = answer.results?.map((r, i) => `${tasks[i].metric}${tasks[i].params.via && c.vias.length > 1 ? `(${tasks[i].params.via})` : ''} ${r.elapsedMs} ms`).join(', ');
        console.log(`bench: ${c.label}: ${((Date.now() - t0) / 1000).toFixed(1)} s (load ${answer.loadMs} ms${detail ? `, ${detail}` : ''})`);
        if (!answer.ok && !answer.results) {
          for (const t of tasks) record(t, answer);
          return;
        }
        answer.results.forEach((a, i) => record(tasks[i], a));
      }),
    );
  } else {
    for (let round = 1; round <= sizes.rounds; round++) {
      for (const metric of metrics) {
        if (metric === 'leaks' && round > 1) continue;
        for (const c of contenders) {
          for (const task of tasksFor(c, metric)) {
            const t0 = Date.now();
            const answer = await runChild(c, [task], origin);
            const result = answer.ok ? answer.results[0] : answer;
            record(task, result);
            if (result.ok) {
              const v = result.result.value;
              console.log(`round ${round} ${metric.padEnd(10)} ${task.column.padEnd(28)} ${typeof v === 'number' ? v.toFixed(3) : v}  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
            }
          }
        }
      }
    }
  }

  await server.close();
  const markdown = report(data, env, failures);
  mkdirSync(tmpDir, { recursive: true });
  const outFile = option('out') ?? (smoke || option('only') || option('contenders') || option('rounds') ? join(tmpDir, smoke ? 'RESULTS-smoke.md' : 'RESULTS-partial.md') : join(benchDir, 'RESULTS.md'));
  writeFileSync(outFile, markdown);
  writeFileSync(join(tmpDir, smoke ? 'results-smoke.json' : 'results.json'), JSON.stringify({ env, sizes, data, failures }, null, 2));
  console.log('\n' + markdown);
  console.log(`bench: wrote ${relative(process.cwd(), outFile)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (failures.length) {
    console.error(`bench: ${failures.length} measurement(s) failed`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
