// Shared by the scaling-curve sections: a curve result is { points: [{ x, ...metrics }] }
// per process; these helpers merge rounds (median per point) and shape tables and charts.
import { median } from './measure.mjs';
import { fmt } from './stats.mjs';

/** x → `combine` (the median) over rounds of `metric` (a number, or what `combine` takes), for one column's results. */
export function curveOf(results, metric, combine = median) {
  const byX = new Map();
  for (const r of results) for (const p of r.points ?? []) if (Number.isFinite(p[metric]) || (p[metric] && typeof p[metric] === 'object')) (byX.get(p.x) ?? byX.set(p.x, []).get(p.x)).push(p[metric]);
  return new Map([...byX].sort((a, b) => a[0] - b[0]).map(([x, v]) => [x, combine(v)]));
}

/** The chart series of `metric` for each column. */
export function seriesOf(columns, results, metric, { dashed = () => false } = {}) {
  return columns.map((col) => ({ label: col, dashed: dashed(col), points: [...curveOf(results(col), metric)] }));
}

/**
 * The chart series of a paired curve (see pairedTimed): each contender's `metric`, and the
 * raw client as measured beside rxjs-agents (`rawMetric` of rxjs-agents' points), the
 * baseline its "× raw" divides by; the raw client's own process is drift apart. `combine` as in `curveOf`.
 */
export function pairedSeriesOf(columns, results, metric, rawMetric, { raw, rx, combine }) {
  return [
    { label: `${raw} (beside ${rx})`, points: [...curveOf(results(rx), rawMetric, combine)] },
    ...columns.filter((col) => col !== raw).map((col) => ({ label: col, points: [...curveOf(results(col), metric, combine)] })),
  ];
}

/** Every x any column measured, ascending. */
export function xsOf(columns, results, metric) {
  return [...new Set(columns.flatMap((col) => [...curveOf(results(col), metric).keys()]))].sort((a, b) => a - b);
}

/** "1.04×" of a over b, or n/a. */
export const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${fmt(a / b)}×` : 'n/a');

export const count = (x) => x.toLocaleString('en');

/** Runs `fn(x)` for every point and returns { points }; a point may return { skipped }. */
export async function eachPoint(xs, fn) {
  const points = [];
  for (const x of xs) points.push({ x, ...(await fn(x)) });
  return { value: null, points };
}
