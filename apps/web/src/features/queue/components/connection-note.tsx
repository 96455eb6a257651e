import type { Connection } from '../hooks/use-ticket';

/** A quiet line saying how fresh the figures are. */
export function ConnectionNote({
  connection,
  pollAfterMs,
}: {
  connection: Connection;
  pollAfterMs: number | null;
}) {
  const every = Math.max(1, Math.round((pollAfterMs ?? 5000) / 1000));
  const text: Record<Connection, string> = {
    connecting: 'Connecting…',
    live: 'Live: updates as the line moves',
    polling: `Updated every ${every} s`,
    offline: 'Connection lost: trying again. Your place is kept.',
  };
  return (
    <p className={`connection connection--${connection}`}>
      <span className="connection__dot" aria-hidden="true" />
      {text[connection]}
    </p>
  );
}
