// One contender, one metric, in a fresh process: `node --expose-gc [--import ./ts-loader.mjs] child.mjs`.
// The parent (run.mjs) sends { file, tasks: [{ metric, params }] } over IPC and gets
// { ok: true, results: [{ ok, result } | { ok: false, error }] } back, or { ok: false, error }
// when the contender could not even be loaded.
import { setTimeout as sleep } from 'node:timers/promises';
import { setImmediate as nextMacrotask } from 'node:timers/promises';

const hr = () => process.hrtime.bigint();
const ms = (ns) => Number(ns) / 1e6;

function gc() {
  if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');
  globalThis.gc();
  globalThis.gc();
}

async function settleGc() {
  for (let i = 0; i < 2; i++) {
    await nextMacrotask();
    gc();
  }
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function withTimeout(promise, msTimeout, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${msTimeout} ms`)), msTimeout);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function getJson(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

function resourceCounts() {
  const counts = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

const metrics = {
  /** Wall time of one N-delta text response consumed through the whole run. */
  async throughput(adapter, { origin, deltas, warmup, reps }) {
    const baseURL = `${origin}/text/${deltas}/v1`;
    const check = (r) => {
      if (r.deltas !== deltas) throw new Error(`expected ${deltas} text deltas, got ${r.deltas}`);
      if (typeof r.text !== 'string' || r.text.length !== deltas * 6) throw new Error(`final text has the wrong length (${r.text?.length})`);
    };
    for (let i = 0; i < warmup; i++) check(await adapter.streamText({ baseURL }));
    const samples = [];
    for (let i = 0; i < reps; i++) {
      gc();
      const t0 = hr();
      const r = await adapter.streamText({ baseURL });
      samples.push(ms(hr() - t0));
      check(r);
    }
    return { value: median(samples), samples };
  },

  /** Cancel a slow stream after waitMs; time from the cancel call to the server seeing the socket close. */
  async cancel(adapter, { origin, count, warmup, waitMs, via }) {
    const samples = [];
    for (let i = -warmup; i < count; i++) {
      const id = `${process.pid}-${via}-${i + warmup}`;
      const startedAt = Date.now();
      let firstDelta;
      const streaming = new Promise((resolve) => (firstDelta = resolve));
      const handle = adapter.startSlow({ baseURL: `${origin}/slow/10/${id}/v1`, via, onDelta: () => firstDelta() });
      const closed = getJson(`${origin}/_closed/${id}`); // long poll, opened before the cancel
      // Cancel waitMs after the start, and never before the stream is streaming.
      await withTimeout(streaming, 10_000, 'first text delta of a slow stream');
      const remaining = waitMs - (Date.now() - startedAt);
      if (remaining > 0) await sleep(remaining);
      const t0 = hr();
      handle.cancel();
      const { closedNs } = await withTimeout(closed, 5000, 'socket close after cancel');
      await withTimeout(handle.done, 5000, 'run to settle after cancel');
      if (i >= 0) samples.push(ms(BigInt(closedNs) - t0));
    }
    return { value: median(samples), samples };
  },

  /** A loop of `turns` tool calls then a final answer; cost per turn. */
  async toolLoop(adapter, { origin, turns, warmup, reps }) {
    const run = async (n) => {
      const r = await adapter.toolLoop({ baseURL: `${origin}/tools/${n}/v1`, maxTurns: n + 1 });
      if (r.toolCalls !== n) throw new Error(`expected ${n} tool calls, got ${r.toolCalls}`);
      if (r.text !== 'The loop is done.') throw new Error(`unexpected final output ${JSON.stringify(r.text)}`);
    };
    for (let i = 0; i < warmup; i++) await run(Math.min(turns, 10));
    const samples = [];
    for (let i = 0; i < reps; i++) {
      gc();
      const t0 = hr();
      await run(turns);
      samples.push(ms(hr() - t0) / turns);
    }
    return { value: median(samples), samples };
  },

  /** Heap per in-flight run: `concurrent` runs on slow streams, heap after gc vs. before. */
  async memory(adapter, { origin, concurrent, via, pauseMs }) {
    const baseURL = `${origin}/slow/100/-/v1`;
    const start = async (n) => {
      const handles = [];
      const firsts = [];
      for (let i = 0; i < n; i++) {
        let first;
        firsts.push(new Promise((resolve) => (first = resolve)));
        handles.push(adapter.startSlow({ baseURL, via, onDelta: () => first() }));
      }
      await withTimeout(Promise.all(firsts), 30_000, `first deltas of ${n} streams`);
      return handles;
    };
    const stop = async (handles) => {
      for (const h of handles) h.cancel();
      await withTimeout(Promise.all(handles.map((h) => h.done)), 30_000, 'runs to settle');
    };
    // Warm up (modules, JIT, connection pool code paths), then a baseline.
    await stop(await start(Math.min(20, concurrent)));
    await sleep(pauseMs);
    await settleGc();
    const before = process.memoryUsage().heapUsed;
    const tStart = hr();
    const handles = await start(concurrent);
    const startMs = ms(hr() - tStart);
    await sleep(pauseMs);
    const { openSlow } = await getJson(`${origin}/_stats`);
    if (openSlow < concurrent) throw new Error(`only ${openSlow} of ${concurrent} streams open at the server`);
    await settleGc();
    const after = process.memoryUsage().heapUsed;
    const tStop = hr();
    await stop(handles);
    const stopMs = ms(hr() - tStop);
    return { value: (after - before) / concurrent / 1024, heapBefore: before, heapAfter: after, startMs, stopMs };
  },

  /** Cancel while a tool awaits its signal; when does the tool's signal fire? */
  async toolAbort(adapter, { origin, count, warmup, via }) {
    const samples = [];
    const phases = { sync: 0, 'same-tick': 0, later: 0, never: 0 };
    for (let i = -warmup; i < count; i++) {
      let started;
      const toolStarted = new Promise((resolve) => (started = resolve));
      const handle = adapter.startToolWait({ baseURL: `${origin}/toolwait/v1`, via, onToolStart: (signal) => started(signal) });
      const signal = await withTimeout(toolStarted, 5000, 'tool to start');
      if (!signal) return { unsupported: 'the tool receives no abort signal' };
      await nextMacrotask();
      let inCancel = false;
      let macrotaskRan = false;
      let firedAt;
      let phase = 'never';
      signal.addEventListener('abort', () => {
        firedAt = hr();
        phase = inCancel ? 'sync' : macrotaskRan ? 'later' : 'same-tick';
      });
      setImmediate(() => (macrotaskRan = true));
      inCancel = true;
      const t0 = hr();
      handle.cancel();
      inCancel = false;
      await withTimeout(handle.done, 5000, 'run to settle after cancel');
      await sleep(5);
      if (i < 0) continue;
      phases[phase]++;
      if (firedAt !== undefined) samples.push(Number(firedAt - t0) / 1000); // µs
    }
    return { value: samples.length ? median(samples) : null, samples, phases, count };
  },

  /** rxjs-agents only: many cancel cycles of every kind; heap and handles after vs. before. */
  async leaks(adapter, { origin, cycles, warmup, lanes }) {
    if (typeof adapter.cancelCycle !== 'function') return { unsupported: 'no cancelCycle' };
    const kinds = ['unsubscribe', 'cancel$', 'interrupt', 'tool'];
    const counts = Object.fromEntries(kinds.map((k) => [k, 0]));
    const runCycles = async (n, offset) => {
      let next = 0;
      const lane = async () => {
        while (next < n) {
          const i = offset + next++;
          const kind = kinds[i % kinds.length];
          counts[kind]++;
          await withTimeout(adapter.cancelCycle({ origin, kind, i: Math.floor(i / kinds.length) }), 10_000, `cancel cycle ${i} (${kind})`);
        }
      };
      await Promise.all(Array.from({ length: lanes }, lane));
    };
    const quiesce = async () => {
      // Let aborted sockets close and the server forget them.
      for (let i = 0; i < 100; i++) {
        await sleep(20);
        const { openSlow } = await getJson(`${origin}/_stats`);
        if (openSlow === 0) break;
      }
      await sleep(50);
      await settleGc();
    };
    await runCycles(warmup, 0);
    for (const k of kinds) counts[k] = 0;
    await quiesce();
    const heapBefore = process.memoryUsage().heapUsed;
    const resourcesBefore = resourceCounts();
    const t0 = hr();
    await runCycles(cycles, warmup);
    const seconds = ms(hr() - t0) / 1000;
    await quiesce();
    let heapAfter = process.memoryUsage().heapUsed;
    let resourcesAfter = resourceCounts();
    let extra = Object.entries(resourcesAfter).filter(([k, v]) => v > (resourcesBefore[k] ?? 0));
    // Idle keep-alive sockets may still be pooled; give them the pool's idle timeout to go.
    for (let waited = 0; extra.length > 0 && waited < 6000; waited += 250) {
      await sleep(250);
      resourcesAfter = resourceCounts();
      extra = Object.entries(resourcesAfter).filter(([k, v]) => v > (resourcesBefore[k] ?? 0));
    }
    await settleGc();
    heapAfter = process.memoryUsage().heapUsed;
    const { openSlow } = await getJson(`${origin}/_stats`);
    return {
      value: (heapAfter - heapBefore) / 1024 / 1024,
      heapBefore,
      heapAfter,
      resourcesBefore,
      resourcesAfter,
      extraHandles: Object.fromEntries(extra.map(([k, v]) => [k, v - (resourcesBefore[k] ?? 0)])),
      openSlowAfter: openSlow,
      cycles,
      counts,
      seconds,
    };
  },
};

process.once('message', async ({ file, tasks }) => {
  let adapter;
  const t0 = Date.now();
  try {
    adapter = await import(new URL(`./contenders/${file}`, import.meta.url).href);
  } catch (error) {
    process.send({ ok: false, error: error?.stack ?? String(error) }, () => process.exit(1));
    return;
  }
  const loadMs = Date.now() - t0;
  const results = [];
  for (const { metric, params } of tasks) {
    const t0 = Date.now();
    try {
      results.push({ ok: true, result: await metrics[metric](adapter, params), elapsedMs: Date.now() - t0 });
    } catch (error) {
      results.push({ ok: false, error: error?.stack ?? String(error) });
    }
  }
  process.send({ ok: true, results, loadMs }, () => process.exit(results.every((r) => r.ok) ? 0 : 1));
});
