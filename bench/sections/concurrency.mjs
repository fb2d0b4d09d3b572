// Curve: 10 to 10,000 runs in flight at once: heap per run, event-loop delay, time to first delta.
import { inFlight } from '../lib/in-flight.mjs';
import { count, curveOf, eachPoint, ratio, seriesOf, xsOf } from '../lib/curves.mjs';
import { fmt, table, verdict } from '../lib/stats.mjs';

/** Peers stop here: @openai/agents and the AI SDK hold far more per run (see the memory table), and 10,000 of them would crowd the shared machine. */
const PEER_MAX = 1000;

export default {
  id: 'concurrency',
  sizes: {
    smoke: { points: [10, 50], holdMs: 100, intervalMs: 10_000 },
    full: { points: [10, 100, 1000, 10_000], holdMs: 1200, intervalMs: 10_000 },
  },
  once: true,
  tasks: (contender, sizes) => [
    {
      column: contender.label,
      params: { ...sizes, via: contender.vias[0], points: ['raw', 'rxjs-agents'].includes(contender.id) ? sizes.points : sizes.points.filter((p) => p <= PEER_MAX) },
    },
  ],

  async measure(adapter, { origin, points, holdMs, intervalMs, via }) {
    return eachPoint(points, (n) => inFlight(adapter, { baseURL: `${origin}/slow/${intervalMs}/-/v1`, count: n, via, holdMs, batch: 100, ramp: true, repeat: n <= 100 ? 5 : 1 }));
  },

  async report({ sizes: s, columns, results, raw, rx, chart }) {
    const xs = xsOf(columns, results, 'heapPerRunKB');
    const c = (col, m) => curveOf(results(col), m);
    const axis = { title: 'runs in flight', log: true };
    const imgs = [
      await chart('concurrency-heap', {
        title: 'Heap per in-flight run',
        subtitle: 'heap after gc with the runs in flight, minus before, ÷ runs',
        x: axis,
        y: { title: 'KB per run', log: true },
        series: seriesOf(columns, results, 'heapPerRunKB'),
      }),
      await chart('concurrency-eld', {
        title: 'Event-loop delay p99 while runs start and stream',
        subtitle: `runs started 100 at a time, then held ${s.holdMs} ms`,
        x: axis,
        y: { title: 'ms', log: true },
        series: seriesOf(columns, results, 'eldP99Ms'),
      }),
      await chart('concurrency-ttfd', {
        title: 'Time to first delta, median',
        subtitle: 'from starting a run to its first text delta',
        x: axis,
        y: { title: 'ms', log: true },
        series: seriesOf(columns, results, 'ttfdMedianMs'),
      }),
    ];
    const peers = columns.filter((col) => col !== raw && col !== rx);
    return [
      `## Curve: concurrent in-flight runs (${s.points.map(count).join(', ')})`,
      '',
      `n runs started 100 at a time, each hundred once the previous one streams (as load ramps up on a server), on slow streams (a delta every ${s.intervalMs} ms), held ${s.holdMs} ms after every first delta, then cancelled. ` +
        `Heap per run as in the memory table (at 10 and 100 runs the median of 5 measurements, each figure: with few runs the gc's noise is several KB a run); event-loop delay p99 (perf_hooks, 5 ms resolution) from the first start to the end of the hold; time to first delta per run. ` +
        `The peers run up to ${count(PEER_MAX)}.`,
      '',
      ...imgs.flatMap((i) => [i, '']),
      ...table(
        [
          'runs',
          'raw KB/run',
          'rxjs-agents KB/run',
          'heap × raw',
          ...peers.map((p) => `${p} heap × raw`),
          'ELD p99 ms raw / rxjs-agents',
          'first delta ms raw / rxjs-agents (median, p99)',
          'target (heap ≤ 1.15×)',
          'result',
        ],
        xs.map((x) => {
          const a = c(rx, 'heapPerRunKB').get(x);
          const b = c(raw, 'heapPerRunKB').get(x);
          return [
            count(x),
            fmt(b, 1),
            fmt(a, 1),
            ratio(a, b),
            ...peers.map((p) => ratio(c(p, 'heapPerRunKB').get(x), b)),
            `${fmt(c(raw, 'eldP99Ms').get(x), 1)} / ${fmt(c(rx, 'eldP99Ms').get(x), 1)}`,
            `${fmt(c(raw, 'ttfdMedianMs').get(x), 1)}, ${fmt(c(raw, 'ttfdP99Ms').get(x), 1)} / ${fmt(c(rx, 'ttfdMedianMs').get(x), 1)}, ${fmt(c(rx, 'ttfdP99Ms').get(x), 1)}`,
            '≤ 1.15×',
            verdict(a / b <= 1.15),
          ];
        }),
      ),
    ];
  },
};
