// Headline: cancel while a tool awaits its signal; when does the tool's signal fire?
import { hr, median, nextMacrotask, sleep, withTimeout } from '../lib/measure.mjs';
import { fmt, table, verdict } from '../lib/stats.mjs';
import cancel from './cancel.mjs';

export default {
  id: 'toolAbort',
  sizes: {
    smoke: { count: 3, warmup: 1 },
    full: { count: 50, warmup: 3 },
  },
  tasks: cancel.tasks,

  async measure(adapter, { origin, count, warmup, via }) {
    const samples = [];
    const phases = { sync: 0, 'same-tick': 0, later: 0, never: 0 };
    for (let i = -warmup; i < count; i++) {
      let started;
      const toolStarted = new Promise((resolve) => (started = resolve));
      const handle = adapter.startToolWait({ baseURL: `${origin}/toolwait/v1`, via, onToolStart: (signal) => started(signal) });
      const signal = await withTimeout(toolStarted, 5000, 'tool to start');
      if (!signal) return { unsupported: 'the tool receives no abort signal' };
      await nextMacrotask();
      let inCancel = false;
      let macrotaskRan = false;
      let firedAt;
      let phase = 'never';
      signal.addEventListener('abort', () => {
        firedAt = hr();
        phase = inCancel ? 'sync' : macrotaskRan ? 'later' : 'same-tick';
      });
      setImmediate(() => (macrotaskRan = true));
      inCancel = true;
      const t0 = hr();
      handle.cancel();
      inCancel = false;
      await withTimeout(handle.done, 5000, 'run to settle after cancel');
      await sleep(5);
      if (i < 0) continue;
      phases[phase]++;
      if (firedAt !== undefined) samples.push(Number(firedAt - t0) / 1000); // µs
    }
    return { value: samples.length ? median(samples) : null, samples, phases, count };
  },

  report({ sizes: s, columns, results, rx }) {
    return [
      `## Tool abort latency: cancel while a tool awaits its signal (${s.count} cancels per process and round)`,
      '',
      "Time from the cancel call to the tool's signal firing (µs, pooled median and max), and when it fired: `sync` = during the cancel call, " +
        '`same tick` = before the next macrotask, `later`, or `never`.',
      '',
      ...table(
        ['contender', 'median µs', 'max µs', 'sync', 'same tick', 'later', 'never', 'target', 'result'],
        columns.map((col) => {
          const rs = results(col);
          const isRx = col.startsWith(rx);
          const unsupported = rs.find((r) => r.unsupported);
          if (unsupported) return [col, 'n/a', 'n/a', '', '', '', '', '', `not measurable: ${unsupported.unsupported}`];
          const samples = rs.flatMap((r) => r.samples);
          const phases = { sync: 0, 'same-tick': 0, later: 0, never: 0 };
          for (const r of rs) for (const k of Object.keys(phases)) phases[k] += r.phases[k];
          const ok = phases.later === 0 && phases.never === 0 && samples.length > 0;
          return [
            col,
            fmt(median(samples), 1),
            fmt(Math.max(...samples), 1),
            phases.sync,
            phases['same-tick'],
            phases.later,
            phases.never,
            isRx ? 'same tick as the cancel' : '',
            isRx ? verdict(ok) : '',
          ];
        }),
      ),
    ];
  },
};
