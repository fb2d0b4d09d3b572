// Curve: 10 to 10,000 runs in flight at once: heap per run, event-loop delay, time to first delta.
import { inFlight, tickPercentile } from '../lib/in-flight.mjs';
import { count, curveOf, eachPoint, ratio, seriesOf, xsOf } from '../lib/curves.mjs';
import { fmt, table, verdict } from '../lib/stats.mjs';

/** Peers stop here: @openai/agents and the AI SDK hold far more per run (see the memory table), and 10,000 of them would crowd the shared machine. */
const PEER_MAX = 1000;

export default {
  id: 'concurrency',
  sizes: {
    smoke: { points: [10, 50], holdMs: 100, intervalMs: 10_000, warmup: 0 },
    full: { points: [10, 100, 1000, 10_000], holdMs: 1200, intervalMs: 10_000, warmup: 2000 },
  },
  // raw and rxjs-agents every round, not once: the event-loop delay's p99 is a few of a process's longest
  // blocks (a gc, a hundred responses landing together) and moves by ±15% from one process to the next
  // (two processes of the raw client alike), so it is taken over the ticks of every round together.
  // The peers, whose heap is the figure that matters for them, once.
  tasks: (contender, sizes, round) =>
    ['raw', 'rxjs-agents'].includes(contender.id)
      ? [{ column: contender.label, params: { ...sizes, via: contender.vias[0] } }]
      : round === 1
        ? [{ column: contender.label, params: { ...sizes, via: contender.vias[0], points: sizes.points.filter((p) => p <= PEER_MAX) } }]
        : [],

  async measure(adapter, { origin, points, holdMs, intervalMs, via, warmup }) {
    const at = (n) => ({ baseURL: `${origin}/slow/${intervalMs}/-/v1`, count: n, via, holdMs, batch: 100, ramp: true });
    // 2,000 runs first: the library has more code for V8 to make hot than the raw client, and a server that
    // has run for a while has done that (as the other curves warm up). The measurement right after them is
    // not kept: about 1 MB the warm-up left is let go while its runs are in flight (−60 KB a run at 10 runs).
    if (warmup) await inFlight(adapter, { ...at(points[0]), warmup });
    return eachPoint(points, (n) => inFlight(adapter, { ...at(n), repeat: n <= 1000 ? 3 : 2 }));
  },

  async report({ sizes: s, columns, results, raw, rx, chart, rounds }) {
    const xs = xsOf(columns, results, 'heapPerRunKB');
    // The delay's p99 over the ticks of every round together, not a median of each round's.
    const eldP99 = (ticks) => tickPercentile(ticks, 99);
    const c = (col, m) => (m === 'eldP99Ms' ? curveOf(results(col), 'eldTicks', eldP99) : curveOf(results(col), m));
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
        series: seriesOf(columns, results, 'eldTicks', { combine: eldP99 }),
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
      `n runs started 100 at a time, each hundred once the previous one streams (as load ramps up on a server), on slow streams (a delta every ${s.intervalMs} ms), held ${s.holdMs} ms after every first delta, then cancelled; ${count(s.warmup)} runs started and cancelled before the first point (steady state, as the other curves). ` +
        `Heap per run as in the memory table (the median of 3 measurements in each process up to 1,000 runs, of 2 at 10,000, then over the rounds: with few runs the gc's noise is several KB a run); event-loop delay p99: the time between the ticks of a 5 ms timer (as perf_hooks' \`monitorEventLoopDelay\` measures it) from each first start to the end of its hold, its p99 over the ticks of every measurement of every round together (one process's p99 is a few long blocks, and moves by ±15%); time to first delta per run (its median and p99 over the runs). ` +
        `raw and rxjs-agents run in a process of their own in each of the ${rounds} rounds, the order turning; heap and first delta are the median over the rounds. ` +
        `The peers run up to ${count(PEER_MAX)}, in the first round.`,
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
          'ELD × raw',
          'first delta ms, median: raw / rxjs-agents',
          'first delta × raw (median; p99)',
          'target',
          'result',
        ],
        xs.map((x) => {
          const at = (col, m) => c(col, m).get(x);
          const heap = at(rx, 'heapPerRunKB') / at(raw, 'heapPerRunKB');
          const eld = at(rx, 'eldP99Ms') / at(raw, 'eldP99Ms');
          const ttfd = at(rx, 'ttfdMedianMs') / at(raw, 'ttfdMedianMs');
          return [
            count(x),
            fmt(at(raw, 'heapPerRunKB'), 1),
            fmt(at(rx, 'heapPerRunKB'), 1),
            ratio(at(rx, 'heapPerRunKB'), at(raw, 'heapPerRunKB')),
            ...peers.map((p) => ratio(at(p, 'heapPerRunKB'), at(raw, 'heapPerRunKB'))),
            `${fmt(at(raw, 'eldP99Ms'), 1)} / ${fmt(at(rx, 'eldP99Ms'), 1)}`,
            ratio(at(rx, 'eldP99Ms'), at(raw, 'eldP99Ms')),
            `${fmt(at(raw, 'ttfdMedianMs'), 1)} / ${fmt(at(rx, 'ttfdMedianMs'), 1)}`,
            `${ratio(at(rx, 'ttfdMedianMs'), at(raw, 'ttfdMedianMs'))}; ${ratio(at(rx, 'ttfdP99Ms'), at(raw, 'ttfdP99Ms'))}`,
            'heap ≤ 1.15×, delay and first delta ≤ 1.10×',
            verdict(heap <= 1.15 && eld <= 1.1 && ttfd <= 1.1),
          ];
        }),
      ),
    ];
  },
};

