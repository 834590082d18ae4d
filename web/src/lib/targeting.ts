/** Pure helpers for the Targeting screen: targeting versions (states, the frequency grid and its
 * checks, server field errors per cell), the segmentation upload into a draft, and the bulk
 * uploads of master data (ops and admin). */

import type {
  CycleKind,
  ImportReport,
  RowError,
  TargetingVersion,
  Tier,
  VersionFrequency,
  VersionState,
} from '../api/types';
import { may, type Permitted } from './permissions';

/** Bulk uploads of master data. Segmentation is not among them: it goes into a targeting version. */
export const IMPORT_KINDS = ['hcps', 'accounts', 'alignment', 'specialties'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const DEFAULT_IMPORT_KIND: ImportKind = 'hcps';

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
  hcps: {
    label: 'HCPs',
    columns: [
      'npi',
      'first_name',
      'middle_name',
      'last_name',
      'suffix',
      'credentials',
      'specialty_code',
      'status',
      'language',
      'address_line1',
      'address_line2',
      'city',
      'state',
      'zip',
      'latitude',
      'longitude',
      'licences',
      'preferred_call_times',
      'do_not_call_reason',
    ],
    notes: 'Licences as MA:12345:2027-06-30|NY:…, call times as mon 09:00-12:00; thu 14:00-16:00.',
  },
  accounts: {
    label: 'Accounts',
    columns: [
      'external_id',
      'name',
      'account_type',
      'parent_external_id',
      'address_line1',
      'address_line2',
      'city',
      'state',
      'zip',
      'latitude',
      'longitude',
    ],
    notes: '',
  },
  alignment: {
    label: 'Alignment (ZIP to territory)',
    columns: ['zip', 'territory_code', 'effective_from'],
    notes: 'A blank date is today. Planned realignments go through a realignment cycle instead.',
  },
  specialties: {
    label: 'Specialties',
    columns: ['code', 'name'],
    notes: 'NUCC taxonomy codes beyond the built-in table.',
  },
};

/** The segmentation file a draft version takes. */
export const SEGMENT_LAYOUT: KindHelp = {
  label: 'Segmentation',
  columns: ['npi', 'product', 'tier', 'decile'],
  notes: 'Product by brand name. A blank tier follows from the decile: 8–10 A, 5–7 B, 1–4 C.',
};

function help(l: KindHelp): { header: string; notes: string } {
  return {
    header: l.columns.join(','),
    notes: `Header row required; columns in any order.${l.notes ? ' ' + l.notes : ''}`,
  };
}

/** Help text for a kind: the header row and the notes. */
export function columnsHelp(kind: ImportKind): { header: string; notes: string } {
  return help(IMPORT_LAYOUTS[kind]);
}

/** Help text for the segmentation upload into a draft. */
export function segmentsHelp(): { header: string; notes: string } {
  return help(SEGMENT_LAYOUT);
}

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

/** "12 rows: 3 created, 4 updated, 5 unchanged, 0 rejected." */
export function reportSummary(
  r: Pick<ImportReport, 'rows' | 'created' | 'updated' | 'unchanged' | 'rejected'>,
): string {
  return `${plural(r.rows, 'row')}: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejected} rejected.`;
}

/** The first `max` row errors to show, and the "and N more" text for the rest (null when none left). */
export function rejectedRows(
  errors: RowError[],
  max = 200,
): { rows: RowError[]; more: string | null } {
  const rows = errors.slice(0, max);
  const rest = errors.length - rows.length;
  return { rows, more: rest > 0 ? `and ${rest} more` : null };
}

/** A file is probably not CSV when its name has another extension we know is wrong. */
export function fileWarning(name: string): string | null {
  const m = /\.([a-z0-9]+)$/i.exec(name);
  if (!m) return null;
  const ext = m[1].toLowerCase();
  if (ext === 'csv' || ext === 'txt') return null;
  if (ext === 'xlsx' || ext === 'xls')
    return 'This looks like an Excel workbook: save it as CSV first.';
  return `Expected a .csv file, not .${ext}.`;
}

// ---- versions ----------------------------------------------------------------------------------

/** Those who may change targeting (the others with the screen read it). */
export function canEditTargeting(me: Permitted): boolean {
  return may(me, 'manage_targeting');
}

