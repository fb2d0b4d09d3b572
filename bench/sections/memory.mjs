// Headline: heap per in-flight run, many runs on slow streams.
import { inFlight } from '../lib/in-flight.mjs';
import { fmt, median, spread, table, verdict } from '../lib/stats.mjs';

export default {
  id: 'memory',
  sizes: {
    smoke: { concurrent: 20, pauseMs: 20 },
    full: { concurrent: 500, pauseMs: 300 },
  },

  async measure(adapter, { origin, concurrent, via, pauseMs }) {
    const r = await inFlight(adapter, { baseURL: `${origin}/slow/100/-/v1`, count: concurrent, via, holdMs: pauseMs });
    return { value: r.heapPerRunKB, ...r };
  },

  report({ sizes: s, columns, values, raw, rx }) {
    const base = median(values(raw));
    return [
      `## Memory: ${s.concurrent} concurrent runs in flight on slow streams (a delta every 100 ms)`,
      '',
      'JS heap after gc with the runs in flight, minus the heap after gc before they started (after a warm-up), divided by the number of runs (KB per run).',
      '',
      ...table(
        ['contender', 'KB per run, median (min–max)', '× raw', 'target', 'result'],
        columns.map((col) => {
          const ratio = median(values(col)) / base;
          const isRx = col === rx;
          return [col, spread(values(col), 1), `${fmt(ratio)}×`, isRx ? '≤ 1.15×' : '', isRx ? verdict(ratio <= 1.15) : ''];
        }),
      ),
    ];
  },
  notes: ({ sizes: s }) => [
    `The memory test uses slow streams with a delta every 100 ms (not 10 ms) so that ${s.concurrent} streams do not saturate the 2-core machine; the heap is measured ${s.pauseMs} ms after every run received its first delta.`,
  ],
};
