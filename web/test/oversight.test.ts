import { describe, expect, it } from 'vitest';
import { meOf } from './grants';
import type { Balance, MovementLine } from '../src/api/types';
import {
  computeExpected,
  csvUrl,
  daysBetween,
  deadlineText,
  defaultSection,
  discrepancyFormula,
  annualText,
  openingFormula,
  draftFromLimit,
  emptyLimitDraft,
  expectedFormula,
  filenameFromDisposition,
  formatCents,
  groupByKind,
  hasDiscrepancy,
  isIsoDay,
  limitFromDraft,
  limitRule,
  oversightHref,
  oversightSections,
  parseDollars,
  parseWhole,
  quarterOf,
  recentQuarters,
  recordHref,
  shortHash,
  signed,
} from '../src/lib/oversight';
import { parseHash } from '../src/lib/router';

describe('money', () => {
  it('formats cents as dollars with separators', () => {
    expect(formatCents(0)).toBe('$0.00');
    expect(formatCents(5)).toBe('$0.05');
    expect(formatCents(15000)).toBe('$150.00');
    expect(formatCents(123456789)).toBe('$1,234,567.89');
    expect(formatCents(-250)).toBe('-$2.50');
    expect(formatCents(NaN)).toBe('–');
  });
  it('parses dollars to whole cents without floating point error', () => {
    expect(parseDollars('150')).toEqual({ ok: true, value: 15000 });
    expect(parseDollars('149.99')).toEqual({ ok: true, value: 14999 });
    expect(parseDollars('0.1')).toEqual({ ok: true, value: 10 });
    expect(parseDollars(' $1,234.5 ')).toEqual({ ok: true, value: 123450 });
    expect(parseDollars('')).toEqual({ ok: false, error: 'is required' });
    expect(parseDollars('1.234').ok).toBe(false);
    expect(parseDollars('-3').ok).toBe(false);
    expect(parseDollars('abc').ok).toBe(false);
  });
  it('parses whole numbers within bounds', () => {
    expect(parseWhole('4')).toEqual({ ok: true, value: 4 });
    expect(parseWhole('0', 1)).toEqual({ ok: false, error: 'must be at least 1' });
    expect(parseWhole('2.5').ok).toBe(false);
    expect(parseWhole('').ok).toBe(false);
  });
});

describe('periods', () => {
  it('defaults to the calendar quarter of the day', () => {
    expect(quarterOf(new Date(2026, 10, 25))).toEqual({
      from: '2026-10-01',
      to: '2026-12-31',
      label: 'Q4 2026',
    });
    expect(quarterOf(new Date(2026, 0, 1))).toEqual({
      from: '2026-01-01',
      to: '2026-03-31',
      label: 'Q1 2026',
    });
    expect(quarterOf(new Date(2026, 4, 31))).toEqual({
      from: '2026-04-01',
      to: '2026-06-30',
      label: 'Q2 2026',
    });
    expect(quarterOf(new Date(2026, 1, 10), 1)).toEqual({
      from: '2025-10-01',
      to: '2025-12-31',
      label: 'Q4 2025',
    });
  });
  it('lists recent quarters newest first', () => {
    const qs = recentQuarters(new Date(2026, 7, 15), 5).map((q) => q.label);
    expect(qs).toEqual(['Q3 2026', 'Q2 2026', 'Q1 2026', 'Q4 2025', 'Q3 2025']);
  });
  it('validates days and counts the days between', () => {
    expect(isIsoDay('2026-02-28')).toBe(true);
    expect(isIsoDay('2026-02-30')).toBe(false);
    expect(isIsoDay('2026-2-3')).toBe(false);
    expect(isIsoDay(null)).toBe(false);
    expect(daysBetween('2026-03-01', '2026-03-31')).toBe(30);
    expect(daysBetween('2026-03-31', '2026-03-01')).toBe(-30);
  });
  it('says where a loss report deadline stands', () => {
    expect(deadlineText('2026-11-20', null, '2026-11-25')).toEqual({
      text: 'overdue by 5 days',
      late: true,
    });
    expect(deadlineText('2026-11-25', null, '2026-11-25')).toEqual({
      text: 'due today',
      late: false,
    });
    expect(deadlineText('2026-11-26', null, '2026-11-25')).toEqual({
      text: '1 day left',
      late: false,
    });
    expect(deadlineText('2026-11-20', '2026-11-19', '2026-11-25')).toEqual({
      text: 'done 2026-11-19',
      late: false,
    });
    expect(deadlineText('2026-11-20', '2026-11-22', '2026-11-25').text).toBe(
      'done 2026-11-22 (2 days late)',
    );
  });
});