/** Those who may upload master data in bulk (the Targeting screen's uploads). */
export function canImportMasterData(me: Permitted): boolean {
  return may(me, 'import_master_data');
}

export const STATE_LABELS: Record<VersionState, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  in_force: 'In force',
  superseded: 'Superseded',
};

export const CYCLE_LABELS: Record<CycleKind, string> = {
  month: 'Month',
  quarter: 'Quarter',
  year: 'Year',
};

/** Newest first (by number). */
export function sortVersions<V extends Pick<TargetingVersion, 'number'>>(vs: V[]): V[] {
  return [...vs].sort((a, b) => b.number - a.number);
}

export function inForce<V extends Pick<TargetingVersion, 'state'>>(vs: V[]): V | null {
  return vs.find((v) => v.state === 'in_force') ?? null;
}

// ---- the frequency grid ------------------------------------------------------------------------

export const GRID_TIERS: Tier[] = ['A', 'B', 'C'];

/** The most calls per cycle: a call a working day at most (the server's `check_calls`). */
export function maxCalls(cycle: CycleKind): number {
  return cycle === 'quarter' ? 92 : cycle === 'year' ? 366 : 31;
}

/** Validates a calls-per-cycle input: a whole number from 0 to the cycle's maximum. */
export function parseCalls(
  input: string,
  cycle: CycleKind,
): { ok: true; value: number } | { ok: false; error: string } {
  const max = maxCalls(cycle);
  const s = input.trim();
  if (s === '') return { ok: false, error: `Enter a number of calls per ${cycle}` };
  if (!/^\d+$/.test(s)) return { ok: false, error: `Enter a whole number from 0 to ${max}` };
  const n = Number(s);
  if (n > max) return { ok: false, error: `At most ${max} calls per ${cycle}` };
  return { ok: true, value: n };
}

/** The key of a grid cell. */
export const cellKey = (productId: string, tier: string) => `${productId}:${tier}`;

/** The inputs of the grid from a version's table; a product x tier without a row shows 0. */
export function gridValues(
  productIds: string[],
  frequencies: VersionFrequency[],
): Record<string, string> {
  const have = new Map(frequencies.map((f) => [cellKey(f.product_id, f.tier), f.calls]));
  const out: Record<string, string> = {};
  for (const p of productIds)
    for (const t of GRID_TIERS) out[cellKey(p, t)] = String(have.get(cellKey(p, t)) ?? 0);
  return out;
}

/** The table to send (products in order, tiers A, B, C) or the errors of the cells that fail the check. */
export function gridRows(
  productIds: string[],
  values: Record<string, string>,
  cycle: CycleKind,
): { rows: VersionFrequency[]; errors: Record<string, string> } {
  const rows: VersionFrequency[] = [];
  const errors: Record<string, string> = {};
  for (const p of productIds) {
    for (const t of GRID_TIERS) {
      const k = cellKey(p, t);
      const parsed = parseCalls(values[k] ?? '', cycle);
      if (parsed.ok) rows.push({ product_id: p, tier: t, calls: parsed.value });
      else errors[k] = parsed.error;
    }
  }
  return { rows, errors };
}

/** Server field errors (`frequencies[3].calls`) placed on the cell of the row sent at that index;
 * the rest (not about one row) are returned apart. */
export function cellErrors(
  fieldErrors: Record<string, string>,
  sent: VersionFrequency[],
): { cells: Record<string, string>; other: Record<string, string> } {
  const cells: Record<string, string> = {};
  const other: Record<string, string> = {};
  for (const [field, message] of Object.entries(fieldErrors)) {
    const m = /^(?:frequencies)?\[(\d+)\](?:\.(\w+))?$/.exec(field);
    const row = m ? sent[Number(m[1])] : undefined;
    if (row) {
      const k = cellKey(row.product_id, row.tier);
      cells[k] = cells[k] ? `${cells[k]}; ${message}` : message;
    } else other[field] = message;
  }
  return { cells, other };
}

/** Whether the grid differs from the version's table. */
export function gridDirty(
  productIds: string[],
  values: Record<string, string>,
  frequencies: VersionFrequency[],
): boolean {
  const saved = gridValues(productIds, frequencies);
  return Object.keys(saved).some((k) => (values[k] ?? '').trim() !== saved[k]);
}
