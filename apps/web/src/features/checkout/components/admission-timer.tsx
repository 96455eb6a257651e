import { formatClock, spokenDuration } from '../../../shared/format/duration';
import { useCountdown } from '../../../shared/hooks/use-countdown';
import { LiveRegion } from '../../../shared/ui/live-region';

/** The time left to order: "Order within 9:45", with a spoken warning at the last minute. */
export function AdmissionTimer({ expiresAt }: { expiresAt: string }) {
  const left = useCountdown(expiresAt) ?? 0;
  const urgent = left <= 60;
  return (
    <div className={`admission-timer${urgent ? ' admission-timer--urgent' : ''}`}>
      <p className="admission-timer__label">{left > 0 ? 'Time left to order' : 'Your time to order is up'}</p>
      <p className="admission-timer__clock" role="timer" aria-label={spokenDuration(left)}>
        {formatClock(left)}
      </p>
      <LiveRegion
        politeness="assertive"
        message={left <= 0 ? 'Your time to order is up.' : urgent ? 'Less than a minute left to order.' : ''}
      />
    </div>
  );
}
