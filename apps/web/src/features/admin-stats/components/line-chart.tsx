export interface ChartSeries {
  name: string;
  /** A CSS colour. */
  color: string;
  /** One value per time; null leaves a gap. */
  values: readonly (number | null)[];
  dashed?: boolean;
}

export interface LineChartProps {
  title: string;
  /** Epoch milliseconds, one per value, oldest first. */
  times: readonly number[];
  series: readonly ChartSeries[];
  format?: (value: number) => string;
  /** The smallest top of the scale (so that a flat line at 0 is not drawn at the top). */
  minTop?: number;
}

const W = 600;
const H = 180;
const PAD = { left: 48, right: 12, top: 12, bottom: 24 };

/** A round number at or above `value` (1, 2, 2.5, 5 × 10^n), for the top of the scale. */
export function niceTop(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** A small line chart in plain SVG, its latest values in the legend and its summary for screen readers. */
export function LineChart({
  title,
  times,
  series,
  format = (v) => v.toLocaleString('en'),
  minTop = 1,
}: LineChartProps) {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const top = niceTop(Math.max(minTop, ...all));
  const start = times[0] ?? 0;
  const end = times.at(-1) ?? start;
  const span = Math.max(1, end - start);
  const x = (t: number) => PAD.left + ((t - start) / span) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - v / top) * (H - PAD.top - PAD.bottom);

  const pathOf = (values: readonly (number | null)[]) => {
    let d = '';
    let pen = false;
    values.forEach((v, i) => {
      const t = times[i];
      if (v === null || t === undefined) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    return d;
  };

  const latest = (s: ChartSeries) => {
    for (let i = s.values.length - 1; i >= 0; i--) {
      const v = s.values[i];
      if (v !== null && v !== undefined) return v;
    }
    return null;
  };
  const minutes = Math.round(span / 60_000);
  const summary = series
    .map((s) => {
      const v = latest(s);
      return `${s.name}: ${v === null ? 'no value' : format(v)}`;
    })
    .join('; ');

  return (
    <figure className="chart">
      <figcaption className="chart__title">{title}</figcaption>
      <svg
        className="chart__svg"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${title}. Now: ${summary}.`}
      >
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line className="chart__grid" x1={PAD.left} x2={W - PAD.right} y1={y(top * f)} y2={y(top * f)} />
            <text className="chart__axis" x={PAD.left - 6} y={y(top * f) + 4} textAnchor="end">
              {format(top * f)}
            </text>
          </g>
        ))}
        <text className="chart__axis" x={PAD.left} y={H - 6}>
          {times.length > 1 ? (minutes >= 1 ? `${minutes} min ago` : `${Math.round(span / 1000)} s ago`) : ''}
        </text>
        <text className="chart__axis" x={W - PAD.right} y={H - 6} textAnchor="end">
          now
        </text>
        {series.map((s) => (
          <path
            key={s.name}
            d={pathOf(s.values)}
            fill="none"
            stroke={s.color}
            strokeWidth={2}
            strokeDasharray={s.dashed ? '5 4' : undefined}
            strokeLinejoin="round"
            strokeLinecap="round"
          />
        ))}
      </svg>
      <ul className="chart__legend">
        {series.map((s) => {
          const v = latest(s);
          return (
            <li key={s.name}>
              <span
                className={`chart__swatch${s.dashed ? ' chart__swatch--dashed' : ''}`}
                style={{ borderColor: s.color }}
              />
              {s.name} <strong className="number">{v === null ? '—' : format(v)}</strong>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}
