// Headline: the cost of one tool-loop turn (a model call that asks for a tool, the tool, the next call).
import { median, pairedTimed } from '../lib/measure.mjs';
import { pairedNote, pairedTable } from '../lib/stats.mjs';

export default {
  id: 'toolLoop',
  sizes: {
    smoke: { turns: 3, warmup: 1, reps: 1 },
    // Warm-up: 40 loops of 10 turns, so the loop is measured in steady state (see the notes).
    full: { turns: 50, warmup: 40, reps: 20 },
  },

  async measure(adapter, { origin, turns, warmup, reps }, { raw }) {
    const loop = (contender, n) => contender.toolLoop({ baseURL: `${origin}/tools/${n}/v1`, maxTurns: n + 1 });
    const check = (n) => (r) => {
      if (r.toolCalls !== n) throw new Error(`expected ${n} tool calls, got ${r.toolCalls}`);
      if (r.text !== 'The loop is done.') throw new Error(`unexpected final output ${JSON.stringify(r.text)}`);
    };
    const short = Math.min(turns, 10);
    // Warm-up on shorter loops, the raw client's too (it is timed beside the contender).
    for (let i = 0; i < warmup; i++) for (const contender of new Set([adapter, raw])) check(short)(await loop(contender, short));
    const { samples, ratio } = await pairedTimed(adapter, raw, (contender) => loop(contender, turns), { warmup: 0, reps, check: check(turns) });
    const perTurn = samples.map((x) => x / turns);
    return { value: median(perTurn), samples: perTurn, ratio };
  },

  report({ sizes: s, columns, values, results, raw, rx }) {
    return [
      `## Tool-loop turn cost: ${s.turns} turns of one tool call each, then a final answer (${s.turns + 1} model requests)`,
      '',
      `Wall time of the whole loop divided by ${s.turns} (ms per turn), median of ${s.reps} loops per process. The raw column is the same loop written by hand. ${pairedNote}`,
      '',
      ...pairedTable({ columns, values, results, raw, rx }, { unit: 'ms per turn, median (min–max)', digits: 3 }),
    ];
  },
};
