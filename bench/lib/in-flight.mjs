// Many runs in flight at once on slow streams: heap per run, event-loop delay, time to
// first delta. Shared by the memory headline and the concurrency curve.
import { getJson, heapAfterGc, hr, median, ms, nextMacrotask, percentile, sleep, withTimeout } from './measure.mjs';

/**
 * Starts `count` runs with `adapter.startSlow(extra)`, `batch` per macrotask (with
 * `ramp`, each batch once the previous one streams, as load reaches a server), waits for
 * every first delta, holds `holdMs`, then cancels them all. Heap is read after gc before
 * the start and while they are in flight. With `repeat`, all that `repeat` times, and each
 * figure is the median: with few runs, heap per run is mostly the gc's noise (±50 KB,
 * 5 KB a run at 10 runs). The event-loop delay is counted over every repeat's start and
 * hold together (not its gc nor its cancels), as `eldTicks` (see `sampleDelay`), so that
 * processes can be pooled too: its p99 is a few of the longest blocks, which one repeat
 * gives too few of. Before all that, `warmup` runs are started and cancelled, as many at a
 * time as the point's count (20 to 100).
 */
export async function inFlight(adapter, { baseURL, count, via, holdMs, batch = count, ramp = false, extra = {}, repeat = 1, warmup = 0 }) {
  const start = async (n) => {
    const handles = [];
    const firsts = [];
    const ttfd = new Array(n);
    for (let i = 0; i < n; i++) {
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
            ttfd[i] = ms(hr() - t0);
            first();
          },
        }),
      );
    }
    await withTimeout(Promise.all(firsts), 60_000 + n * 10, `first deltas of ${n} streams`);
    return { handles, ttfd };
  };
  const stop = async (handles) => {
    for (const h of handles) h.cancel();
    await withTimeout(Promise.all(handles.map((h) => h.done)), 60_000, 'runs to settle');
  };
  // Warm up (modules, JIT, connection pool code paths), then a baseline. `warmup` runs, then three rounds of up
  // to 100 runs, whatever the count: what V8 allocates once as the code gets hot (optimized code, its
  // feedback) must not be charged to the runs of a small point.
  const size = Math.min(100, Math.max(20, count));
  for (let started = 0; started < warmup + 3 * size; started += size) await stop((await start(size)).handles);
  const measured = [];
  for (let r = 0; r < repeat; r++) {
    await sleep(100);
    const before = await heapAfterGc();
    const ticks = new Map();
    const sampling = sampleDelay(ticks);
    const tStart = hr();
    const { handles, ttfd } = await start(count);
    const startMs = ms(hr() - tStart);
    await sleep(holdMs);
    sampling.stop();
    const { openSlow } = await getJson(`${baseURL.split('/').slice(0, 3).join('/')}/_stats`);
    if (openSlow < count) throw new Error(`only ${openSlow} of ${count} streams open at the server`);
    const after = await heapAfterGc();
    const tStop = hr();
    await stop(handles);
    measured.push({
      heapPerRunKB: (after - before) / count / 1024,
      heapBefore: before,
      heapAfter: after,
      ttfdMedianMs: median(ttfd),
      ttfdP99Ms: percentile(ttfd, 99),
      startMs,
      stopMs: ms(hr() - tStop),
      eldTicks: Object.fromEntries(ticks),
    });
  }
  return mergeMeasurements(measured);
}

/**
 * Several measurements as one: the median of each figure, the ticks added up (and the
 * delay's p99 and maximum over them all).
 */
export function mergeMeasurements(measured) {
  const figures = Object.keys(measured[0]).filter((key) => typeof measured[0][key] === 'number');
  const eldTicks = addTicks(measured.map((m) => m.eldTicks));
  return {
    ...Object.fromEntries(figures.map((key) => [key, median(measured.map((m) => m[key]))])),
    eldP99Ms: tickPercentile([eldTicks], 99),
    eldMaxMs: Math.max(...Object.keys(eldTicks).map(Number)),
    eldTicks,
  };
}

/**
 * Counts into `ticks` (ms to 0.1 → count) the time between the ticks of a 5 ms timer, as
 * `monitorEventLoopDelay({ resolution: 5 })` measures the delay, but in counts that several
 * samplings and processes can add up: that histogram cannot be paused (its first tick after
 * `enable()` counts the whole pause) nor sent to another process.
 */
function sampleDelay(ticks) {
  let last = hr();
  const timer = setInterval(() => {
    const now = hr();
    const tick = Math.round(ms(now - last) * 10) / 10;
    ticks.set(tick, (ticks.get(tick) ?? 0) + 1);
    last = now;
  }, 5);
  return { stop: () => clearInterval(timer) };
}

/** Tick counts added up. */
function addTicks(tickCounts) {
  const sum = {};
  for (const counts of tickCounts) for (const [tick, n] of Object.entries(counts)) sum[tick] = (sum[tick] ?? 0) + n;
  return sum;
}

/** The `p`th percentile of the ticks of several `eldTicks` together. */
export function tickPercentile(tickCounts, p) {
  const ascending = Object.entries(addTicks(tickCounts))
    .map(([tick, n]) => [Number(tick), n])
    .sort((a, b) => a[0] - b[0]);
  const total = ascending.reduce((sum, [, n]) => sum + n, 0);
  let seen = 0;
  for (const [tick, n] of ascending) if ((seen += n) >= Math.ceil((p / 100) * total)) return tick;
  return NaN;
}
