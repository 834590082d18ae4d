/** Pure helpers for the Completeness screen: a share as "91% (412/452)", its tone against the
 * adoption thresholds (below 85% a problem, below 70% a serious one), the report regrouped as one
 * block of months per unit with the scope's totals last, and the table as CSV. */

import type { CompletenessReport, CompletenessRow, Share, UnitRef } from '../api/types';

/** Below this share data entry is an adoption problem. */
export const LOW_SHARE = 0.85;
/** Below this share the problem is serious. */
export const BAD_SHARE = 0.7;

export type Measure = 'call_reports' | 'segmentation' | 'signatures';

export const MEASURES: { key: Measure; label: string }[] = [
  { key: 'call_reports', label: 'Call reports' },
  { key: 'segmentation', label: 'Segmentation' },
  { key: 'signatures', label: 'Signatures' },
];

export type ShareTone = 'ok' | 'low' | 'bad' | 'none';

export function shareTone(s: Share): ShareTone {
  if (s.share == null || !Number.isFinite(s.share)) return 'none';
  if (s.share < BAD_SHARE) return 'bad';
  if (s.share < LOW_SHARE) return 'low';
  return 'ok';
}

/** Whole percent, rounded down so a share under a threshold never reads as reaching it (0.849 -> "84%"). */
export function sharePercent(s: Share): string {
  if (s.share == null || !Number.isFinite(s.share)) return '–';
  return `${Math.floor(s.share * 100 + 1e-9)}%`;
}

/** "91% (412/452)"; "– (0/0)" when there is nothing to count. */
export function shareText(s: Share): string {
  return `${sharePercent(s)} (${s.count}/${s.of})`;
}

export interface CompletenessGroup {
  /** null: the reader's whole scope (the totals). */
  unit: UnitRef | null;
  /** One per month of the report, in its order; null when the server sent no row for that month. */
  rows: { month: string; row: CompletenessRow | null }[];
}

/** The report as one group per unit (in the server's order), the totals last. */
export function completenessGroups(report: CompletenessReport): CompletenessGroup[] {
  const units = new Map<string, UnitRef | null>();
  const byKey = new Map<string, CompletenessRow>();
  for (const r of report.rows) {
    const id = r.unit?.id ?? '';
    if (!units.has(id)) units.set(id, r.unit ?? null);
    byKey.set(`${id}|${r.month}`, r);
  }
  const ids = [...units.keys()].filter((id) => id !== '');
  if (units.has('')) ids.push('');
  return ids.map((id) => ({
    unit: units.get(id) ?? null,
    rows: report.months.map((month) => ({ month, row: byKey.get(`${id}|${month}`) ?? null })),
  }));
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The table as CSV: one line per unit and month (totals named `totalsLabel`), count, of and share per measure. */
export function completenessCsv(
  report: CompletenessReport,
  totalsLabel = 'All (your scope)',
): string {
  const head = ['level', 'unit_code', 'unit_name', 'month'];
  for (const m of MEASURES) head.push(`${m.key}_count`, `${m.key}_of`, `${m.key}_share`);
  const lines = [head.join(',')];
  for (const g of completenessGroups(report)) {
    for (const { month, row } of g.rows) {
      if (!row) continue;
      const cells: (string | number)[] = [
        g.unit ? report.level : 'total',
        g.unit?.code ?? '',
        g.unit?.name ?? totalsLabel,
        month,
      ];
      for (const m of MEASURES) {
        const s = row[m.key];
        cells.push(s.count, s.of, s.share == null ? '' : Number(s.share.toFixed(4)));
      }
      lines.push(cells.map(csvCell).join(','));
    }
  }
  return lines.join('\r\n') + '\r\n';
}
