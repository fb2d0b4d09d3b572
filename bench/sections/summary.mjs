// The headline metrics side by side, one row per contender, from the sections that measured them.
import { fmt, median, table } from '../lib/stats.mjs';

export default {
  id: 'summary',
  sizes: { smoke: {}, full: {} },

  report({ all, contenders, raw, rounds }) {
    const values = (section, col) => (all[section]?.[col] ?? []).map((r) => r.value).filter((v) => typeof v === 'number');
    const ratio = (section, col) => median(values(section, col)) / median(values(section, raw));
    // Timed sections pair each contender with the raw client in its own process (see pairedTimed).
    const paired = (section, col) => (col === raw ? 1 : median((all[section]?.[col] ?? []).map((r) => r.ratio).filter(Number.isFinite)));
    const cancelMed = (col) => median((all.cancel?.[col] ?? []).flatMap((r) => r.samples));
    const has = (section) => all[section] !== undefined;
    const rows = contenders.map((c) => {
      const col = c.label;
      const cancelCol = Object.keys(all.cancel ?? {}).find((k) => k === col || k.startsWith(`${col} (`));
      return [
        col,
        has('throughput') ? `${fmt(paired('throughput', col))}×` : '',
        has('toolLoop') ? `${fmt(paired('toolLoop', col))}×` : '',
        has('memory') ? `${fmt(median(values('memory', col)), 1)} KB (${fmt(ratio('memory', col))}×)` : '',
        has('cancel') && cancelCol ? `${fmt(cancelMed(cancelCol))} ms` : '',
      ];
    });
    if (rows.every((r) => r.slice(1).every((v) => v === ''))) return [];
    return [
      `## Headline, side by side (a new agent per run; ${rounds} round(s))`,
      '',
      ...table(['', 'streaming, × raw', 'tool-loop turn, × raw', 'heap per in-flight run', 'cancel → socket closed, median'], rows),
      '',
      'Targets for rxjs-agents: streaming ≤ 1.10×, tool loop ≤ 1.10×, heap ≤ 1.15×, cancel median within 0.5 ms of raw, no extra handle after 10,000 cancels. Details and verdicts in the sections below.',
    ];
  },
};
