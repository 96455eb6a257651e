import { useEffect, useRef, useState } from 'react';
import { LiveRegion } from '../../../shared/ui/live-region';

/** At most one announcement in this many milliseconds, so a fast line does not drown the reader. */
const QUIET_MS = 20_000;

/**
 * Tells screen-reader users where they are in line: at once for the first position and for
 * the last steps, otherwise no more often than every 20 s.
 */
export function PositionAnnouncer({ position }: { position: number | null }) {
  const [message, setMessage] = useState('');
  const lastSaid = useRef(0);
  const latest = useRef(position);
  latest.current = position;

  useEffect(() => {
    if (position === null) return;
    const say = () => {
      const p = latest.current;
      if (p === null) return;
      lastSaid.current = Date.now();
      setMessage(p === 1 ? 'You are next in line.' : `You are number ${p} in line.`);
    };
    const since = Date.now() - lastSaid.current;
    if (since >= QUIET_MS || position <= 3) {
      say();
      return;
    }
    const timer = setTimeout(say, QUIET_MS - since);
    return () => clearTimeout(timer);
  }, [position]);

  return <LiveRegion message={message} />;
}
