/** How far along the line a ticket is, from where it started to the door. */
export function progressFraction(firstPosition: number | null, position: number | null): number {
  if (position === null) return 0;
  const first = Math.max(firstPosition ?? position, position);
  // Never empty once in line, never full before the door: full is kept for "admitted".
  return (first - position + 1) / (first + 1);
}

export function WaitProgress({ fraction, label }: { fraction: number; label: string }) {
  const value = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
    >
      <div className="progress__bar" style={{ transform: `scaleX(${value / 100})` }} />
    </div>
  );
}
