// Completeness screen helpers: shares in words and tones against the 85% / 70% lines, the report
// regrouped per unit with the totals last, and the CSV download.
import { describe, expect, it } from 'vitest';
import { meOf } from './grants';
import type { CompletenessReport, Share } from '../src/api/types';
import {
  completenessCsv,
  completenessGroups,
  sharePercent,
  shareText,
  shareTone,
} from '../src/lib/completeness';
import { canSeeCompleteness, navItems } from '../src/lib/nav';

const sh = (count: number, of: number): Share => ({ count, of, share: of ? count / of : null });
const unit = (code: string) => ({ id: `id-${code}`, code, name: `Name ${code}` });

const report: CompletenessReport = {
  level: 'territory',
  months: ['2026-11', '2026-12'],
  method: ['Call reports: …'],
  rows: [
    {
      unit: null,
      month: '2026-11',
      call_reports: sh(10, 12),
      segmentation: sh(5, 5),
      signatures: sh(0, 0),
    },
    {
      unit: unit('T01'),
      month: '2026-11',
      call_reports: sh(412, 452),
      segmentation: sh(79, 100),
      signatures: sh(4, 4),
    },
    {
      unit: unit('T01'),
      month: '2026-12',
      call_reports: sh(5, 5),
      segmentation: sh(69, 100),
      signatures: sh(0, 0),
    },
    {
      unit: unit('T02'),
      month: '2026-12',
      call_reports: sh(3, 3),
      segmentation: sh(79, 98),
      signatures: sh(1, 1),
    },
    {
      unit: null,
      month: '2026-12',
      call_reports: sh(8, 8),
      segmentation: sh(5, 5),
      signatures: sh(1, 1),
    },
  ],
};

describe('completeness: shares', () => {
  it('reads "91% (412/452)", rounding down so a share under a line never reads as reaching it', () => {
    expect(shareText(sh(412, 452))).toBe('91% (412/452)');
    expect(shareText(sh(0, 0))).toBe('– (0/0)');
    expect(sharePercent({ count: 849, of: 1000, share: 0.849 })).toBe('84%');
    expect(sharePercent(sh(1, 1))).toBe('100%');
    expect(sharePercent({ count: 29, of: 100, share: 0.29 })).toBe('29%');
  });
  it('flags shares below 85% and, more strongly, below 70%', () => {
    expect(shareTone(sh(85, 100))).toBe('ok');
    expect(shareTone({ count: 849, of: 1000, share: 0.849 })).toBe('low');
    expect(shareTone(sh(70, 100))).toBe('low');
    expect(shareTone(sh(69, 100))).toBe('bad');
    expect(shareTone(sh(0, 0))).toBe('none');
  });
});

describe('completeness: the table', () => {
  it('groups rows per unit in the server order, one per month, the totals last', () => {
    const g = completenessGroups(report);
    expect(g.map((x) => x.unit?.code ?? 'total')).toEqual(['T01', 'T02', 'total']);
    expect(g[0].rows.map((r) => [r.month, r.row?.call_reports.count])).toEqual([
      ['2026-11', 412],
      ['2026-12', 5],
    ]);
    expect(g[1].rows.map((r) => [r.month, r.row?.call_reports.count ?? null])).toEqual([
      ['2026-11', null],
      ['2026-12', 3],
    ]);
    expect(g[2].rows.map((r) => r.row?.call_reports.count)).toEqual([10, 8]);
  });
  it('writes the CSV with count, of and share per measure', () => {
    const csv = completenessCsv({
      ...report,
      rows: [
        ...report.rows,
        { ...report.rows[1], unit: { id: 'x', code: 'T9', name: 'Quincy, "South"' } },
      ],
    });
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'level,unit_code,unit_name,month,call_reports_count,call_reports_of,call_reports_share,segmentation_count,segmentation_of,segmentation_share,signatures_count,signatures_of,signatures_share',
    );
    expect(lines[1]).toBe('territory,T01,Name T01,2026-11,412,452,0.9115,79,100,0.79,4,4,1');
    expect(lines).toContain('total,,All (your scope),2026-11,10,12,0.8333,5,5,1,0,0,');
    expect(lines).toContain(
      'territory,T9,"Quincy, ""South""",2026-11,412,452,0.9115,79,100,0.79,4,4,1',
    );
    expect(lines).toHaveLength(1 + 2 + 1 + 2 + 1);
  });
  it('is a tab for managers, ops, admin, compliance and marketing, not reps', () => {
    for (const r of ['manager', 'ops', 'admin', 'compliance', 'marketing'] as const) {
      expect(canSeeCompleteness(meOf(r))).toBe(true);
      expect(navItems(meOf(r)).some((n) => n.key === 'completeness')).toBe(true);
    }
    expect(canSeeCompleteness(meOf('rep'))).toBe(false);
    expect(navItems(meOf('rep')).some((n) => n.key === 'completeness')).toBe(false);
  });
});
