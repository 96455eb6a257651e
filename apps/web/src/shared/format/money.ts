/** The page speaks English; prices follow it whatever the device's own locale. */
const LOCALE = 'en';

/** "€25.00" from 2500 and "EUR". */
export function formatMoney(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat(LOCALE, { style: 'currency', currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}
