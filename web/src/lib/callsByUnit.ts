/**
 * Pure helpers for the Coverage screen's "Calls by territory, district and region" section
 * (GET /api/v1/reports/calls-by-unit): the period presets, the region → district → territory
 * nesting of the report's flat lists, and each unit's share of the period's calls.
 */

import type { AttributionReport, UnitCalls } from '../api/types';
import { isIsoDay, isoDay, quarterOf } from './oversight';

/** A period of local calendar days, both inclusive (`YYYY-MM-DD`). */
export interface DayRange {
  from: string;
  to: string;
}

export type PresetId = 'ytd' | 'quarter' | 'last12';

export interface PeriodPreset extends DayRange {
  id: PresetId;
  label: string;
}

/**
 * The period presets relative to `now`, the default (year to date) first:
 * - year to date: 1 January to today;
 * - this quarter: the whole calendar quarter containing today;
 * - last 12 months: the day after the same date a year ago (clamped to the month's end) to today.
 */
export function periodPresets(now: Date): PeriodPreset[] {
  const y = now.getFullYear();
  const m = now.getMonth();
  const today = isoDay(now);
  const q = quarterOf(now);
  const lastDayYearAgo = new Date(y - 1, m + 1, 0).getDate();
  const yearAgo = new Date(y - 1, m, Math.min(now.getDate(), lastDayYearAgo) + 1);
  return [
    { id: 'ytd', label: `Year to date (${y})`, from: `${y}-01-01`, to: today },
    { id: 'quarter', label: `This quarter (${q.label})`, from: q.from, to: q.to },
    { id: 'last12', label: 'Last 12 months', from: isoDay(yearAgo), to: today },
  ];
}

/** The default period: year to date. */
export function defaultPeriod(now: Date): DayRange {
  const { from, to } = periodPresets(now)[0];
  return { from, to };
}

/** The preset a period is exactly, or null (a custom period). */
export function presetOf(presets: PeriodPreset[], p: DayRange): PresetId | null {
  return presets.find((x) => x.from === p.from && x.to === p.to)?.id ?? null;
}

/** The period named by `from`/`to` in a query string when both are valid days, else the default. */
export function periodFromQuery(sp: URLSearchParams, now: Date): DayRange {
  const from = sp.get('from');
  const to = sp.get('to');
  return isIsoDay(from) && isIsoDay(to) ? { from, to } : defaultPeriod(now);
}

export type UnitLevel = 'region' | 'district' | 'territory';

/** One line of the nested table, in display order. */
export interface UnitRow {
  level: UnitLevel;
  unit: UnitCalls;
  /** Indentation: 0 for a unit with no listed parent, its parent's depth + 1 otherwise. */
  depth: number;
  /** Sum of the listed units directly below (null when none is listed). */
  childCalls: number | null;
}

type Levels = Pick<AttributionReport, 'regions' | 'districts' | 'territories'>;

/**
 * Regions, each followed by its districts, each followed by its territories (the API's order,
 * by code, within each parent). A district or territory whose parent is not listed is shown at
 * the top level after the regions, so every unit of the report appears exactly once.
 */
export function nestUnits(report: Levels): UnitRow[] {
  const rows: UnitRow[] = [];
  const listed = (list: UnitCalls[], id: string | null | undefined) =>
    !!id && list.some((u) => u.id === id);
  const under = (list: UnitCalls[], parent: UnitCalls) =>
    list.filter((u) => u.parent_id === parent.id);
  const childCalls = (children: UnitCalls[]) =>
    children.length ? children.reduce((n, u) => n + u.calls, 0) : null;

  const addTerritory = (t: UnitCalls, depth: number) =>
    rows.push({ level: 'territory', unit: t, depth, childCalls: null });
  const addDistrict = (d: UnitCalls, depth: number) => {
    const ts = under(report.territories, d);
    rows.push({ level: 'district', unit: d, depth, childCalls: childCalls(ts) });
    for (const t of ts) addTerritory(t, depth + 1);
  };
  for (const r of report.regions) {
    const ds = under(report.districts, r);
    rows.push({ level: 'region', unit: r, depth: 0, childCalls: childCalls(ds) });
    for (const d of ds) addDistrict(d, 1);
  }
  for (const d of report.districts) if (!listed(report.regions, d.parent_id)) addDistrict(d, 0);
  for (const t of report.territories)
    if (!listed(report.districts, t.parent_id)) addTerritory(t, 0);
  return rows;
}

/** `calls / total` (NaN when there are no calls at all). */
export function shareOf(calls: number, total: number): number {
  return total > 0 ? calls / total : NaN;
}

/**
 * A share as a percentage with one decimal, e.g. "26.9%". Never rounds to "0.0%" or "100.0%"
 * unless it is exactly that; "–" when there is nothing to share.
 */
export function shareText(calls: number, total: number): string {
  const r = shareOf(calls, total);
  if (!Number.isFinite(r)) return '–';
  let tenths = Math.round(Math.max(0, Math.min(1, r)) * 1000);
  if (tenths === 1000 && r < 1) tenths = 999;
  if (tenths === 0 && r > 0) tenths = 1;
  return `${(tenths / 10).toFixed(1)}%`;
}

/** How a share is computed, e.g. "412 of 1530 calls in the period". */
export function shareTitle(calls: number, total: number): string {
  return `${calls} of ${total} ${total === 1 ? 'call' : 'calls'} in the period`;
}

/** The level below, as the note on a parent whose count differs from its listed children's sum names it. */
export function childLevelName(level: UnitLevel): string {
  return level === 'region' ? 'districts' : 'territories';
}
