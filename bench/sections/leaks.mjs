// Headline (rxjs-agents only): thousands of cancel cycles of every kind; heap and handles after vs. before.
import { getJson, hr, ms, resourceCounts, settleGc, sleep, withTimeout } from '../lib/measure.mjs';
import { fmt, table, verdict } from '../lib/stats.mjs';

export default {
  id: 'leaks',
  sizes: {
    smoke: { cycles: 40, warmup: 8, lanes: 2 },
    full: { cycles: 10_000, warmup: 400, lanes: 4 },
  },
  /** Once per benchmark run, not per round: 10,000 cycles take a while. */
  once: true,
  contenders: ['rxjs-agents'],

  async measure(adapter, { origin, cycles, warmup, lanes }) {
    if (typeof adapter.cancelCycle !== 'function') return { unsupported: 'no cancelCycle' };
    const kinds = ['unsubscribe', 'cancel$', 'interrupt', 'tool'];
    const counts = Object.fromEntries(kinds.map((k) => [k, 0]));
    const runCycles = async (n, offset) => {
      let next = 0;
      const lane = async () => {
        while (next < n) {
          const i = offset + next++;
          const kind = kinds[i % kinds.length];
          counts[kind]++;
          await withTimeout(adapter.cancelCycle({ origin, kind, i: Math.floor(i / kinds.length) }), 10_000, `cancel cycle ${i} (${kind})`);
        }
      };
      await Promise.all(Array.from({ length: lanes }, lane));
    };
    const quiesce = async () => {
      // Let aborted sockets close and the server forget them.
      for (let i = 0; i < 100; i++) {
        await sleep(20);
        const { openSlow } = await getJson(`${origin}/_stats`);
        if (openSlow === 0) break;
      }
      await sleep(50);
      await settleGc();
    };
    await runCycles(warmup, 0);
    for (const k of kinds) counts[k] = 0;
    await quiesce();
    const heapBefore = process.memoryUsage().heapUsed;
    const resourcesBefore = resourceCounts();
    const t0 = hr();
    await runCycles(cycles, warmup);
    const seconds = ms(hr() - t0) / 1000;
    await quiesce();
    let resourcesAfter = resourceCounts();
    let extra = Object.entries(resourcesAfter).filter(([k, v]) => v > (resourcesBefore[k] ?? 0));
    // Idle keep-alive sockets may still be pooled; give them the pool's idle timeout to go.
    for (let waited = 0; extra.length > 0 && waited < 6000; waited += 250) {
      await sleep(250);
      resourcesAfter = resourceCounts();
      extra = Object.entries(resourcesAfter).filter(([k, v]) => v > (resourcesBefore[k] ?? 0));
    }
    await settleGc();
    const heapAfter = process.memoryUsage().heapUsed;
    const { openSlow } = await getJson(`${origin}/_stats`);
    return {
      value: (heapAfter - heapBefore) / 1024 / 1024,
      heapBefore,
      heapAfter,
      resourcesBefore,
      resourcesAfter,
      extraHandles: Object.fromEntries(extra.map(([k, v]) => [k, v - (resourcesBefore[k] ?? 0)])),
      openSlowAfter: openSlow,
      cycles,
      counts,
      seconds,
    };
  },

  report({ sizes: s, results, rx }) {
    const rs = results(rx);
    const lines = [
      `## Leaks (rxjs-agents only): ${s.cycles.toLocaleString('en')} cancel cycles after ${s.warmup} warm-up cycles, ${s.lanes} at a time`,
      '',
      'Kinds in rotation: unsubscribe at the first text delta; `cancel$` at the first text delta; `inject$` with injectMode `interrupt` at the first delta, ' +
        "then a cancel (unsubscribe or `cancel$`, alternating) at the restarted stream's first delta; a cancel (alternating) while a tool awaits its signal. " +
        'Heap after gc and `process.getActiveResourcesInfo()` after the cycles, compared with the same after the warm-up.',
      '',
      ...table(
        ['run', 'cycles/s', 'heap Δ (MB)', 'extra handles', 'streams still open at the server', 'target', 'result'],
        rs.map((r, i) => {
          const extra = Object.entries(r.extraHandles);
          const ok = r.value <= 2 && extra.length === 0 && r.openSlowAfter === 0;
          return [
            i + 1,
            fmt(r.cycles / r.seconds, 0),
            `${r.value >= 0 ? '+' : ''}${fmt(r.value)}`,
            extra.length ? extra.map(([k, v]) => `${k} +${v}`).join(', ') : 'none',
            r.openSlowAfter,
            'heap within 2 MB, no extra handle',
            verdict(ok),
          ];
        }),
      ),
    ];
    if (rs[0]) {
      lines.push('', `Handles before: \`${JSON.stringify(rs[0].resourcesBefore)}\`; after: \`${JSON.stringify(rs[0].resourcesAfter)}\`; cycles by kind: \`${JSON.stringify(rs[0].counts)}\`.`);
    }
    return lines;
  },
};
