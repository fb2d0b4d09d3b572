// The measurements of the `remote` section (remote.mjs runs this file in a child process:
// node --import ./bench/ts-loader.mjs bench/sections/remote-measure.ts --origin=<bench server> [--smoke],
// from the repository root), printed as one JSON line.
//
// Two processes, as in production: this one is the client (remoteRun over fetch, standing in
// for browsers); it forks the same file with --role=server, a serveRuns handler in a Node http
// server (@hono/node-server) whose agents call the bench's Responses server at <origin>.
// The server process answers CPU, heap and event-loop-delay readings over IPC, so the server's
// cost is measured apart from the client's.
//
// - per event: CPU of the server process for a remote run (POST runs, read to the end) against
//   a local run of the same agent in the same process (run(), no HTTP), a /text/<n> stream, per
//   event of the run; with serveRuns' default (the raw model.event chunks stay on the server, the
//   deltas of one read of the model's stream cross as one event), with each delta sent on its own
//   (coalesceDeltas: false, mounted at /each) and with every event sent on its own (also
//   sendEvent: () => true, mounted at /all), interleaved;
// - cancel: client-side unsubscribe to the model socket closing at the bench server (monotonic
//   clock shared by the processes of one machine), on /slow/10/<id> streams;
// - concurrency: N remote streams open at once (/spread/1000/-: a delta a second each, each
//   stream on its own phase as independent users' streams are): server heap per stream after
//   gc, the server's event-loop delay p99 and its CPU while they stream.
// The server runs with serveRuns' defaults (heartbeats, unattended policy, event filter).
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import OpenAI from 'openai';
import { lastValueFrom, type Observable, type Subscription, toArray } from 'rxjs';
import { remoteRun } from '../../lib/client/index.ts';
import { Agent, type Model, type ModelEvent, type ModelRequest, run, type StreamEvent } from '../../lib/index.ts';
import { OpenAIResponsesModel } from '../../lib/openai/index.ts';
import { MemoryRunRegistry, serveRuns, withoutRawModelEvents } from '../../lib/server/index.ts';

const argv = process.argv.slice(2);
const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const origin = option('origin') ?? '';
const smoke = argv.includes('--smoke');
/** `--parts=perEvent,cancel,concurrency` measures only those (for working on one). */
const parts = (option('parts') ?? 'perEvent,cancel,concurrency').split(',');
const sizes = smoke
  ? { deltas: 200, reps: 1, warmup: 1, cancels: 3, cancelWaitMs: 50, concurrency: [20, 50], holdMs: 300, batch: 50, openBudgetMs: 20_000 }
  : { deltas: 20_000, reps: 9, warmup: 2, cancels: 50, cancelWaitMs: 200, concurrency: [100, 1_000, 5_000], holdMs: 3_000, batch: 250, openBudgetMs: 60_000 };
/** `--concurrency=1000,5000` measures only those stream counts. */
if (option('concurrency')) sizes.concurrency = option('concurrency')!.split(',').map(Number);

const hr = () => process.hrtime.bigint();
const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}
// Long timeout: with thousands of streams opening at once on a loaded machine, answers can be slow to start.
const client = (baseURL: string) => new OpenAI({ apiKey: 'bench', baseURL, maxRetries: 0, timeout: 600_000 });

/** The text of a run's deltas. */
function textOf(events: readonly StreamEvent[]): string {
  let text = '';
  for (const e of events) if (e.type === 'text.delta') text += e.delta;
  return text;
}

// ------------------------------------------------------------------ server role
type Command =
  | { cmd: 'cpu' }
  | { cmd: 'local'; deltas: number }
  | { cmd: 'slowId'; id: string }
  | { cmd: 'heap' }
  | { cmd: 'eld-start' }
  | { cmd: 'eld-stop' }
  | { cmd: 'runs' };

