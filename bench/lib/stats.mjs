// Statistics and number formatting for reports (parent side).
export { median, percentile } from './measure.mjs';
import { median } from './measure.mjs';

export const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** "median (min–max)" of the values, or the single value. */
export const spread = (values, digits = 2) =>
  values.length > 1 ? `${fmt(median(values), digits)} (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})` : fmt(values[0], digits);

/** Signed difference, "+0.12". */
export const signed = (x, digits = 2) => `${x >= 0 ? '+' : ''}${fmt(x, digits)}`;

export const verdict = (ok) => (ok === undefined ? '' : ok ? '**pass**' : '**MISS**');

/** A Markdown table. */
export function table(headers, rows) {
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** How the "× raw" of a paired section is taken (see `pairedTimed` in measure.mjs). */
export const pairedNote =
  '"× raw" is measured in the same process: each repetition runs the contender and the raw client one after the other (the order turning), and the ratio is the median of the repetitions\' ratios, then the median over the rounds; "× raw, separate processes" divides the medians of the columns, each from its own processes, which the machine\'s drift between processes moves by ±20–30%.';

/** The headline table of a paired section: per contender, its times, × raw (paired and across processes), and rxjs-agents' verdict (≤ 1.10×). */
export function pairedTable({ columns, values, results, raw, rx }, { unit, digits }) {
  const base = median(values(raw));
  return table(
    ['contender', unit, '× raw', '× raw, separate processes', 'target', 'result'],
    columns.map((col) => {
      const paired = col === raw ? 1 : median(results(col).map((r) => r.ratio).filter(Number.isFinite));
      const isRx = col === rx;
      return [col, spread(values(col), digits), `${fmt(paired)}×`, `${fmt(median(values(col)) / base)}×`, isRx ? '≤ 1.10×' : '', isRx ? verdict(paired <= 1.1) : ''];
    }),
  );
}
