/**
 * A line chart as a standalone SVG file, for the bench's reports: axes with round ticks, one
 * polyline per series, a legend. Nothing else; no dependency, and the same input always
 * gives the same file.
 */
export interface ChartSeries {
  name: string;
  /** [x, y] pairs in x order; a NaN y breaks the line. */
  points: readonly (readonly [number, number])[];
  color: string;
  dashed?: boolean;
  /** Draw as steps (a count per interval) instead of straight segments. */
  steps?: boolean;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
  width?: number;
  height?: number;
  /** The y axis starts at 0 unless told; its top is the data's unless told. */
  yMin?: number;
  yMax?: number;
}

const MARGIN = { left: 72, right: 20, top: 40, bottom: 48 };

/** 1, 2 or 5 times a power of ten, about `count` steps across `span`. */
function niceStep(span: number, count: number): number {
  if (!(span > 0)) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
}

function label(value: number): string {
  const a = Math.abs(value);
  if (a >= 1e6) return `${+(value / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${+(value / 1e3).toFixed(1)}k`;
  return `${+value.toFixed(a < 1 && a > 0 ? 3 : 2)}`;
}

const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function lineChartSvg(chart: LineChart): string {
  const width = chart.width ?? 760;
  const height = chart.height ?? 360;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of chart.series) {
    for (const [x, y] of s.points) {
      if (Number.isFinite(x)) xs.push(x);
      if (Number.isFinite(y)) ys.push(y);
    }
  }
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs) : 1;
  const yMin = chart.yMin ?? Math.min(0, ...ys);
  const yTop = chart.yMax ?? (ys.length ? Math.max(...ys) : 1);
  const xStep = niceStep(xMax - xMin, 8);
  const yStep = niceStep(yTop - yMin, 6);
  const yMax = Math.max(yMin + yStep, Math.ceil(yTop / yStep) * yStep);
  const x0 = Math.floor(xMin / xStep) * xStep;
  const x1 = Math.max(x0 + xStep, Math.ceil(xMax / xStep) * xStep);
  const px = (x: number) => MARGIN.left + ((x - x0) / (x1 - x0)) * plotW;
  const py = (y: number) => MARGIN.top + plotH - ((Math.min(y, yMax) - yMin) / (yMax - yMin)) * plotH;
  const f = (n: number) => n.toFixed(1);

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${xmlText(chart.title)}</text>`,
  ];
  for (let y = yMin; y <= yMax + yStep / 1e6; y += yStep) {
    out.push(
      `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${f(py(y))}" y2="${f(py(y))}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 6}" y="${f(py(y) + 4)}" text-anchor="end" fill="#444">${label(y)}</text>`,
    );
  }
  for (let x = x0; x <= x1 + xStep / 1e6; x += xStep) {
    out.push(
      `<line x1="${f(px(x))}" x2="${f(px(x))}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#f0f0f0"/>`,
      `<text x="${f(px(x))}" y="${MARGIN.top + plotH + 16}" text-anchor="middle" fill="#444">${label(x)}</text>`,
    );
  }
  out.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${height - 10}" text-anchor="middle">${xmlText(chart.xLabel)}</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${xmlText(chart.yLabel)}</text>`,
  );
  for (const s of chart.series) {
    const runs: string[][] = [[]];
    let last: readonly [number, number] | null = null;
    for (const point of s.points) {
      const [x, y] = point;
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        if (runs[runs.length - 1]!.length > 0) runs.push([]);
        last = null;
        continue;
      }
      const run = runs[runs.length - 1]!;
      if (s.steps && last) run.push(`${f(px(x))},${f(py(last[1]))}`);
      run.push(`${f(px(x))},${f(py(y))}`);
      last = point;
    }
    for (const run of runs) {
      if (run.length === 0) continue;
      out.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${run.join(' ')}"/>`,
      );
    }
  }
  const legendW = 40 + 6.8 * Math.max(0, ...chart.series.map((s) => s.name.length));
  out.push(
    `<rect x="${MARGIN.left + 4}" y="${MARGIN.top + 3}" width="${f(legendW)}" height="${chart.series.length * 16 + 6}" fill="#fff" fill-opacity="0.85" stroke="#ddd"/>`,
  );
  chart.series.forEach((s, k) => {
    const y = MARGIN.top + 14 + k * 16;
    const x = MARGIN.left + 10;
    out.push(
      `<line x1="${x}" x2="${x + 22}" y1="${y - 4}" y2="${y - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${x + 28}" y="${y}" fill="#222">${xmlText(s.name)}</text>`,
    );
  });
  out.push('</svg>', '');
  return out.join('\n');
}