/** A model whose base URL is chosen per stream (the bench server's path picks the script). */
class RoutedModel implements Model {
  readonly provider = 'openai';
  readonly modelName = 'bench';
  constructor(private readonly baseURL: () => string) {}
  stream(request: ModelRequest): Observable<ModelEvent> {
    return new OpenAIResponsesModel({ client: client(this.baseURL()), model: 'bench' }).stream(request);
  }
}

async function serverRole(): Promise<void> {
  process.once('SIGINT', () => process.exit(0)); // exits normally, so --cpu-prof writes its profile
  process.once('disconnect', () => process.exit(0)); // the client process is gone
  let slowId = 'unset';
  const textAgent = (deltas: number) => new Agent({ name: 'Text', model: new OpenAIResponsesModel({ client: client(`${origin}/text/${deltas}/v1`), model: 'bench' }) });
  const agents = {
    text: textAgent(sizes.deltas),
    slow: new Agent({ name: 'Slow', model: new RoutedModel(() => `${origin}/slow/10/${slowId}/v1`) }),
    // One client for every held stream, as a server has.
    hold: new Agent({ name: 'Hold', model: new OpenAIResponsesModel({ client: client(`${origin}/spread/1000/-/v1`), model: 'bench' }) }),
  };
  // Cancelled runs' logs need not be kept: the registry forgets them at once.
  const handler = serveRuns({ agents, registry: new MemoryRunRegistry({ retainMs: 0 }) });
  const sendEach = serveRuns({ agents, registry: new MemoryRunRegistry({ retainMs: 0 }), coalesceDeltas: false });
  const sendAll = serveRuns({ agents, registry: new MemoryRunRegistry({ retainMs: 0 }), sendEvent: () => true, coalesceDeltas: false });
  const listener = getRequestListener(handler);
  const listenerEach = getRequestListener(sendEach);
  const listenerAll = getRequestListener(sendAll);
  const http = createServer((req, res) => void (req.url?.startsWith('/all/') ? listenerAll : req.url?.startsWith('/each/') ? listenerEach : listener)(req, res));
  // A backlog as a production server sets it: thousands of clients connecting at once must not overflow it.
  http.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => process.send!({ port: (http.address() as AddressInfo).port }));
  const eld = eldMonitor();
  // REMOTE_HOLD_PROF=<dir>: a CPU profile of the server while the streams are held (eld-start to eld-stop).
  const holdProf = process.env['REMOTE_HOLD_PROF'];
  const inspector = holdProf ? new (await import('node:inspector')).Session() : undefined;
  inspector?.connect();
  const post = (method: string) => new Promise<unknown>((resolve) => inspector!.post(method, (_e, r) => resolve(r)));
  process.on('message', async (message: Command) => {
    if (inspector && message.cmd === 'eld-start') await post('Profiler.enable').then(() => post('Profiler.start'));
    if (inspector && message.cmd === 'eld-stop') {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      (await import('node:fs')).writeFileSync(`${holdProf}/hold-${Date.now()}.cpuprofile`, JSON.stringify(profile));
    }
    switch (message.cmd) {
      case 'cpu':
        return process.send!({ cpu: cpuMicros() });
      case 'local': {
        const agent = textAgent(message.deltas);
        const before = cpuMicros();
        const events = await lastValueFrom(run(agent, 'Go').pipe(toArray()));
        const sent = events.filter(withoutRawModelEvents);
        return process.send!({ cpu: cpuMicros() - before, events: events.length, sent: sent.length, others: sent.filter((e) => e.type !== 'text.delta').length, text: textOf(events) });
      }
      case 'slowId':
        slowId = message.id;
        return process.send!({ ok: true });
      case 'heap':
        for (let i = 0; i < 3; i++) {
          await new Promise((resolve) => setImmediate(resolve));
          (globalThis as { gc?: () => void }).gc?.();
        }
        return process.send!({ heap: process.memoryUsage().heapUsed });
      case 'eld-start':
      case 'eld-stop':
        return eld(message);
      case 'runs':
        return process.send!({ runs: handler.activeRuns });
    }
  });
}

