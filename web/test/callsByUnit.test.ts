import { describe, expect, it } from 'vitest';
import type { UnitCalls } from '../src/api/types';
import {
  childLevelName,
  defaultPeriod,
  nestUnits,
  periodFromQuery,
  periodPresets,
  presetOf,
  shareOf,
  shareText,
  shareTitle,
} from '../src/lib/callsByUnit';

const u = (id: string, calls: number, parent_id: string | null = null): UnitCalls => ({
  id,
  code: id.toUpperCase(),
  name: `Unit ${id}`,
  parent_id,
  calls,
});

describe('calls by unit: periods', () => {
  it('defaults to the year to date', () => {
    expect(defaultPeriod(new Date(2026, 4, 14))).toEqual({ from: '2026-01-01', to: '2026-05-14' });
    expect(defaultPeriod(new Date(2026, 0, 1))).toEqual({ from: '2026-01-01', to: '2026-01-01' });
  });

  it('offers this quarter (whole) and the last 12 months (ending today)', () => {
    const ps = periodPresets(new Date(2026, 4, 14));
    expect(ps.map((p) => [p.id, p.from, p.to])).toEqual([
      ['ytd', '2026-01-01', '2026-05-14'],
      ['quarter', '2026-04-01', '2026-06-30'],
      ['last12', '2025-05-15', '2026-05-14'],
    ]);
    expect(ps[1].label).toBe('This quarter (Q2 2026)');
    // Year end and leap days: 12 months back is the day after the same date a year ago.
    expect(periodPresets(new Date(2026, 11, 31))[2]).toMatchObject({
      from: '2026-01-01',
      to: '2026-12-31',
    });
    expect(periodPresets(new Date(2028, 1, 29))[2]).toMatchObject({
      from: '2027-03-01',
      to: '2028-02-29',
    });
  });

  it('names the preset a period is, or none', () => {
    const ps = periodPresets(new Date(2026, 4, 14));
    expect(presetOf(ps, { from: '2026-04-01', to: '2026-06-30' })).toBe('quarter');
    expect(presetOf(ps, { from: '2026-04-01', to: '2026-05-14' })).toBeNull();
  });

  it('reads the period from the URL only when both days are valid', () => {
    const now = new Date(2026, 4, 14);
    expect(periodFromQuery(new URLSearchParams('from=2025-07-01&to=2025-12-31'), now)).toEqual({
      from: '2025-07-01',
      to: '2025-12-31',
    });
    expect(periodFromQuery(new URLSearchParams('from=2025-02-30&to=2025-12-31'), now)).toEqual(
      defaultPeriod(now),
    );
    expect(periodFromQuery(new URLSearchParams('from=2025-07-01'), now)).toEqual(
      defaultPeriod(now),
    );
  });
});

describe('calls by unit: nesting', () => {
  it('lists each region, then its districts, each followed by its territories', () => {
    const rows = nestUnits({
      regions: [u('r1', 9), u('r2', 4)],
      districts: [u('d1', 6, 'r1'), u('d2', 3, 'r1'), u('d3', 4, 'r2')],
      territories: [u('t1', 4, 'd1'), u('t2', 2, 'd1'), u('t3', 3, 'd2'), u('t4', 4, 'd3')],
    });
    expect(rows.map((r) => `${'  '.repeat(r.depth)}${r.level}:${r.unit.id}`)).toEqual([
      'region:r1',
      '  district:d1',
      '    territory:t1',
      '    territory:t2',
      '  district:d2',
      '    territory:t3',
      'region:r2',
      '  district:d3',
      '    territory:t4',
    ]);
    expect(rows.map((r) => r.childCalls)).toEqual([9, 6, null, null, 3, null, 4, 4, null]);
  });

  it('keeps counts as the API gives them and sums the children apart (a realigned territory)', () => {
    // T2 moved from D1 to D2 in the period: D1 keeps the calls T2 made while it was there.
    const rows = nestUnits({
      regions: [u('r1', 10)],
      districts: [u('d1', 7, 'r1'), u('d2', 3, 'r1')],
      territories: [u('t1', 5, 'd1'), u('t2', 5, 'd2')],
    });
    const d1 = rows.find((r) => r.unit.id === 'd1')!;
    expect([d1.unit.calls, d1.childCalls]).toEqual([7, 5]);
    expect(rows.find((r) => r.unit.id === 'd2')!.childCalls).toBe(5);
  });

  it('shows units whose parent is not listed at the top level, each unit once', () => {
    const rows = nestUnits({
      regions: [],
      districts: [u('d1', 2, 'r-gone')],
      territories: [u('t1', 2, 'd1'), u('t9', 1, null)],
    });
    expect(rows.map((r) => [r.unit.id, r.depth])).toEqual([
      ['d1', 0],
      ['t1', 1],
      ['t9', 0],
    ]);
    expect(nestUnits({ regions: [], districts: [], territories: [] })).toEqual([]);
  });
});

describe('calls by unit: shares', () => {
  it('is the unit calls over all calls of the period, one decimal', () => {
    expect(shareOf(412, 1530)).toBeCloseTo(0.26928, 4);
    expect(shareText(412, 1530)).toBe('26.9%');
    expect(shareText(1, 4)).toBe('25.0%');
    expect(shareText(0, 50)).toBe('0.0%');
    expect(shareText(50, 50)).toBe('100.0%');
    expect(shareTitle(412, 1530)).toBe('412 of 1530 calls in the period');
    expect(shareTitle(1, 1)).toBe('1 of 1 call in the period');
  });

  it('never rounds a non-zero share to 0.0% or a partial one to 100.0%', () => {
    expect(shareText(1, 5000)).toBe('0.1%');
    expect(shareText(4999, 5000)).toBe('99.9%');
  });

  it('has no share without calls', () => {
    expect(Number.isNaN(shareOf(0, 0))).toBe(true);
    expect(shareText(0, 0)).toBe('–');
  });

  it('names the level below a parent', () => {
    expect(childLevelName('region')).toBe('districts');
    expect(childLevelName('district')).toBe('territories');
  });
});