describe('CSV downloads', () => {
  it('builds the export URL with format=csv and without empty params', () => {
    expect(
      csvUrl('http://h:8/', '/api/v1/samples/reconciliation', {
        rep_id: 'r1',
        from: '2026-10-01',
        to: '2026-12-31',
      }),
    ).toBe(
      'http://h:8/api/v1/samples/reconciliation?rep_id=r1&from=2026-10-01&to=2026-12-31&format=csv',
    );
    expect(
      csvUrl('http://h', '/api/v1/samples/records', { hcp_id: 'a b', lot_id: '', rep_id: null }),
    ).toBe('http://h/api/v1/samples/records?hcp_id=a+b&format=csv');
  });
  it('takes the file name from Content-Disposition', () => {
    expect(
      filenameFromDisposition(
        'attachment; filename="reconciliation-Ann_Lee-2026-10-01-2026-12-31.csv"',
        'x.csv',
      ),
    ).toBe('reconciliation-Ann_Lee-2026-10-01-2026-12-31.csv');
    expect(
      filenameFromDisposition("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.csv", 'x.csv'),
    ).toBe('résumé.csv');
    expect(filenameFromDisposition('attachment; filename=plain.csv', 'x.csv')).toBe('plain.csv');
    expect(filenameFromDisposition(null, 'x.csv')).toBe('x.csv');
    expect(filenameFromDisposition('attachment', 'x.csv')).toBe('x.csv');
  });
});

const balance = (b: Partial<Balance>): Balance => ({
  opening: 0,
  opening_source: 'book',
  opening_counted: null,
  moved_before_period: 0,
  received: 0,
  transferred_in: 0,
  disbursed: 0,
  transferred_out: 0,
  returned: 0,
  destroyed: 0,
  lost: 0,
  stolen: 0,
  expected: 0,
  expected_at_count: null,
  counted: null,
  not_counted: false,
  discrepancy: null,
  ...b,
});

describe('reconciliation figures', () => {
  const b = balance({
    opening: 5,
    received: 40,
    transferred_in: 2,
    disbursed: 12,
    transferred_out: 1,
    returned: 3,
    destroyed: 0,
    lost: 1,
    stolen: 2,
    expected: 28,
    expected_at_count: 28,
    counted: 27,
    discrepancy: -1,
  });
  it('writes out how expected and discrepancy are computed, with the numbers', () => {
    expect(computeExpected(b)).toBe(28);
    expect(expectedFormula(b)).toBe(
      '5 opening + 40 received + 2 transferred in − (12 disbursed + 1 transferred out + 3 returned + 0 destroyed) − (1 lost + 2 stolen) = 28 expected',
    );
    expect(discrepancyFormula(b)).toBe('27 counted − 28 expected at the count = −1');
    expect(discrepancyFormula(balance({ expected: 3 }))).toBe('no physical count in the period');
    expect(discrepancyFormula(balance({ not_counted: true }))).toBe(
      'held at the count but not counted: no discrepancy can be computed',
    );
    expect(openingFormula(b)).toBe(
      '5 opening: every movement before the period (no earlier count listed this lot)',
    );
    expect(
      openingFormula(
        balance({
          opening: 55,
          opening_source: 'count',
          opening_counted: 59,
          moved_before_period: -4,
        }),
      ),
    ).toBe(
      "59 counted at the opening count + -4 moved between that count and the period's start = 55 opening",
    );
  });
  it('says where a rep stands with the annual inventory', () => {
    expect(
      annualText({
        last_count_at: '2025-01-10T09:00:00.000000Z',
        due_on: '2026-01-10',
        status: 'overdue',
      }),
    ).toBe('last count 2025-01-10; OVERDUE since 2026-01-10');
    expect(annualText({ last_count_at: null, due_on: '2026-07-01', status: 'current' })).toBe(
      'never counted; next due 2026-07-01',
    );
    expect(annualText({ last_count_at: null, due_on: null, status: 'not_due' })).toBe(
      'never counted; no samples held yet, nothing to count',
    );
  });
  it('flags only a non-zero discrepancy', () => {
    expect(hasDiscrepancy(b)).toBe(true);
    expect(hasDiscrepancy(balance({ counted: 3, expected: 3, discrepancy: 0 }))).toBe(false);
    expect(hasDiscrepancy(balance({}))).toBe(false);
    expect([signed(2), signed(-1), signed(0)]).toEqual(['+2', '−1', '0']);
  });
  it('groups distributions by kind with unit totals', () => {
    const line = (kind: MovementLine['kind'], quantity: number): MovementLine => ({
      occurred_at: '2026-11-01T10:00:00Z',
      kind,
      product: 'Cardivex',
      strength: '10 mg',
      lot_number: 'L1',
      quantity,
      counterparty: 'x',
    });
    const g = groupByKind([
      line('return', 2),
      line('disbursement', 1),
      line('disbursement', 3),
      line('transfer_out', 4),
    ]);
    expect(g.map((x) => [x.kind, x.lines.length, x.units])).toEqual([
      ['disbursement', 2, 4],
      ['transfer_out', 1, 4],
      ['return', 1, 2],
    ]);
  });
});

