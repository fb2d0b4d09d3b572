// Curve: 10 to 10,000 runs in flight at once: heap per run, event-loop delay, time to first delta.
import { countsPercentile, inFlight, pairedInFlightTimes, warmUp } from '../lib/in-flight.mjs';
import { count, curveOf, eachPoint, pairedSeriesOf, ratio, seriesOf, xsOf } from '../lib/curves.mjs';
import { fmt, table, verdict } from '../lib/stats.mjs';

/** Peers stop here: @openai/agents and the AI SDK hold far more per run (see the memory table), and 10,000 of them would crowd the shared machine. */
const PEER_MAX = 1000;

/** A size given per point, or by default. */
const atPoint = (sizes, n) => sizes[n] ?? sizes.default;

export default {
  id: 'concurrency',
  sizes: {
    smoke: { points: [10, 50], holdMs: 100, intervalMs: 10_000, warmup: 0, windows: { default: 1 }, bursts: { default: 2 } },
    // Times: enough windows for the delay's p99 and, for few runs, bursts for the first delta's median.
    full: { points: [10, 100, 1000, 10_000], holdMs: 1200, intervalMs: 10_000, warmup: 2000, windows: { 10: 10, 100: 6, 1000: 3, default: 2 }, bursts: { 10: 100, 100: 20, default: 0 } },
  },
  // raw and rxjs-agents every round: heap in a process of each, the times in rxjs-agents' with the raw client
  // beside it (see pairedInFlightTimes), the one to go first turning with the round. The peers, whose heap is the
  // figure that matters for them, once, with fewer windows.
  tasks: (contender, sizes, round) =>
    ['raw', 'rxjs-agents'].includes(contender.id)
      ? [{ column: contender.label, params: { ...sizes, via: contender.vias[0], first: round % 2 } }]
      : round === 1
        ? [{ column: contender.label, params: { ...sizes, via: contender.vias[0], points: sizes.points.filter((p) => p <= PEER_MAX), windows: { default: 2 }, bursts: { default: 10 } } }]
        : [],

  async measure(adapter, { origin, points, holdMs, intervalMs, via, warmup, windows, bursts, first }, { raw }) {
    const at = (n) => ({ baseURL: `${origin}/slow/${intervalMs}/-/v1`, count: n, via, batch: 100, ramp: true });
    // 2,000 runs first: the library has more code for V8 to make hot than the raw client, and a server that
    // has run for a while has done that (as the other curves warm up). The measurement right after them is
    // not kept: about 1 MB the warm-up left is let go while its runs are in flight (−60 KB a run at 10 runs).
    if (warmup) {
      await inFlight(adapter, { ...at(points[0]), holdMs, warmup });
      if (raw !== adapter) await warmUp(raw, at(points[0]), warmup);
    }
    return eachPoint(points, async (n) => {
      const { heapPerRunKB, heapBefore, heapAfter } = await inFlight(adapter, { ...at(n), holdMs, repeat: n <= 1000 ? 3 : 2 });
      if (raw === adapter) return { heapPerRunKB, heapBefore, heapAfter };
      const times = await pairedInFlightTimes(adapter, raw, { ...at(n), holdMs, windows: atPoint(windows, n), bursts: atPoint(bursts, n), first });
      return { heapPerRunKB, heapBefore, heapAfter, ...times };
    });
  },

  async report({ sizes: s, columns, results, raw, rx, chart, rounds }) {
    const xs = xsOf(columns, results, 'heapPerRunKB');
    // The times' percentiles over the counts of every round together, not a median of each round's.
    const pct = (p) => (counts) => countsPercentile(counts, p);
    const heap = (col) => curveOf(results(col), 'heapPerRunKB');
    const times = (col, metric, p) => curveOf(results(col), metric, pct(p));
    const [eld, first, firstP99] = [times(rx, 'eldTicks', 99), times(rx, 'firstDeltas', 50), times(rx, 'firstDeltas', 99)];
    const [rawEld, rawFirst, rawFirstP99] = [times(rx, 'rawEldTicks', 99), times(rx, 'rawFirstDeltas', 50), times(rx, 'rawFirstDeltas', 99)];
    const axis = { title: 'runs in flight', log: true };
    const timesChart = (name, title, subtitle, metric, rawMetric, p) =>
      chart(name, { title, subtitle, x: axis, y: { title: 'ms', log: true }, series: pairedSeriesOf(columns, results, metric, rawMetric, { raw, rx, combine: pct(p) }) });
    const imgs = [
      await chart('concurrency-heap', {
        title: 'Heap per in-flight run',
        subtitle: 'heap after gc with the runs in flight, minus before, ÷ runs',
        x: axis,
        y: { title: 'KB per run', log: true },
        series: seriesOf(columns, results, 'heapPerRunKB'),
      }),
      await timesChart('concurrency-eld', 'Event-loop delay p99 while runs start and stream', `runs started 100 at a time, then held ${s.holdMs} ms`, 'eldTicks', 'rawEldTicks', 99),
      await timesChart('concurrency-ttfd', 'Time to first delta, median', 'from starting a run to its first text delta', 'firstDeltas', 'rawFirstDeltas', 50),
    ];
    const peers = columns.filter((col) => col !== raw && col !== rx);
    return [
      `## Curve: concurrent in-flight runs (${s.points.map(count).join(', ')})`,
      '',
      `n runs started 100 at a time, each hundred once the previous one streams (as load ramps up on a server), on slow streams (a delta every ${s.intervalMs} ms), held ${s.holdMs} ms after every first delta, then cancelled; ${count(s.warmup)} runs started and cancelled before the first point (steady state, as the other curves). ` +
        `Heap per run as in the memory table, in a process of each contender (the median of 3 measurements in each process up to 1,000 runs, of 2 at 10,000, then over the rounds: with few runs the gc's noise is several KB a run). ` +
        `The times are taken in rxjs-agents' process with the raw client beside it, in turns, the order turning (as the timed sections pair them: across processes these figures move by ±15%, two processes of the raw client alike): ` +
        `${s.points.map((n) => atPoint(s.windows, n)).join(' / ')} windows each at ${s.points.map(count).join(' / ')} runs in each of the ${rounds} rounds, each after a full collection (the garbage of 10,000 runs cancelled in the window before is not the next one's to collect) and timed from its first start to the end of its hold; ` +
        `event-loop delay p99: the time between the ticks of a 5 ms timer (as perf_hooks' \`monitorEventLoopDelay\` measures it) over the windows, its p99 over the ticks of every window of every round together; ` +
        `time to first delta per run, its median and p99 over every run of every round, with, for few runs, more of them: ${s.points.filter((n) => atPoint(s.bursts, n)).map((n) => `${atPoint(s.bursts, n)} bursts each at ${count(n)}`).join(', ')} (started, then cancelled at their first deltas). ` +
        `The peers run up to ${count(PEER_MAX)}, in the first round, with fewer windows; their times beside the raw client in their own processes.`,
      '',
      ...imgs.flatMap((i) => [i, '']),
      ...table(
        [
          'runs',
          'raw KB/run',
          'rxjs-agents KB/run',
          'heap × raw',
          ...peers.map((p) => `${p} heap × raw`),
          'ELD p99 ms: raw (beside) / rxjs-agents',
          'ELD × raw',
          'first delta ms, median: raw (beside) / rxjs-agents',
          'first delta × raw (median; p99)',
          ...peers.map((p) => `${p} ELD; first delta × raw`),
          'target',
          'result',
        ],
        xs.map((x) => {
          const ok = heap(rx).get(x) / heap(raw).get(x) <= 1.15 && eld.get(x) / rawEld.get(x) <= 1.1 && first.get(x) / rawFirst.get(x) <= 1.1;
          return [
            count(x),
            fmt(heap(raw).get(x), 1),
            fmt(heap(rx).get(x), 1),
            ratio(heap(rx).get(x), heap(raw).get(x)),
            ...peers.map((p) => ratio(heap(p).get(x), heap(raw).get(x))),
            `${fmt(rawEld.get(x), 1)} / ${fmt(eld.get(x), 1)}`,
            ratio(eld.get(x), rawEld.get(x)),
            `${fmt(rawFirst.get(x), 1)} / ${fmt(first.get(x), 1)}`,
            `${ratio(first.get(x), rawFirst.get(x))}; ${ratio(firstP99.get(x), rawFirstP99.get(x))}`,
            ...peers.map((p) => `${ratio(times(p, 'eldTicks', 99).get(x), times(p, 'rawEldTicks', 99).get(x))}; ${ratio(times(p, 'firstDeltas', 50).get(x), times(p, 'rawFirstDeltas', 50).get(x))}`),
            'heap ≤ 1.15×, delay and first delta ≤ 1.10×',
            verdict(ok),
          ];
        }),
      ),
    ];
  },
};
