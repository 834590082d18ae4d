import { describe, expect, it } from 'vitest';
import { meOf } from './grants';
import {
  activeFilterCount,
  cleanQuery,
  HCP_FILTER_KEYS,
  parseFilters,
  toQueryString,
} from '../src/lib/query';
import { appendPage, emptyPaged, fetchAll, hasMore } from '../src/lib/paging';
import {
  canSeeCoverage,
  canSeeData,
  canSeeTargeting,
  homeHref,
  navItems,
  territorySummary,
} from '../src/lib/nav';
import { parseHash } from '../src/lib/router';
import { hcpName, sortCallWindows } from '../src/lib/format';
import type { CallWindow, Role } from '../src/api/types';

describe('query building', () => {
  it('cleanQuery drops blanks and trims', () => {
    expect(cleanQuery({ q: ' a ', b: '', c: undefined, d: null, e: 0, f: false, g: NaN })).toEqual({
      q: 'a',
      e: 0,
      f: false,
    });
  });
  it('toQueryString is stable and encoded', () => {
    expect(toQueryString({ tier: 'A', q: 'o brien & co', city: '' })).toBe(
      'q=o+brien+%26+co&tier=A',
    );
    expect(toQueryString({})).toBe('');
  });
  it('parseFilters keeps only known keys and round-trips', () => {
    const qs = toQueryString({ q: 'smith', tier: 'B', territory: 'x1', evil: '1' });
    expect(parseFilters(qs, HCP_FILTER_KEYS)).toEqual({ q: 'smith', tier: 'B', territory: 'x1' });
    expect(parseFilters('?status=retired&city=', HCP_FILTER_KEYS)).toEqual({ status: 'retired' });
  });
  it('activeFilterCount ignores search text and blanks', () => {
    expect(activeFilterCount({ q: 'x', tier: 'A', city: ' ', status: 'active' })).toBe(2);
  });
});

describe('cursor paging', () => {
  it('appends pages, de-duplicates by id, tracks the cursor', () => {
    let s = emptyPaged<{ id: string }>();
    expect(hasMore(s)).toBe(true);
    s = appendPage(s, { items: [{ id: '1' }, { id: '2' }], next_cursor: 'c1' });
    expect(hasMore(s)).toBe(true);
    s = appendPage(s, { items: [{ id: '2' }, { id: '3' }], next_cursor: null });
    expect(s.items.map((i) => i.id)).toEqual(['1', '2', '3']);
    expect(s.nextCursor).toBeNull();
    expect(hasMore(s)).toBe(false);
  });
  it('fetchAll follows next_cursor to the end', async () => {
    const pages: Record<string, { items: number[]; next_cursor: string | null }> = {
      start: { items: [1, 2], next_cursor: 'a' },
      a: { items: [3], next_cursor: 'b' },
      b: { items: [], next_cursor: null },
    };
    const seen: (string | null)[] = [];
    const all = await fetchAll(async (c) => {
      seen.push(c);
      return pages[c ?? 'start'];
    });
    expect(all).toEqual([1, 2, 3]);
    expect(seen).toEqual([null, 'a', 'b']);
  });
  it('fetchAll refuses a looping cursor', async () => {
    await expect(fetchAll(async () => ({ items: [1], next_cursor: 'same' }))).rejects.toThrow(
      /cursor repeated/,
    );
  });
});

