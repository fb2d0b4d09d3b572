// Many runs in flight at once on slow streams: heap per run (`inFlight`, shared by the memory
// headline and the curves), and event-loop delay and time to first delta (`pairedInFlightTimes`).
import { getJson, heapAfterGc, hr, median, ms, nextMacrotask, settleGc, sleep, withTimeout } from './measure.mjs';

/**
 * Starts `count` runs with `adapter.startSlow(extra)`, `batch` per macrotask (with `ramp`,
 * each batch once the previous one streams, as load reaches a server), and waits for every
 * first delta; `onFirst(ms)` gets each run's time to its first delta. Resolves to their handles.
 */
async function startRuns(adapter, { baseURL, count, via, batch = count, ramp = false, extra = {} }, onFirst = () => {}) {
  const handles = [];
  const firsts = [];
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % batch === 0) {
      if (ramp) await withTimeout(Promise.all(firsts.slice(i - batch, i)), 60_000, `first deltas of runs ${i - batch + 1}–${i}`);
      else await nextMacrotask();
    }
    let first;
    firsts.push(new Promise((resolve) => (first = resolve)));
    const t0 = hr();
    let seen = false;
    handles.push(
      adapter.startSlow({
        ...extra,
        baseURL,
        via,
        onDelta: () => {
          if (seen) return;
          seen = true;
          onFirst(ms(hr() - t0));
          first();
        },
      }),
    );
  }
  await withTimeout(Promise.all(firsts), 60_000 + count * 10, `first deltas of ${count} streams`);
  return handles;
}

async function stopRuns(handles) {
  for (const h of handles) h.cancel();
  await withTimeout(Promise.all(handles.map((h) => h.done)), 60_000, 'runs to settle');
}

/**
 * Warms a contender up (modules, JIT, connection pool code paths): `warmup` runs, then three
 * rounds of up to 100, whatever the count, as many at a time as the count (20 to 100): what V8
 * allocates once as the code gets hot must not be charged to the runs of a small point.
 */
export async function warmUp(adapter, options, warmup = 0) {
  const size = Math.min(100, Math.max(20, options.count));
  for (let started = 0; started < warmup + 3 * size; started += size) await stopRuns(await startRuns(adapter, { ...options, count: size }));
}

/**
 * Heap per run with `count` runs in flight (see `startRuns`), held `holdMs` after every first
 * delta, then cancelled: the heap after gc while they are in flight, minus before, ÷ `count`.
 * With `repeat`, the median of that many: with few runs, heap per run is mostly the gc's noise
 * (±50 KB, 5 KB a run at 10 runs). After a warm-up (see `warmUp`).
 */
export async function inFlight(adapter, { holdMs, repeat = 1, warmup = 0, ...options }) {
  await warmUp(adapter, options, warmup);
  const measured = [];
  for (let r = 0; r < repeat; r++) {
    await sleep(100);
    const before = await heapAfterGc();
    const tStart = hr();
    const handles = await startRuns(adapter, options);
    const startMs = ms(hr() - tStart);
    await sleep(holdMs);
    const { openSlow } = await getJson(`${options.baseURL.split('/').slice(0, 3).join('/')}/_stats`);
    if (openSlow < options.count) throw new Error(`only ${openSlow} of ${options.count} streams open at the server`);
    const after = await heapAfterGc();
    const tStop = hr();
    await stopRuns(handles);
    measured.push({ heapPerRunKB: (after - before) / options.count / 1024, heapBefore: before, heapAfter: after, startMs, stopMs: ms(hr() - tStop) });
  }
  return Object.fromEntries(Object.keys(measured[0]).map((key) => [key, median(measured.map((m) => m[key]))]));
}

/**
 * The event-loop delay and the time to first delta of `count` runs in flight, for a contender
 * and, beside it in its process, the raw client, taken in turns (the order turning, and with
 * `first` = 1 starting with the raw client), as `pairedTimed` times them: on the shared machine
 * these figures move by ±15% from one process to the next (two processes of the raw client
 * alike), which a ratio across processes carries whole.
 *
 * `windows` times each, after a full collection: its runs started (see `startRuns`), held `holdMs`,
 * cancelled; the delay is counted from the first start to the end of the hold (see `sampleDelay`), the first delta
 * per run. Then `bursts` times each (for few runs, whose first deltas are too few to steady a
 * median): started, cancelled at their first delta, only the first delta counted. Both are
 * counts (ms to 0.1 → count) that rounds add up (see `countsPercentile`).
 */
export async function pairedInFlightTimes(adapter, raw, { holdMs, windows, bursts = 0, first = 0, ...options }) {
  const sides = [adapter, raw];
  const counts = sides.map(() => ({ eldTicks: new Map(), firstDeltas: new Map() }));
  const turns = (k) => ((k + first) % 2 === 0 ? [0, 1] : [1, 0]);
  for (let w = 0; w < windows; w++) {
    for (const i of turns(w)) {
      // Each window after a full collection: the garbage of the one before (10,000 cancelled runs) is not the next one's to collect.
      await sleep(20);
      await settleGc();
      const sampling = sampleDelay(counts[i].eldTicks);
      const handles = await startRuns(sides[i], options, (t) => count(counts[i].firstDeltas, t));
      await sleep(holdMs);
      sampling.stop();
      await stopRuns(handles);
    }
  }
  for (let b = 0; b < bursts; b++) {
    for (const i of turns(b)) {
      await sleep(20);
      await stopRuns(await startRuns(sides[i], options, (t) => count(counts[i].firstDeltas, t)));
    }
  }
  const [own, beside] = counts;
  return {
    eldTicks: Object.fromEntries(own.eldTicks),
    firstDeltas: Object.fromEntries(own.firstDeltas),
    rawEldTicks: Object.fromEntries(beside.eldTicks),
    rawFirstDeltas: Object.fromEntries(beside.firstDeltas),
  };
}

/** Counts `t` (ms, to 0.1) into `counts`. */
function count(counts, t) {
  const key = Math.round(t * 10) / 10;
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/**
 * Counts into `ticks` the time between the ticks of a 5 ms timer, as
 * `monitorEventLoopDelay({ resolution: 5 })` measures the delay, but in counts that several
 * samplings and processes can add up: that histogram cannot be paused (its first tick after
 * `enable()` counts the whole pause) nor sent to another process.
 */
function sampleDelay(ticks) {
  let last = hr();
  const timer = setInterval(() => {
    const now = hr();
    count(ticks, ms(now - last));
    last = now;
  }, 5);
  return { stop: () => clearInterval(timer) };
}

/** The `p`th percentile of several counts (value → count, as `pairedInFlightTimes` gives them) together. */
export function countsPercentile(countsList, p) {
  const sum = new Map();
  for (const counts of countsList) for (const [value, n] of Object.entries(counts)) sum.set(Number(value), (sum.get(Number(value)) ?? 0) + n);
  const ascending = [...sum].sort((a, b) => a[0] - b[0]);
  const total = ascending.reduce((s, [, n]) => s + n, 0);
  let seen = 0;
  for (const [value, n] of ascending) if ((seen += n) >= Math.ceil((p / 100) * total)) return value;
  return NaN;
}
