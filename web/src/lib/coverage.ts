/** Pure helpers for the Coverage screen (frequency tracking report). */

import type { TierFrequency } from '../api/types';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `YYYY-MM` of a date (local time). */
export function monthKey(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** Valid `YYYY-MM` (month 01–12)? */
export function isMonthKey(s: string | null | undefined): s is string {
  return !!s && /^\d{4}-(0[1-9]|1[0-2])$/.test(s);
}

/** "2026-11" -> "November 2026" (the key itself when it is not a month). */
export function monthLabel(key: string): string {
  if (!isMonthKey(key)) return key;
  const [y, m] = key.split('-');
  return `${MONTHS[Number(m) - 1]} ${y}`;
}

/** The current month and the `count - 1` months before it, newest first. */
export function recentMonths(now: Date, count = 12): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++)
    out.push(monthKey(new Date(now.getFullYear(), now.getMonth() - i, 1)));
  return out;
}

/**
 * A ratio (0..1) as a whole percentage. Never rounds up to 100% (or down to 0%) unless it is
 * exactly that, so "100%" always means the target is fully met.
 */
export function percent(ratio: number): string {
  if (!Number.isFinite(ratio)) return '–';
  const r = Math.max(0, Math.min(1, ratio));
  let p = Math.round(r * 100);
  if (p === 100 && r < 1) p = 99;
  if (p === 0 && r > 0) p = 1;
  return `${p}%`;
}

/** Bar width in percent (0–100) for a ratio. */
export function barWidth(ratio: number): number {
  if (!Number.isFinite(ratio)) return 0;
  return Math.round(Math.max(0, Math.min(1, ratio)) * 1000) / 10;
}

/** "calls toward target / target", e.g. "19 / 42". */
export function towardText(t: Pick<TierFrequency, 'calls_toward_target' | 'target_calls'>): string {
  return `${t.calls_toward_target} / ${t.target_calls}`;
}

export function daysLeftText(days: number): string {
  if (days <= 0) return 'cycle closed';
  return days === 1 ? '1 day left' : `${days} days left`;
}

/** A territory is behind when its tier A adherence is below this share of the cycle elapsed:
 * half the pace that ends the cycle on target. */
export const TIER_A_PACE = 0.5;

/** The share (0..1) of the cycle `[from, to)` gone when `daysLeft` days are left. */
export function cycleElapsed(from: string, to: string, daysLeft: number): number {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  if (!Number.isFinite(days) || days <= 0) return 1;
  return Math.max(0, Math.min(1, (days - daysLeft) / days));
}

/**
 * The action signal for a territory: tier A adherence below half the share of the cycle
 * elapsed while the cycle still has days left, e.g. "Tier A behind: 12 of 30 target calls,
 * 9 days left (70% of the cycle gone)". On day 3 of a month no territory is behind yet; on the
 * last day, below 50% is. Null when there is nothing to do.
 */
export function tierASignal(
  tiers: TierFrequency[],
  daysLeft: number,
  elapsed: number,
): string | null {
  const a = tiers.find((t) => t.tier === 'A');
  if (!a || a.target_calls <= 0 || daysLeft <= 0) return null;
  if (!(a.adherence < TIER_A_PACE * elapsed)) return null;
  const gone = Math.round(elapsed * 100);
  return `Tier A behind: ${a.calls_toward_target} of ${a.target_calls} target calls, ${daysLeftText(daysLeft)} (${gone}% of the cycle gone)`;
}

/** "and 29 more" when the report lists fewer gaps than there are; null otherwise. */
export function moreGapsText(shown: number, total: number): string | null {
  return total > shown ? `and ${total - shown} more` : null;
}

/** "2026-11-01" .. "2026-12-01" (exclusive) -> "1–30 Nov 2026". */
export function cycleRange(from: string, to: string): string {
  const f = /^(\d{4})-(\d{2})-(\d{2})$/.exec(from);
  const t = /^(\d{4})-(\d{2})-(\d{2})$/.exec(to);
  if (!f || !t) return `${from} – ${to}`;
  const last = new Date(Date.UTC(+t[1], +t[2] - 1, +t[3]) - 86_400_000);
  const mon = (m: number) => MONTHS[m].slice(0, 3);
  const fromDay = Number(f[3]);
  if (last.getUTCFullYear() === +f[1] && last.getUTCMonth() === +f[2] - 1) {
    return `${fromDay}–${last.getUTCDate()} ${mon(last.getUTCMonth())} ${f[1]}`;
  }
  return `${fromDay} ${mon(+f[2] - 1)} ${f[1]} – ${last.getUTCDate()} ${mon(last.getUTCMonth())} ${last.getUTCFullYear()}`;
}
