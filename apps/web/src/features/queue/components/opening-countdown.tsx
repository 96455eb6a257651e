import { formatWhen } from '../../../shared/format/date';
import { formatClock, spokenDuration } from '../../../shared/format/duration';
import { useCountdown } from '../../../shared/hooks/use-countdown';

/** "Opens in 1:02:03", ticking, with the local time it opens at. */
export function OpeningCountdown({ opensAt }: { opensAt: string | null }) {
  const left = useCountdown(opensAt);
  if (opensAt === null || left === null) return <p className="countdown">The sale opens soon.</p>;
  return (
    <div className="countdown">
      <p className="countdown__label">{left > 0 ? 'The sale opens in' : 'The sale is opening'}</p>
      {left > 0 ? (
        <p className="countdown__clock" role="timer" aria-label={spokenDuration(left)}>
          {formatClock(left)}
        </p>
      ) : null}
      <p className="muted">at {formatWhen(opensAt)}</p>
    </div>
  );
}
