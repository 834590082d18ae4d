/** Dates of the sample book: the UTC day the server judges a record on, the device's local day,
 * days between two dates and how close a lot is to its expiry. Pure functions. */

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` (UTC) of an RFC 3339 instant: the day the server judges a record on. */
export function utcDate(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}

/** The device's local calendar date, `YYYY-MM-DD`. */
export function localDay(d: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Whole days from date `a` to date `b` (both `YYYY-MM-DD`). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

export type ExpiryStatus = 'expired' | 'soon' | 'ok';

/** Lots expiring within this many days are highlighted. */
export const EXPIRY_SOON_DAYS = 30;

export function expiryStatus(expiresOn: string, today: string): ExpiryStatus {
  const left = daysBetween(today, expiresOn);
  if (left < 0) return 'expired';
  if (left <= EXPIRY_SOON_DAYS) return 'soon';
  return 'ok';
}
