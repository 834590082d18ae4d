/** Pure helpers for the Targeting screen (frequency targets and CSV uploads; ops and admin). */

import type { FrequencyTarget, ImportReport, RowError, Tier } from '../api/types';

export const IMPORT_KINDS = ['segments', 'hcps', 'accounts', 'alignment', 'specialties'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const DEFAULT_IMPORT_KIND: ImportKind = 'segments';

export function isImportKind(s: string | null | undefined): s is ImportKind {
  return !!s && (IMPORT_KINDS as readonly string[]).includes(s);
}

export interface KindHelp {
  label: string;
  columns: string[];
  /** Extra notes on the columns (formats, defaults). */
  notes: string;
}

/** The file layouts (README.md: header row required, columns in any order). */
export const IMPORT_LAYOUTS: Record<ImportKind, KindHelp> = {
  segments: {
    label: 'Segments (tiers and deciles)',
    columns: ['npi', 'product', 'tier', 'decile', 'set_on'],
    notes: 'Product by brand name. A blank tier follows from the decile: 8–10 A, 5–7 B, 1–4 C. A blank date is today.',
  },
  hcps: {
    label: 'HCPs',
    columns: [
      'npi', 'first_name', 'middle_name', 'last_name', 'suffix', 'credentials', 'specialty_code', 'status', 'language',
      'address_line1', 'address_line2', 'city', 'state', 'zip', 'latitude', 'longitude', 'licences',
      'preferred_call_times', 'do_not_call_reason',
    ],
    notes: 'Licences as MA:12345:2027-06-30|NY:…, call times as mon 09:00-12:00; thu 14:00-16:00.',
  },
  accounts: {
    label: 'Accounts',
    columns: [
      'external_id', 'name', 'account_type', 'parent_external_id', 'address_line1', 'address_line2', 'city', 'state',
      'zip', 'latitude', 'longitude',
    ],
    notes: '',
  },
  alignment: {
    label: 'Alignment (ZIP to territory)',
    columns: ['zip', 'territory_code', 'effective_from'],
    notes: 'A blank date is today.',
  },
  specialties: {
    label: 'Specialties',
    columns: ['code', 'name'],
    notes: 'NUCC taxonomy codes beyond the built-in table.',
  },
};

/** Help text for a kind: the header row and the notes. */
export function columnsHelp(kind: ImportKind): { header: string; notes: string } {
  const l = IMPORT_LAYOUTS[kind];
  return { header: l.columns.join(','), notes: `Header row required; columns in any order.${l.notes ? ' ' + l.notes : ''}` };
}

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

/** "12 rows: 3 created, 4 updated, 5 unchanged, 0 rejected." */
export function reportSummary(r: Pick<ImportReport, 'rows' | 'created' | 'updated' | 'unchanged' | 'rejected'>): string {
  return `${plural(r.rows, 'row')}: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejected} rejected.`;
}

/** The first `max` row errors to show, and the "and N more" text for the rest (null when none left). */
export function rejectedRows(errors: RowError[], max = 200): { rows: RowError[]; more: string | null } {
  const rows = errors.slice(0, max);
  const rest = errors.length - rows.length;
  return { rows, more: rest > 0 ? `and ${rest} more` : null };
}

export const MAX_CALLS_PER_MONTH = 31;

/** Validates the calls-per-month input: a whole number 0–31. Returns the number or an error message. */
export function parseCallsPerMonth(input: string): { ok: true; value: number } | { ok: false; error: string } {
  const s = input.trim();
  if (s === '') return { ok: false, error: 'Enter a number of calls per month' };
  if (!/^\d+$/.test(s)) return { ok: false, error: `Enter a whole number from 0 to ${MAX_CALLS_PER_MONTH}` };
  const n = Number(s);
  if (n > MAX_CALLS_PER_MONTH) return { ok: false, error: `At most ${MAX_CALLS_PER_MONTH} calls per month` };
  return { ok: true, value: n };
}

const TIER_ORDER: Tier[] = ['A', 'B', 'C'];

/** Targets in tier order A, B, C. */
export function sortTargets(ts: FrequencyTarget[]): FrequencyTarget[] {
  return [...ts].sort((a, b) => TIER_ORDER.indexOf(a.tier) - TIER_ORDER.indexOf(b.tier));
}

/** A file is probably not CSV when its name has another extension we know is wrong. */
export function fileWarning(name: string): string | null {
  const m = /\.([a-z0-9]+)$/i.exec(name);
  if (!m) return null;
  const ext = m[1].toLowerCase();
  if (ext === 'csv' || ext === 'txt') return null;
  if (ext === 'xlsx' || ext === 'xls') return 'This looks like an Excel workbook: save it as CSV first.';
  return `Expected a .csv file, not .${ext}.`;
}
