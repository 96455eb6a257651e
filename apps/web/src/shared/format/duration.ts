/** A wait for a person to read: "45 s", "12 min", "1 h 05 min". */
export function formatWait(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return m === 60 ? `${h + 1} h 00 min` : `${h} h ${String(m).padStart(2, '0')} min`;
}

/** A range of waits, in one unit when both ends share it: "2–5 min", "40 s – 2 min". */
export function formatWaitRange(low: number, high: number): string {
  const a = formatWait(low);
  const b = formatWait(high);
  if (a === b) return a;
  const unitA = a.replace(/^[\d\s]+/, '');
  const unitB = b.replace(/^[\d\s]+/, '');
  if (unitA === unitB && (unitA === 's' || unitA === 'min')) return `${a.replace(/\s\S+$/, '')}–${b}`;
  return `${a} – ${b}`;
}

/** A countdown's face: "4:05", "1:02:03", "3 d 01:02:03". */
export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, Math.ceil(totalSeconds));
  const days = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
  if (days > 0) return `${days} d ${String(h).padStart(2, '0')}:${mmss}`;
  if (h > 0) return `${h}:${mmss}`;
  return `${m}:${String(sec).padStart(2, '0')}`;
}

/** A countdown read aloud: "4 minutes 5 seconds". */
export function spokenDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.ceil(totalSeconds));
  const parts: [number, string][] = [
    [Math.floor(s / 86_400), 'day'],
    [Math.floor((s % 86_400) / 3600), 'hour'],
    [Math.floor((s % 3600) / 60), 'minute'],
    [s % 60, 'second'],
  ];
  const said = parts.filter(([n]) => n > 0).map(([n, unit]) => `${n} ${unit}${n === 1 ? '' : 's'}`);
  return said.length > 0 ? said.join(' ') : '0 seconds';
}
