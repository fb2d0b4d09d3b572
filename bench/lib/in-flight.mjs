// Many runs in flight at once on slow streams: heap per run, event-loop delay, time to
// first delta. Shared by the memory headline and the concurrency curve.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getJson, heapAfterGc, hr, median, ms, nextMacrotask, percentile, sleep, withTimeout } from './measure.mjs';

/**
 * Starts `count` runs with `adapter.startSlow(extra)`, `batch` per macrotask (with
 * `ramp`, each batch once the previous one streams, as load reaches a server), waits for
 * every first delta, holds `holdMs`, then cancels them all. Heap is read after gc before
 * the start and while they are in flight. With `repeat`, all that `repeat` times, and each
 * figure is the median: with few runs, heap per run is mostly the gc's noise (±50 KB,
 * 5 KB a run at 10 runs).
 */
export async function inFlight(adapter, { baseURL, count, via, holdMs, batch = count, ramp = false, extra = {}, repeat = 1 }) {
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
  // Warm up (modules, JIT, connection pool code paths), then a baseline. Three rounds of up to 100
  // runs, whatever the count: what V8 allocates once as the code gets hot (optimized code, its
  // feedback) must not be charged to the runs of a small point.
  for (let round = 0; round < 3; round++) await stop((await start(Math.min(100, Math.max(20, count)))).handles);
  const measured = [];
  for (let r = 0; r < repeat; r++) {
    await sleep(100);
    const before = await heapAfterGc();
    const eld = monitorEventLoopDelay({ resolution: 5 });
    eld.enable();
    const tStart = hr();
    const { handles, ttfd } = await start(count);
    const startMs = ms(hr() - tStart);
    await sleep(holdMs);
    eld.disable();
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
      eldP99Ms: eld.percentile(99) / 1e6,
      eldMaxMs: eld.max / 1e6,
      startMs,
      stopMs: ms(hr() - tStop),
    });
  }
  return Object.fromEntries(Object.keys(measured[0]).map((key) => [key, median(measured.map((m) => m[key]))]));
}
