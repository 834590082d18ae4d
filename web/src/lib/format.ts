import type { Address, CallWindow } from '../api/types';

export function hcpName(h: {
  first_name: string;
  middle_name?: string | null;
  last_name: string;
  suffix?: string | null;
  credentials?: string | null;
}): string {
  const name = [h.first_name, h.middle_name, h.last_name].filter(Boolean).join(' ');
  const withSuffix = h.suffix ? `${name} ${h.suffix}` : name;
  return h.credentials ? `${withSuffix}, ${h.credentials}` : withSuffix;
}

const DAYS: Record<string, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};
const DAY_ORDER = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export function dayLabel(d: string): string {
  return DAYS[d] ?? d;
}

export function sortCallWindows(ws: CallWindow[]): CallWindow[] {
  return [...ws].sort(
    (a, b) => DAY_ORDER.indexOf(a.day) - DAY_ORDER.indexOf(b.day) || a.from.localeCompare(b.from),
  );
}

export function addressLines(a: Address): string[] {
  return [a.line1, a.line2 ?? '', `${a.city}, ${a.state} ${a.zip}`].filter((l) => l && l.trim());
}

export function cityState(x: { city?: string | null; state?: string | null }): string {
  return [x.city, x.state].filter(Boolean).join(', ');
}

export function titleCase(s: string): string {
  return s.replace(/_/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
}

const ACCOUNT_TYPES: Record<string, string> = {
  hospital: 'Hospital',
  clinic: 'Clinic',
  pharmacy: 'Pharmacy',
  drug_store: 'Drug store',
  distributor: 'Distributor',
  idn: 'IDN',
};

export function accountTypeLabel(t: string): string {
  return ACCOUNT_TYPES[t] ?? titleCase(t);
}

/** "2026-03-01T10:00:00Z" -> "2026-03-01"; leaves other strings alone. */
export function shortDate(s: string | null | undefined): string {
  if (!s) return '';
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(s);
  return m ? m[1] : s;
}

const LANGS: Record<string, string> = {
  en: 'English',
  es: 'Spanish',
  zh: 'Chinese',
  vi: 'Vietnamese',
  fr: 'French',
  de: 'German',
  ko: 'Korean',
  ru: 'Russian',
  ar: 'Arabic',
  pt: 'Portuguese',
  it: 'Italian',
  pl: 'Polish',
  tl: 'Tagalog',
  hi: 'Hindi',
  ja: 'Japanese',
};

export function languageLabel(code: string): string {
  if (!code) return '';
  const base = code.toLowerCase().split(/[-_]/)[0];
  return LANGS[base] ? `${LANGS[base]} (${code})` : code;
}

/** A call's local date and time, `YYYY-MM-DD HH:MM`. */
export function callWhen(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