describe('limit templates', () => {
  it('reads a template in words', () => {
    expect(
      limitRule({
        measure: 'quantity',
        max: 4,
        window: 'year',
        window_days: null,
        ends_after_days: null,
      }),
    ).toBe('at most 4 units per HCP per calendar year');
    expect(
      limitRule({
        measure: 'value',
        max: 15000,
        window: 'call',
        window_days: null,
        ends_after_days: null,
      }),
    ).toBe('at most $150.00 per HCP in one call');
    expect(
      limitRule({
        measure: 'quantity',
        max: 1,
        window: 'rolling',
        window_days: 30,
        ends_after_days: null,
      }),
    ).toBe('at most 1 unit per HCP in any 30 days');
    expect(
      limitRule({
        measure: 'quantity',
        max: 4,
        window: 'from_first',
        window_days: 365,
        ends_after_days: 730,
      }),
    ).toBe(
      'at most 4 units per HCP per 365 days counted from the first sample; none after 730 days from the first sample',
    );
  });
  it('turns the form into a template: dollars to cents, window days only where they apply', () => {
    const d = {
      ...emptyLimitDraft('p1'),
      name: ' Yearly ',
      measure: 'value' as const,
      max: '150.5',
      window: 'month' as const,
      window_days: '30',
      ends_after_days: '9',
    };
    const r = limitFromDraft(d, 'id1');
    expect(r).toEqual({
      ok: true,
      value: {
        id: 'id1',
        name: 'Yearly',
        product_id: 'p1',
        measure: 'value',
        max: 15050,
        window: 'month',
        window_days: null,
        ends_after_days: null,
        severity: 'error',
      },
    });
    const ff = limitFromDraft(
      {
        ...emptyLimitDraft('p1'),
        name: 'x',
        max: '4',
        window: 'from_first',
        window_days: '365',
        ends_after_days: '730',
      },
      'id2',
    );
    expect(ff.ok && ff.value).toMatchObject({ window_days: 365, ends_after_days: 730 });
  });
  it('gives field errors like the server', () => {
    const r = limitFromDraft({ ...emptyLimitDraft(''), window: 'rolling' }, 'id');
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual({
      name: 'is required',
      product_id: 'choose a product',
      max: 'is required',
      window_days: 'is required for a rolling or from-first window',
    });
    const e2 = limitFromDraft(
      {
        ...emptyLimitDraft('p'),
        name: 'n',
        max: '1',
        window: 'from_first',
        window_days: '0',
        ends_after_days: 'x',
      },
      'id',
    );
    expect(e2.errors).toEqual({
      window_days: 'must be at least 1',
      ends_after_days: 'enter a whole number',
    });
  });
  it('round-trips a stored template through the form', () => {
    const l = {
      id: 'i',
      name: 'n',
      product_id: 'p',
      measure: 'value' as const,
      max: 999,
      window: 'rolling' as const,
      window_days: 90,
      ends_after_days: null,
      severity: 'warning' as const,
    };
    const r = limitFromDraft(draftFromLimit(l), 'i');
    expect(r).toEqual({ ok: true, value: l });
  });
});

describe('oversight navigation', () => {
  it('gives sections by the permissions of each role', () => {
    expect(oversightSections(meOf('rep'))).toEqual([]);
    expect(oversightSections(meOf('marketing'))).toEqual([]);
    expect(oversightSections(meOf('manager'))).toEqual([
      'exceptions',
      'reconciliation',
      'losses',
      'records',
      'shipments',
    ]);
    expect(oversightSections(meOf('compliance'))).toEqual([
      'exceptions',
      'reconciliation',
      'losses',
      'records',
      'shipments',
      'policy',
      'screening',
    ]);
    expect(oversightSections(meOf('admin'))).toEqual([
      'exceptions',
      'reconciliation',
      'losses',
      'records',
      'shipments',
      'policy',
      'screening',
    ]);
    expect(oversightSections(meOf('ops'))).toEqual([
      'exceptions',
      'reconciliation',
      'losses',
      'records',
      'shipments',
      'policy',
    ]);
    expect(defaultSection(meOf('compliance'))).toBe('exceptions');
    expect(defaultSection(meOf('ops'))).toBe('shipments');
    expect(defaultSection(meOf('rep'))).toBe(null);
  });
  it('links sections and records, and parses them back', () => {
    expect(oversightHref('exceptions', { status: 'closed', x: null })).toBe(
      '#/oversight/exceptions?status=closed',
    );
    expect(recordHref({ hcp_id: 'h1', record_id: 'r1' })).toBe(
      '#/oversight/records?hcp=h1&record=r1',
    );
    expect(recordHref({ hcp_id: null, rep_id: 'p1' })).toBe('#/oversight/records?rep=p1');
    expect(parseHash('#/oversight/records?hcp=h1')).toEqual({
      name: 'oversight',
      section: 'records',
      query: 'hcp=h1',
    });
    expect(parseHash('#/oversight')).toEqual({ name: 'oversight', section: '', query: '' });
    expect(shortHash('0123456789abcdef0123456789abcdef')).toBe('01234567…abcdef');
  });
});
