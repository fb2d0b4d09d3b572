// Headline: the cost of one tool-loop turn (a model call that asks for a tool, the tool, the next call).
import { timed } from '../lib/measure.mjs';
import { fmt, median, spread, table, verdict } from '../lib/stats.mjs';

export default {
  id: 'toolLoop',
  sizes: {
    smoke: { turns: 3, warmup: 1, reps: 1 },
    // Warm-up: 40 loops of 10 turns, so the loop is measured in steady state (see the notes).
    full: { turns: 50, warmup: 40, reps: 3 },
  },

  async measure(adapter, { origin, turns, warmup, reps }) {
    const loop = (n) => adapter.toolLoop({ baseURL: `${origin}/tools/${n}/v1`, maxTurns: n + 1 });
    const check = (n) => (r) => {
      if (r.toolCalls !== n) throw new Error(`expected ${n} tool calls, got ${r.toolCalls}`);
      if (r.text !== 'The loop is done.') throw new Error(`unexpected final output ${JSON.stringify(r.text)}`);
    };
    for (let i = 0; i < warmup; i++) check(Math.min(turns, 10))(await loop(Math.min(turns, 10)));
    const { samples } = await timed(() => loop(turns), { warmup: 0, reps, check: check(turns) });
    const perTurn = samples.map((x) => x / turns);
    return { value: median(perTurn), samples: perTurn };
  },

  report({ sizes: s, columns, values, raw, rx }) {
    const base = median(values(raw));
    return [
      `## Tool-loop turn cost: ${s.turns} turns of one tool call each, then a final answer (${s.turns + 1} model requests)`,
      '',
      `Wall time of the whole loop divided by ${s.turns} (ms per turn), median of ${s.reps} loops per process. The raw column is the same loop written by hand.`,
      '',
      ...table(
        ['contender', 'ms per turn, median (min–max)', '× raw', 'target', 'result'],
        columns.map((col) => {
          const ratio = median(values(col)) / base;
          const isRx = col === rx;
          return [col, spread(values(col), 3), `${fmt(ratio)}×`, isRx ? '≤ 1.10×' : '', isRx ? verdict(ratio <= 1.1) : ''];
        }),
      ),
    ];
  },
};
