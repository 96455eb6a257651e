import { useEffect, useState } from 'react';

/**
 * Seconds left until `target` (an ISO date or epoch milliseconds), updated every second;
 * 0 once it has passed, null without a target. The ticks are aligned on the target's own
 * second boundaries, so the number never skips or stalls.
 */
export function useCountdown(target: string | number | null | undefined): number | null {
  const at = target === null || target === undefined ? null : new Date(target).getTime();
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (at === null || Number.isNaN(at)) return;
    let timer: ReturnType<typeof setTimeout>;
    const schedule = () => {
      const current = Date.now();
      setNow(current);
      if (current >= at) return;
      const toNextSecond = ((at - current) % 1000) + 5;
      timer = setTimeout(schedule, toNextSecond);
    };
    schedule();
    return () => clearTimeout(timer);
  }, [at]);

  if (at === null || Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}
