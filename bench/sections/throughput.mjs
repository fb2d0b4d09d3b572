// Headline: one long text response streamed through the whole run, every event delivered.
import { timed } from '../lib/measure.mjs';
import { fmt, median, spread, table, verdict } from '../lib/stats.mjs';

export default {
  id: 'throughput',
  sizes: {
    smoke: { deltas: 200, warmup: 1, reps: 1 },
    full: { deltas: 20_000, warmup: 2, reps: 3 },
  },

  async measure(adapter, { origin, deltas, warmup, reps }) {
    const baseURL = `${origin}/text/${deltas}/v1`;
    return timed(() => adapter.streamText({ baseURL }), {
      warmup,
      reps,
      check(r) {
        if (r.deltas !== deltas) throw new Error(`expected ${deltas} text deltas, got ${r.deltas}`);
        if (typeof r.text !== 'string' || r.text.length !== deltas * 6) throw new Error(`final text has the wrong length (${r.text?.length})`);
      },
    });
  },

  report({ sizes: s, columns, values, raw, rx }) {
    const base = median(values(raw));
    return [
      `## Streaming throughput: one ${s.deltas.toLocaleString('en')}-delta text response, every event delivered to the consumer`,
      '',
      `Wall time of the whole run (ms), median of ${s.reps} measured runs per process after ${s.warmup} warm-up run(s).`,
      '',
      ...table(
        ['contender', 'ms, median (min–max)', '× raw', 'target', 'result'],
        columns.map((col) => {
          const ratio = median(values(col)) / base;
          const isRx = col === rx;
          return [col, spread(values(col), 1), `${fmt(ratio)}×`, isRx ? '≤ 1.10×' : '', isRx ? verdict(ratio <= 1.1) : ''];
        }),
      ),
    ];
  },
};
