import type { RoomStats } from '../../../shared/api/types';
import type { StatsSample } from '../hooks/use-stats';
import { LineChart } from './line-chart';

const COLORS = { blue: '#2f5bd3', green: '#1c7c47', orange: '#c46a00', grey: '#7b8698', red: '#b42335' };

const perMinute = (v: number) => (v >= 100 ? Math.round(v) : Math.round(v * 10) / 10).toLocaleString('en');
const percent = (v: number) => `${Math.round(v * 100)}%`;

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat">
      <dt className="stat__label">{label}</dt>
      <dd className="stat__value number">{value}</dd>
    </div>
  );
}

/** A room's figures now, and the last minutes of them as charts. */
export function StatsPanel({ series }: { series: readonly StatsSample[] }) {
  const latest: RoomStats | undefined = series.at(-1)?.stats;
  const times = series.map((s) => s.at);
  const pick = (f: (s: RoomStats) => number | null) => series.map((s) => f(s.stats));
  if (!latest) return <p className="muted">Reading the figures…</p>;
  const accuracy = latest.estimateAccuracy;
  return (
    <div className="stats">
      <dl className="stats__figures">
        <Figure label="Waiting" value={latest.waiting.toLocaleString('en')} />
        <Figure label="Active" value={latest.active.toLocaleString('en')} />
        <Figure label="In / min" value={perMinute(latest.inflowPerMinute)} />
        <Figure label="Out / min" value={perMinute(latest.outflowPerMinute)} />
        <Figure label="Joined" value={latest.joinedTotal.toLocaleString('en')} />
        <Figure label="Admitted" value={latest.admittedTotal.toLocaleString('en')} />
        <Figure label="Ordered" value={latest.completedTotal.toLocaleString('en')} />
        <Figure label="Abandoned" value={latest.abandonedTotal.toLocaleString('en')} />
        <Figure label="Left" value={latest.leftTotal.toLocaleString('en')} />
        <Figure label="Turns expired" value={latest.admissionsExpiredTotal.toLocaleString('en')} />
        <Figure
          label="Wait estimate error (median / p90)"
          value={
            accuracy.medianErrorRatio === null
              ? '—'
              : `${percent(accuracy.medianErrorRatio)} / ${percent(accuracy.p90ErrorRatio ?? 0)}`
          }
        />
      </dl>
      <div className="stats__charts">
        <LineChart
          title="Waiting"
          times={times}
          series={[{ name: 'Waiting', color: COLORS.blue, values: pick((s) => s.waiting) }]}
        />
        <LineChart
          title="Flow per minute"
          times={times}
          format={perMinute}
          series={[
            { name: 'In', color: COLORS.orange, values: pick((s) => s.inflowPerMinute) },
            { name: 'Out', color: COLORS.green, values: pick((s) => s.outflowPerMinute) },
            {
              name: 'Planned out',
              color: COLORS.grey,
              values: pick((s) => s.plannedOutflowPerMinute),
              dashed: true,
            },
          ]}
        />
        <LineChart
          title="Active"
          times={times}
          series={[{ name: 'Active', color: COLORS.blue, values: pick((s) => s.active) }]}
        />
        <LineChart
          title={`Wait estimate error (${accuracy.samples.toLocaleString('en')} admissions checked)`}
          times={times}
          format={percent}
          minTop={0.1}
          series={[
            { name: 'Median', color: COLORS.green, values: pick((s) => s.estimateAccuracy.medianErrorRatio) },
            { name: 'p90', color: COLORS.red, values: pick((s) => s.estimateAccuracy.p90ErrorRatio) },
          ]}
        />
      </div>
    </div>
  );
}
