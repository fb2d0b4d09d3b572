// Curve: tool-loop turn cost with 1, 20, 200 tools on the agent (every request carries every schema).
import { pairedTimed } from '../lib/measure.mjs';
import { count, curveOf, eachPoint, pairedSeriesOf, ratio, xsOf } from '../lib/curves.mjs';
import { fmt, pairedNote, table, verdict } from '../lib/stats.mjs';

export default {
  id: 'tools',
  sizes: {
    smoke: { points: [1, 20], turns: 2, reps: 1, warmup: 1 },
    // Warm-up loops before the first point (steady state, as a server runs: see the notes), then 3 before each other point.
    // 40 paired loops per point and round: the median of 15 moved by ±0.05 between runs (as the history curve's did).
    full: { points: [1, 20, 200], turns: 10, reps: 40, warmup: 40 },
  },
  // Every round, not once: each point is the median over the rounds (one process per round is noisy on a shared machine).

  async measure(adapter, { origin, points, turns, reps, warmup }, { raw }) {
    return eachPoint(points, async (toolCount) => {
      const first = toolCount === points[0];
      const { value, samples, ratio, rawValue } = await pairedTimed(adapter, raw, (contender) => contender.toolLoop({ baseURL: `${origin}/tools/${turns}/v1`, maxTurns: turns + 1, toolCount }), {
        warmup: first ? warmup : Math.min(warmup, 3),
        reps,
        check(r) {
          if (r.toolCalls !== turns) throw new Error(`expected ${turns} tool calls, got ${r.toolCalls}`);
        },
      });
      return { msPerTurn: value / turns, ratio, rawMsPerTurn: rawValue / turns, samples };
    });
  },

  async report({ sizes: s, columns, results, raw, rx, chart }) {
    const xs = xsOf(columns, results, 'msPerTurn');
    const rawCurve = curveOf(results(raw), 'msPerTurn');
    const rxCurve = curveOf(results(rx), 'msPerTurn');
    const pairedOf = (col) => curveOf(results(col), 'ratio');
    const peers = columns.filter((c) => c !== raw && c !== rx);
    const img = await chart('tools', {
      title: 'Tool loop: cost per turn by tools on the agent',
      subtitle: `${s.turns} turns of one call each, then an answer; lower is better`,
      x: { title: 'tools on the agent', log: true },
      y: { title: 'ms per turn', log: true },
      series: pairedSeriesOf(columns, results, 'msPerTurn', 'rawMsPerTurn', { raw, rx }),
    });
    return [
      `## Curve: tools per agent (${s.points.map(count).join(', ')})`,
      '',
      `A loop of ${s.turns} tool calls then a final answer, with T tools on the agent (\`lookup\`, the one called, and T − 1 others of three required fields each); ` +
        `a new agent per loop, tools defined once (as applications do); the raw client sends hand-written JSON schemas. Wall time ÷ ${s.turns}, median of ${s.reps} loops per process, each point the median over the rounds. ${pairedNote}`,
      '',
      img,
      '',
      ...table(
        ['tools', 'raw ms/turn (beside rxjs-agents)', 'rxjs-agents ms/turn', '× raw', '× raw, separate processes', ...peers.map((p) => `${p} × raw`), 'target', 'result'],
        xs.map((x) => {
          const a = rxCurve.get(x);
          const b = rawCurve.get(x);
          const paired = pairedOf(rx).get(x);
          return [count(x), fmt(curveOf(results(rx), 'rawMsPerTurn').get(x), 3), fmt(a, 3), `${fmt(paired)}×`, ratio(a, b), ...peers.map((p) => `${fmt(pairedOf(p).get(x))}×`), '≤ 1.10×', verdict(paired <= 1.1)];
        }),
      ),
    ];
  },
};
