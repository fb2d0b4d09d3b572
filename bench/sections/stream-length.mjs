// Curve: overhead per streamed event as the response grows from 1,000 to 100,000 deltas.
import { pairedTimed } from '../lib/measure.mjs';
import { count, curveOf, eachPoint, pairedSeriesOf, ratio, xsOf } from '../lib/curves.mjs';
import { fmt, pairedNote, table, verdict } from '../lib/stats.mjs';

export default {
  id: 'streamLength',
  sizes: {
    smoke: { points: [100, 1000], reps: 1 },
    full: { points: [1000, 10_000, 100_000], reps: { 1000: 30, 10000: 15, 100000: 5 } },
  },
  once: true,
  /** The peers stop at 10,000 deltas: at 100,000 they take minutes on the shared machine (their per-delta cost is in the table). */
  tasks: (contender, sizes) => [
    {
      column: contender.label,
      params: { ...sizes, points: ['raw', 'rxjs-agents'].includes(contender.id) ? sizes.points : sizes.points.filter((p) => p <= 10_000) },
    },
  ],

  async measure(adapter, { origin, points, reps }, { raw }) {
    return eachPoint(points, async (deltas) => {
      const baseURL = `${origin}/text/${deltas}/v1`;
      const { value, samples, ratio, rawValue } = await pairedTimed(adapter, raw, (contender) => contender.streamText({ baseURL }), {
        // The first point warms the process up (steady state, see the notes): 20 runs of it.
        warmup: deltas === points[0] ? 20 : deltas >= 100_000 ? 1 : 2,
        reps: typeof reps === 'number' ? reps : reps[deltas],
        check(r) {
          if (r.deltas !== deltas) throw new Error(`expected ${deltas} text deltas, got ${r.deltas}`);
        },
      });
      return { ms: value, usPerEvent: (value * 1000) / deltas, ratio, rawUsPerEvent: (rawValue * 1000) / deltas, samples };
    });
  },

  async report({ sizes: s, columns, results, raw, rx, chart }) {
    const xs = xsOf(columns, results, 'ms');
    const rawCurve = curveOf(results(raw), 'usPerEvent');
    const rxCurve = curveOf(results(rx), 'usPerEvent');
    const pairedOf = (col) => curveOf(results(col), 'ratio');
    const peers = columns.filter((c) => c !== raw && c !== rx);
    const img = await chart('stream-length', {
      title: 'Streaming: time per text delta',
      subtitle: 'whole run ÷ deltas, every event delivered; lower is better',
      x: { title: 'deltas in the response', log: true },
      y: { title: 'µs per delta', log: true },
      series: pairedSeriesOf(columns, results, 'usPerEvent', 'rawUsPerEvent', { raw, rx }),
    });
    return [
      `## Curve: stream length (${s.points.map(count).join(', ')} deltas)`,
      '',
      `One text response of n deltas streamed through the whole run; wall time (median of ${typeof s.reps === 'number' ? s.reps : Object.values(s.reps).join(', ')} runs after warm-up, by point) divided by n. ` +
        `Overhead = rxjs-agents minus the raw client measured beside it, per delta. ${pairedNote}`,
      '',
      img,
      '',
      ...table(
        ['deltas', 'raw µs/delta (beside rxjs-agents)', 'rxjs-agents µs/delta', 'overhead µs/delta', '× raw', '× raw, separate processes', ...peers.map((p) => `${p} × raw`), 'target', 'result'],
        xs.map((x) => {
          const a = rxCurve.get(x);
          const b = rawCurve.get(x);
          const paired = pairedOf(rx).get(x);
          const beside = curveOf(results(rx), 'rawUsPerEvent').get(x);
          return [
            count(x),
            fmt(beside, 2),
            fmt(a, 2),
            fmt(a - beside, 2),
            `${fmt(paired)}×`,
            ratio(a, b),
            ...peers.map((p) => (pairedOf(p).has(x) ? `${fmt(pairedOf(p).get(x))}×` : 'n/a')),
            '≤ 1.10×',
            verdict(paired <= 1.1),
          ];
        }),
      ),
    ];
  },
};
