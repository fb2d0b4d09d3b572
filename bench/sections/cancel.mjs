// Headline: cancel a slow stream; time from the cancel call to the server seeing the socket close.
import { getJson, hr, median, ms, sleep, withTimeout } from '../lib/measure.mjs';
import { fmt, percentile, signed, table, verdict } from '../lib/stats.mjs';

export default {
  id: 'cancel',
  sizes: {
    smoke: { count: 3, warmup: 0, waitMs: 50 },
    full: { count: 50, warmup: 2, waitMs: 200 },
  },
  /** One task per way the contender can be cancelled. */
  tasks: (contender, sizes) =>
    contender.vias.map((via) => ({ column: contender.vias.length > 1 ? `${contender.label} (${via})` : contender.label, params: { ...sizes, via } })),

  async measure(adapter, { origin, count, warmup, waitMs, via }) {
    const samples = [];
    for (let i = -warmup; i < count; i++) {
      const id = `${process.pid}-${via}-${i + warmup}`;
      const startedAt = Date.now();
      let firstDelta;
      const streaming = new Promise((resolve) => (firstDelta = resolve));
      const handle = adapter.startSlow({ baseURL: `${origin}/slow/10/${id}/v1`, via, onDelta: () => firstDelta() });
      const closed = getJson(`${origin}/_closed/${id}`); // long poll, opened before the cancel
      // Cancel waitMs after the start, and never before the stream is streaming.
      await withTimeout(streaming, 10_000, 'first text delta of a slow stream');
      const remaining = waitMs - (Date.now() - startedAt);
      if (remaining > 0) await sleep(remaining);
      const t0 = hr();
      handle.cancel();
      const { closedNs } = await withTimeout(closed, 5000, 'socket close after cancel');
      await withTimeout(handle.done, 5000, 'run to settle after cancel');
      if (i >= 0) samples.push(ms(BigInt(closedNs) - t0));
    }
    return { value: median(samples), samples };
  },

  report({ sizes: s, columns, values, results, raw, rx }) {
    const pooled = (col) => results(col).flatMap((r) => r.samples);
    const rawMed = median(pooled(raw));
    const rawP99 = percentile(pooled(raw), 99);
    return [
      `## Cancel latency: cancel a slow stream (a delta every 10 ms) ${s.waitMs} ms after the start; time from the cancel call to the server seeing the socket close`,
      '',
      `${s.count} cancels per process and round, pooled over rounds for median and p99; "rounds" is the min–max of the per-round medians (ms).`,
      '',
      ...table(
        ['contender', 'median', 'p99', 'rounds', 'Δ median vs raw', 'Δ p99 vs raw', 'target', 'result'],
        columns.map((col) => {
          const p = pooled(col);
          const med = median(p);
          const p99 = percentile(p, 99);
          const isRx = col.startsWith(rx);
          return [
            col,
            fmt(med),
            fmt(p99),
            `${fmt(Math.min(...values(col)))}–${fmt(Math.max(...values(col)))}`,
            col === raw ? '' : signed(med - rawMed),
            col === raw ? '' : signed(p99 - rawP99),
            isRx ? 'median ≤ raw + 0.5 ms' : '',
            isRx ? verdict(med - rawMed <= 0.5) : '',
          ];
        }),
      ),
    ];
  },
};
