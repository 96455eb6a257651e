const LOCALE = 'en';

/** A time of day and date in the device's own zone: "Tue 3 Jun, 14:00". */
export function formatWhen(iso: string): string {
  return new Intl.DateTimeFormat(LOCALE, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}