describe("navigation by the server's permissions", () => {
  const keys = (r: Role) => navItems(meOf(r)).map((n) => n.key);
  it('gives data roles HCPs, Accounts and Coverage, reps Today (their home) instead of Coverage, admin also Users', () => {
    for (const r of ['manager', 'marketing', 'compliance'] as Role[]) {
      expect(canSeeData(meOf(r))).toBe(true);
      expect(canSeeCoverage(meOf(r))).toBe(true);
    }
    // Marketing reads targeting versions; managers review realignments; compliance oversees samples.
    expect(keys('marketing')).toEqual([
      'hcps',
      'accounts',
      'coverage',
      'targeting',
      'completeness',
    ]);
    expect(keys('manager')).toEqual([
      'hcps',
      'accounts',
      'coverage',
      'realignment',
      'oversight',
      'completeness',
    ]);
    expect(keys('compliance')).toEqual([
      'hcps',
      'accounts',
      'coverage',
      'oversight',
      'completeness',
    ]);
    expect(canSeeTargeting(meOf('ops'))).toBe(true);
    expect(canSeeTargeting(meOf('marketing'))).toBe(true);
    expect(canSeeTargeting(meOf('manager'))).toBe(false);
    expect(canSeeTargeting(meOf('rep'))).toBe(false);
    expect(keys('ops')).toEqual([
      'hcps',
      'accounts',
      'coverage',
      'targeting',
      'realignment',
      'oversight',
      'completeness',
      'stewardship',
    ]);
    expect(canSeeData(meOf('rep'))).toBe(true);
    expect(canSeeCoverage(meOf('rep'))).toBe(false);
    expect(keys('rep')).toEqual(['today', 'hcps', 'accounts', 'samples', 'realignment']);
    expect(keys('admin')).toEqual([
      'hcps',
      'accounts',
      'coverage',
      'targeting',
      'realignment',
      'oversight',
      'completeness',
      'stewardship',
      'users',
    ]);
    expect(homeHref(meOf('rep'))).toBe('#/today');
    expect(homeHref(meOf('manager'))).toBe('#/hcps');
  });
  it('summarises territories for the top bar', () => {
    const t = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ id: `${i}`, code: `T0${i}`, name: `Terr ${i}` }));
    expect(territorySummary(meOf('rep', t(1)))).toBe('Terr 0');
    expect(territorySummary(meOf('manager', t(4)))).toBe('Terr 0, Terr 1 +2');
    expect(territorySummary(meOf('ops', t(12)))).toBe('All territories (12)');
    expect(territorySummary(meOf('rep', []))).toBe('No territory');
  });
});

describe('hash routes', () => {
  it('parses screens, ids and queries', () => {
    expect(parseHash('')).toEqual({ name: 'home' });
    expect(parseHash('#/login')).toEqual({ name: 'login' });
    expect(parseHash('#/hcps?tier=A&q=x')).toEqual({ name: 'hcps', query: 'tier=A&q=x' });
    expect(parseHash('#/hcps/abc%2D1')).toEqual({ name: 'hcp', id: 'abc-1' });
    expect(parseHash('#/accounts')).toEqual({ name: 'accounts', query: '' });
    expect(parseHash('#/accounts/42')).toEqual({ name: 'account', id: '42' });
    expect(parseHash('#/users')).toEqual({ name: 'users' });
    expect(parseHash('#/coverage')).toEqual({ name: 'coverage', query: '' });
    expect(parseHash('#/coverage?cycle=2026-10&territory=t1')).toEqual({
      name: 'coverage',
      query: 'cycle=2026-10&territory=t1',
    });
    expect(parseHash('#/targeting')).toEqual({ name: 'targeting', id: null });
    expect(parseHash('#/targeting/v1')).toEqual({ name: 'targeting', id: 'v1' });
    expect(parseHash('#/targeting/v1/x')).toEqual({ name: 'notfound', path: '/targeting/v1/x' });
    expect(parseHash('#/realignment')).toEqual({ name: 'realignment', id: null });
    expect(parseHash('#/realignment/r1')).toEqual({ name: 'realignment', id: 'r1' });
    expect(parseHash('#/coverage/x')).toEqual({ name: 'notfound', path: '/coverage/x' });
    expect(parseHash('#/hcps/1/calls')).toEqual({ name: 'notfound', path: '/hcps/1/calls' });
  });
});

describe('formatting', () => {
  it('builds HCP names', () => {
    expect(
      hcpName({
        first_name: 'Ana',
        middle_name: 'M',
        last_name: 'Ruiz',
        suffix: 'Jr',
        credentials: 'MD',
      }),
    ).toBe('Ana M Ruiz Jr, MD');
    expect(hcpName({ first_name: 'Bo', last_name: 'Li', credentials: '' })).toBe('Bo Li');
  });
  it('sorts call windows by weekday then time', () => {
    const ws: CallWindow[] = [
      { day: 'fri', from: '09:00', to: '10:00' },
      { day: 'mon', from: '14:00', to: '15:00' },
      { day: 'mon', from: '08:00', to: '09:00' },
    ];
    expect(sortCallWindows(ws).map((w) => `${w.day} ${w.from}`)).toEqual([
      'mon 08:00',
      'mon 14:00',
      'fri 09:00',
    ]);
  });
});