/** Answers eld-start / eld-stop: this process's event-loop delay between them. */
function eldMonitor(): (command: { cmd: 'eld-start' | 'eld-stop' }) => void {
  const eld = monitorEventLoopDelay({ resolution: 10 });
  return ({ cmd }) => {
    if (cmd === 'eld-start') {
      eld.reset();
      eld.enable();
      return process.send!({ ok: true });
    }
    eld.disable();
    // No sample at all: the loop never came round to its timers during the window (a saturated process).
    if (eld.count === 0) return process.send!({ p99: Infinity, max: Infinity });
    process.send!({ p99: eld.percentile(99) / 1e6, max: eld.max / 1e6 });
  };
}

/**
 * A process that does nothing but measure its event-loop delay: on a shared machine its
 * delay is what the scheduler alone costs, to be read next to the server's.
 */
function idleRole(): void {
  process.once('disconnect', () => process.exit(0));
  process.on('message', eldMonitor());
  process.send!({ ready: true });
}

// ------------------------------------------------------------------ client role
function ask<T>(server: ChildProcess, command: Command): Promise<T> {
  return new Promise((resolve) => {
    server.once('message', (answer) => resolve(answer as T));
    server.send(command);
  });
}

async function clientRole(): Promise<void> {
  const server = fork(fileURLToPath(import.meta.url), ['--role=server', `--origin=${origin}`, ...(smoke ? ['--smoke'] : [])], {
    execArgv: ['--import', pathToFileURL(fileURLToPath(new URL('../ts-loader.mjs', import.meta.url))).href, '--expose-gc', '--max-old-space-size=4096', ...(process.env['REMOTE_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['REMOTE_CPU_PROF']}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const idle = fork(fileURLToPath(import.meta.url), ['--role=idle'], {
    execArgv: ['--import', pathToFileURL(fileURLToPath(new URL('../ts-loader.mjs', import.meta.url))).href],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    await new Promise((resolve) => idle.once('message', resolve));
    const { port } = await new Promise<{ port: number }>((resolve) => server.once('message', (m) => resolve(m as { port: number })));
    const url = `http://127.0.0.1:${port}/agents`;

    // ---- per event: server CPU of a whole run, remote against local, per event of the run
    const local: number[] = [];
    const remote: number[] = [];
    const remoteEach: number[] = [];
    const remoteAll: number[] = [];
    const ratios: number[] = [];
    const ratiosEach: number[] = [];
    const ratiosAll: number[] = [];
    const clientSide: number[] = [];
    const clientEach: number[] = [];
    let events = 0;
    let sent = 0;
    let frames = 0;
    type Local = { cpu: number; events: number; sent: number; others: number; text: string };
    // Whatever the deltas' grouping, the run must arrive whole: the same text, every other event, a last run.updated.
    const remoteCpu = async (at: string, l: Local, expected?: number) => {
      const before = await ask<{ cpu: number }>(server, { cmd: 'cpu' });
      const clientBefore = cpuMicros();
      const got = await lastValueFrom(remoteRun({ url: at, agent: 'text', input: 'Go' }).pipe(toArray()));
      const client = cpuMicros() - clientBefore;
      const after = await ask<{ cpu: number }>(server, { cmd: 'cpu' });
      if (expected !== undefined && got.length !== expected) throw new Error(`remote run had ${got.length} events, expected ${expected}`);
      if (textOf(got) !== l.text) throw new Error('remote run had another text than the local run');
      if (got.filter((e) => e.type !== 'text.delta' && e.type !== 'model.event').length !== l.others) throw new Error('remote run lost events');
      if (got.at(-1)?.type !== 'run.updated') throw new Error('remote run did not end with run.updated');
      return { server: after.cpu - before.cpu, client, events: got.length };
    };
    for (let i = -sizes.warmup; parts.includes('perEvent') && i < sizes.reps; i++) {
      const l = await ask<Local>(server, { cmd: 'local', deltas: sizes.deltas });
      const byDefault = await remoteCpu(url, l);
      const each = await remoteCpu(`http://127.0.0.1:${port}/each/agents`, l, l.sent);
      const all = await remoteCpu(`http://127.0.0.1:${port}/all/agents`, l, l.events);
      if (i < 0) continue;
      events = l.events;
      sent = l.sent;
      frames = byDefault.events;
      local.push(l.cpu / l.events);
      remote.push(byDefault.server / l.events);
      // Paired: each remote run against the local run just before it (the machine drifts between reps).
      ratios.push(byDefault.server / l.cpu);
      ratiosEach.push(each.server / l.cpu);
      ratiosAll.push(all.server / l.cpu);
      remoteEach.push(each.server / l.events);
      remoteAll.push(all.server / l.events);
      clientSide.push(byDefault.client / l.sent);
      clientEach.push(each.client / l.sent);
    }

    // ---- cancel: client unsubscribe to the model socket closing
    const cancels: number[] = [];
    for (let i = -1; parts.includes('cancel') && i < sizes.cancels; i++) {
      const id = `remote-${process.pid}-${i + 1}`;
      await ask(server, { cmd: 'slowId', id });
      const closed = fetch(`${origin}/_closed/${id}`).then((r) => r.json() as Promise<{ closedNs: string }>); // long poll
      const startedAt = Date.now();
      let streaming!: () => void;
      const firstDelta = new Promise<void>((resolve) => (streaming = resolve));
      const subscription = remoteRun({ url, agent: 'slow', input: 'Go' }).subscribe({ next: (e) => e.type === 'text.delta' && streaming() });
      await firstDelta;
      const remaining = sizes.cancelWaitMs - (Date.now() - startedAt);
      if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
      const t0 = hr();
      subscription.unsubscribe();
      const { closedNs } = await closed;
      if (i >= 0) cancels.push(Number(BigInt(closedNs) - t0) / 1e6);
    }

    // ---- concurrency
    type Point = {
      streams: number; opened: number; streaming: number; failed: number; firstFailure?: string; heapPerStreamKB: number;
      eldP99: number; eldMax: number; idleEldP99: number; cpuShare: number; cpuPerDeltaUs: number; firstDeltaMs: number; leftRuns: number;
    };
    const concurrency: Point[] = [];
    const within = <T>(promise: Promise<T>, ms: number) => Promise.race([promise, new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)).unref())]);
    for (const n of parts.includes('concurrency') ? sizes.concurrency : []) {
      const baseline = (await ask<{ heap: number }>(server, { cmd: 'heap' })).heap;
      const subscriptions: Subscription[] = [];
      const t0 = performance.now();
      const firstDeltas: number[] = [];
      let failed = 0;
      let firstFailure: string | undefined;
      // Open in batches, each once the server has named the previous one's runs, within a time budget
      // (a saturated server must give a result, not hang the benchmark), then wait for every stream to deliver.
      const streaming: Promise<void>[] = [];
      const wasNamed: boolean[] = [];
      let opened = 0;
      while (opened < n && performance.now() - t0 < sizes.openBudgetMs) {
        const named: Promise<void>[] = [];
        for (let i = 0; i < Math.min(sizes.batch, n - opened); i++) {
          let isNamed!: () => void;
          const index = subscriptions.length;
          named.push(new Promise<void>((resolve) => (isNamed = resolve)));
          streaming.push(new Promise<void>((resolve) => {
            const events$: Observable<StreamEvent> = remoteRun({ url, agent: 'hold', input: 'Go', onRunId: () => ((wasNamed[index] = true), isNamed()) });
            let first = true;
            subscriptions.push(
              events$.subscribe({
                next: (e) => {
                  if (e.type !== 'text.delta' || !first) return;
                  first = false;
                  firstDeltas.push(performance.now() - t0);
                  resolve();
                },
                error: (error: unknown) => {
                  failed++;
                  firstFailure ??= String((error as Error)?.message ?? error) + ((error as Error)?.cause ? ` (${String((error as { cause: Error }).cause?.message ?? (error as { cause: unknown }).cause)})` : '');
                  isNamed();
                  resolve();
                },
              }),
            );
          }));
        }
        await within(Promise.all(named), sizes.openBudgetMs - (performance.now() - t0));
        opened += named.length;
      }
      // Starts still waiting when the budget ran out are abandoned, so that the hold measures held streams, not arrivals.
      subscriptions.forEach((s, i) => !wasNamed[i] && s.unsubscribe());
      opened = wasNamed.filter(Boolean).length;
      await within(Promise.all(streaming), 30_000);
      // …and the server has started and cancelled the abandoned ones before the hold (they are named first).
      for (const until = performance.now() + 30_000; opened < n && performance.now() < until; ) {
        if ((await ask<{ runs: number }>(server, { cmd: 'runs' })).runs <= firstDeltas.length) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await Promise.all([ask(server, { cmd: 'eld-start' }), ask(idle, { cmd: 'eld-start' })]);
      const cpuBefore = await ask<{ cpu: number }>(server, { cmd: 'cpu' });
      const holdStart = performance.now();
      await new Promise((resolve) => setTimeout(resolve, sizes.holdMs));
      const cpuAfter = await ask<{ cpu: number }>(server, { cmd: 'cpu' });
      const cpuShare = (cpuAfter.cpu - cpuBefore.cpu) / 1000 / (performance.now() - holdStart);
      const [eld, idleEld] = await Promise.all([
        ask<{ p99: number; max: number }>(server, { cmd: 'eld-stop' }),
        ask<{ p99: number; max: number }>(idle, { cmd: 'eld-stop' }),
      ]);
      const heap = (await ask<{ heap: number }>(server, { cmd: 'heap' })).heap;
      const streams = firstDeltas.length;
      for (const s of subscriptions) s.unsubscribe();
      let leftRuns = 0;
      for (let waited = 0; (leftRuns = (await ask<{ runs: number }>(server, { cmd: 'runs' })).runs) > 0 && waited < 60_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      concurrency.push({
        streams: n, opened, streaming: streams, failed, ...(firstFailure ? { firstFailure } : {}),
        heapPerStreamKB: (heap - baseline) / Math.max(1, streams) / 1024, eldP99: eld.p99, eldMax: eld.max, idleEldP99: idleEld.p99,
        // each held stream receives a delta a second
        cpuShare, cpuPerDeltaUs: (cpuShare * 1e6) / Math.max(1, streams), firstDeltaMs: median(firstDeltas), leftRuns,
      });
    }

    const result = {
      deltas: sizes.deltas,
      events,
      sent,
      frames,
      perEvent: {
        localUs: median(local),
        remoteUs: median(remote),
        ratio: median(ratios),
        ratioOfMedians: median(remote) / median(local),
        remoteEachUs: median(remoteEach),
        ratioEach: median(ratiosEach),
        remoteAllUs: median(remoteAll),
        ratioAll: median(ratiosAll),
        clientUs: median(clientSide),
        clientEachUs: median(clientEach),
        reps: sizes.reps,
      },
      cancel: { samples: cancels.length, median: median(cancels), p99: percentile(cancels, 99) },
      batch: sizes.batch,
      holdMs: sizes.holdMs,
      concurrency,
    };
    console.log(JSON.stringify(result));
  } finally {
    // Gone before the next section starts: a server with thousands of runs in flight takes a moment to exit.
    await Promise.all([stop(server, 'SIGINT'), stop(idle, 'SIGTERM')]);
  }
}

/** Sends `signal` and resolves once the child has exited. */
function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  return exited;
}

if (argv.includes('--role=server')) await serverRole();
else if (argv.includes('--role=idle')) idleRole();
else {
  await clientRole();
  process.exit(0);
}
