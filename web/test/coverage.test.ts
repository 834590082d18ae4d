import { describe, expect, it } from 'vitest';
import type { TierFrequency } from '../src/api/types';
import {
  barWidth,
  cycleRange,
  cycleElapsed,
  daysLeftText,
  isMonthKey,
  monthKey,
  monthLabel,
  moreGapsText,
  percent,
  recentMonths,
  tierASignal,
  towardText,
} from '../src/lib/coverage';

const tier = (t: Partial<TierFrequency> & Pick<TierFrequency, 'tier'>): TierFrequency => ({
  hcps: 10,
  target_calls: 30,
  calls: 12,
  calls_toward_target: 12,
  adherence: 0.4,
  reached: 8,
  coverage: 0.8,
  ...t,
});

describe('coverage: months', () => {
  it('formats and validates month keys', () => {
    expect(monthKey(new Date(2026, 0, 31))).toBe('2026-01');
    expect(monthKey(new Date(2026, 10, 1))).toBe('2026-11');
    expect(isMonthKey('2026-11')).toBe(true);
    expect(isMonthKey('2026-13')).toBe(false);
    expect(isMonthKey('2026-1')).toBe(false);
    expect(isMonthKey(null)).toBe(false);
    expect(monthLabel('2026-11')).toBe('November 2026');
    expect(monthLabel('2026-01')).toBe('January 2026');
    expect(monthLabel('junk')).toBe('junk');
  });
  it('lists the current month and the previous ones, across a year boundary', () => {
    expect(recentMonths(new Date(2026, 1, 15), 4)).toEqual([
      '2026-02',
      '2026-01',
      '2025-12',
      '2025-11',
    ]);
    // The 31st: no month overflow (March 31 minus one month is February, not March 3).
    expect(recentMonths(new Date(2026, 2, 31), 2)).toEqual(['2026-03', '2026-02']);
    expect(recentMonths(new Date(2026, 10, 25))).toHaveLength(12);
  });
  it('shows the cycle as a date range (the API gives the exclusive end)', () => {
    expect(cycleRange('2026-11-01', '2026-12-01')).toBe('1–30 Nov 2026');
    expect(cycleRange('2026-12-01', '2027-01-01')).toBe('1–31 Dec 2026');
    expect(cycleRange('2028-02-01', '2028-03-01')).toBe('1–29 Feb 2028');
    expect(cycleRange('x', 'y')).toBe('x – y');
  });
  it('says how many days are left', () => {
    expect(daysLeftText(6)).toBe('6 days left');
    expect(daysLeftText(1)).toBe('1 day left');
    expect(daysLeftText(0)).toBe('cycle closed');
  });
});

describe('coverage: numbers', () => {
  it('shows percentages that never round to 0% or 100% unless exact', () => {
    expect(percent(0.4444)).toBe('44%');
    expect(percent(0.455)).toBe('46%');
    expect(percent(1)).toBe('100%');
    expect(percent(0.996)).toBe('99%');
    expect(percent(0)).toBe('0%');
    expect(percent(0.001)).toBe('1%');
    expect(percent(1.5)).toBe('100%');
    expect(percent(NaN)).toBe('–');
  });
  it('clamps bar widths to 0–100', () => {
    expect(barWidth(0.4444)).toBe(44.4);
    expect(barWidth(-1)).toBe(0);
    expect(barWidth(2)).toBe(100);
    expect(barWidth(Infinity)).toBe(0);
  });
  it('formats calls toward target', () => {
    expect(towardText(tier({ tier: 'A', calls_toward_target: 19, target_calls: 42 }))).toBe(
      '19 / 42',
    );
  });
  it('says "and N more" only when the report holds back gaps', () => {
    expect(moreGapsText(25, 54)).toBe('and 29 more');
    expect(moreGapsText(3, 3)).toBeNull();
    expect(moreGapsText(0, 0)).toBeNull();
  });
});

describe('coverage: tier A action signal', () => {
  const tiers = (a: Partial<TierFrequency>) => [
    tier({ tier: 'A', ...a }),
    tier({ tier: 'B', adherence: 0.1 }),
    tier({ tier: 'C', adherence: 0 }),
  ];
  it('flags tier A adherence below half the share of the cycle elapsed while days are left', () => {
    expect(
      tierASignal(tiers({ calls_toward_target: 12, target_calls: 30, adherence: 0.4 }), 9, 0.9),
    ).toBe('Tier A behind: 12 of 30 target calls, 9 days left (90% of the cycle gone)');
    expect(
      tierASignal(tiers({ calls_toward_target: 0, target_calls: 3, adherence: 0 }), 1, 29 / 30),
    ).toBe('Tier A behind: 0 of 3 target calls, 1 day left (97% of the cycle gone)');
  });
  it('stays quiet on pace, early in the cycle, after it, without tier A targets, or for other tiers', () => {
    expect(
      tierASignal(tiers({ calls_toward_target: 15, target_calls: 30, adherence: 0.5 }), 9, 1),
    ).toBeNull();
    expect(
      tierASignal(tiers({ adherence: 0 }), 27, 0.1 * 0),
      'day 1: nothing is behind',
    ).toBeNull();
    expect(tierASignal(tiers({ adherence: 0.04 }), 27, 0.1)).toBe(
      'Tier A behind: 12 of 30 target calls, 27 days left (10% of the cycle gone)',
    );
    expect(tierASignal(tiers({ adherence: 0.1 }), 27, 0.1), 'day 3 of 30 at 10%').toBeNull();
    expect(tierASignal(tiers({ adherence: 0.4 }), 0, 1)).toBeNull();
    expect(
      tierASignal(tiers({ hcps: 0, target_calls: 0, calls_toward_target: 0, adherence: 1 }), 9, 1),
    ).toBeNull();
    expect(tierASignal(tiers({ target_calls: 0, adherence: 0 }), 9, 1)).toBeNull();
    expect(tierASignal([tier({ tier: 'B', adherence: 0 })], 9, 1)).toBeNull();
  });
  it('measures the share of the cycle gone from its dates', () => {
    expect(cycleElapsed('2026-11-01', '2026-12-01', 27)).toBeCloseTo(0.1);
    expect(cycleElapsed('2026-11-01', '2026-12-01', 0)).toBe(1);
    expect(cycleElapsed('2026-10-01', '2027-01-01', 92)).toBe(0);
  });
});
