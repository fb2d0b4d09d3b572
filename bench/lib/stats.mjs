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
