// Headline: one long text response streamed through the whole run, every event delivered.
import { pairedTimed } from '../lib/measure.mjs';
import { pairedNote, pairedTable } from '../lib/stats.mjs';

export default {
  id: 'throughput',
  sizes: {
    smoke: { deltas: 200, warmup: 1, reps: 1 },
    // Pairs with the raw client (see pairedTimed): enough for a steady ratio where the target is; the peers take seconds a run.
    full: { deltas: 20_000, warmup: 2, reps: 30, peerReps: 6 },
  },
  tasks: (contender, { peerReps, ...sizes }) => [
    { column: contender.label, params: { ...sizes, reps: ['raw', 'rxjs-agents'].includes(contender.id) || peerReps === undefined ? sizes.reps : peerReps } },
  ],

  async measure(adapter, { origin, deltas, warmup, reps }, { raw }) {
    const baseURL = `${origin}/text/${deltas}/v1`;
    return pairedTimed(adapter, raw, (contender) => contender.streamText({ baseURL }), {
      warmup,
      reps,
      check(r) {
        if (r.deltas !== deltas) throw new Error(`expected ${deltas} text deltas, got ${r.deltas}`);
        if (typeof r.text !== 'string' || r.text.length !== deltas * 6) throw new Error(`final text has the wrong length (${r.text?.length})`);
      },
    });
  },

  report({ sizes: s, columns, values, results, raw, rx }) {
    return [
      `## Streaming throughput: one ${s.deltas.toLocaleString('en')}-delta text response, every event delivered to the consumer`,
      '',
      `Wall time of the whole run (ms), median of ${s.reps} measured runs per process (the peers ${s.peerReps ?? s.reps}) after ${s.warmup} warm-up run(s). ${pairedNote}`,
      '',
      ...pairedTable({ columns, values, results, raw, rx }, { unit: 'ms, median (min–max)', digits: 1 }),
    ];
  },
};
