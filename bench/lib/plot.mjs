// Charts for the report: Vega-Lite specs compiled by `vega-lite`, rendered to SVG by
// `vega` (headless, no browser, no canvas), and to PNG by resvg (for viewers and
// image tools that do not read SVG). Sections call `lineChart` through the report context.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The contenders' colours, the same in every chart; other series get the scheme's. */
const palette = {
  'raw openai': '#4c4c4c',
  'rxjs-agents': '#d62728',
  '@openai/agents': '#1f77b4',
  'AI SDK': '#2ca02c',
};
const others = ['#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];

/**
 * Writes `<name>.svg` and `<name>.png` into `dir` and returns the SVG's file name.
 *
 * @param {object} chart
 * @param {string} chart.title
 * @param {{ title: string, log?: boolean }} chart.x
 * @param {{ title: string, log?: boolean, zero?: boolean }} chart.y
 * @param {{ label: string, dashed?: boolean, points: [number, number][] }[]} chart.series
 * @param {{ y: number, label: string }[]} [chart.rules] horizontal reference lines (targets)
 */
export async function lineChart(dir, name, { title, subtitle, x, y, series, rules = [] }) {
  const [vega, vegaLite, { Resvg }] = await Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]);
  const values = series.flatMap((s) =>
    s.points.filter(([px, py]) => Number.isFinite(px) && Number.isFinite(py)).map(([px, py]) => ({ x: px, y: py, series: s.label, dashed: !!s.dashed })),
  );
  const labels = series.map((s) => s.label);
  let other = 0;
  const colors = labels.map((l) => palette[l] ?? palette[l.replace(/ \(.*\)$/, '')] ?? others[other++ % others.length]);
  const scale = (axis) => (axis.log ? { type: 'log', nice: false } : { zero: axis.zero ?? true });
  const layers = [
    {
      mark: { type: 'line', point: { filled: true, size: 45 }, strokeWidth: 2 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: x.title, scale: scale(x), axis: { format: '~s', labelFlush: true } },
        y: { field: 'y', type: 'quantitative', title: y.title, scale: scale(y), axis: y.log ? { format: '~g' } : {} },
        color: { field: 'series', type: 'nominal', title: null, scale: { domain: labels, range: colors }, legend: { orient: 'bottom', columns: 2, labelLimit: 320 } },
        strokeDash: { field: 'dashed', type: 'nominal', scale: { domain: [false, true], range: [[1, 0], [6, 3]] }, legend: null },
      },
    },
  ];
  if (rules.length) {
    layers.push({
      data: { values: rules },
      mark: { type: 'rule', strokeDash: [2, 3], color: '#888' },
      encoding: { y: { field: 'y', type: 'quantitative' } },
    });
    layers.push({
      data: { values: rules },
      mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#666', fontSize: 10 },
      encoding: { y: { field: 'y', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } },
    });
  }
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: subtitle ?? '', anchor: 'start' },
    width: 460,
    height: 260,
    background: 'white',
    data: { values },
    layer: layers,
    config: { font: 'DejaVu Sans, Helvetica, Arial, sans-serif', axis: { grid: true, gridColor: '#eee' }, view: { stroke: '#ccc' } },
  };
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  writeFileSync(join(dir, `${name}.svg`), svg);
  const png = new Resvg(svg, { background: 'white', fitTo: { mode: 'zoom', value: 1.5 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } })
    .render()
    .asPng();
  writeFileSync(join(dir, `${name}.png`), png);
  return `${name}.svg`;
}
