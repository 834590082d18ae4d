// Realignment screen helpers (the publication timing hint, line errors per row, which way a move
// goes) and the API calls the screen makes.
import { describe, expect, it } from 'vitest';
import { meOf } from './grants';
import { createApi } from '../src/api/client';
import {
  addDays,
  canRunRealignment,
  isQuarterStart,
  lineErrors,
  moveDirection,
  nextQuarterStart,
  territoryCode,
  timingIssues,
} from '../src/lib/realignment';

describe('realignment: the publication date', () => {
  it('suggests the first quarter start at least 30 days ahead', () => {
    expect(nextQuarterStart('2026-11-25')).toBe('2027-01-01');
    expect(nextQuarterStart('2026-12-15')).toBe('2027-04-01');
    expect(nextQuarterStart('2027-03-02')).toBe('2027-04-01');
    expect(nextQuarterStart('2027-03-03')).toBe('2027-07-01');
    expect(nextQuarterStart('2027-08-20')).toBe('2027-10-01');
  });
  it("says why a date needs an override, like the server's timing rule", () => {
    const today = '2026-11-25';
    expect(timingIssues(today, '2027-01-01')).toEqual([]);
    expect(timingIssues(today, '2026-12-01')).toHaveLength(2);
    expect(timingIssues(today, '2027-02-01')).toEqual([
      'is not the first day of a quarter (1 Jan, 1 Apr, 1 Jul, 1 Oct)',
    ]);
    expect(timingIssues('2026-12-15', '2027-01-01')).toEqual(['is less than 30 days from today']);
    expect(timingIssues(today, '2026-11-24')[0]).toMatch(/past/);
    expect(timingIssues(today, 'junk')).toEqual(['Enter a date']);
    expect(addDays('2026-12-30', 7)).toBe('2027-01-06');
    expect(isQuarterStart('2027-04-01')).toBe(true);
    expect(isQuarterStart('2027-05-01')).toBe(false);
  });
});

describe('realignment: lines and moves', () => {
  it('places field errors on their list, row and field', () => {
    expect(
      lineErrors({
        'zips[0].key': 'not a ZIP',
        'zips[0].territory_id': 'no such territory',
        'accounts[2].key': 'no such account',
        x: 'y',
      }),
    ).toEqual({
      zips: { 0: { key: 'not a ZIP', territory_id: 'no such territory' } },
      accounts: { 2: { key: 'no such account' } },
      other: { x: 'y' },
    });
  });
  it("tells moves out of the reader's territories from moves in; names territories by code", () => {
    expect(moveDirection({ from_territory: 't1' }, ['t1'])).toBe('out');
    expect(moveDirection({ from_territory: 't2' }, ['t1'])).toBe('in');
    expect(moveDirection({ from_territory: null }, ['t1'])).toBe('in');
    const ts = [{ id: 't1', code: 'T01', name: 'Boston' }];
    expect([territoryCode(ts, 't1'), territoryCode(ts, null), territoryCode(ts, 'zz')]).toEqual([
      'T01',
      '—',
      'zz',
    ]);
    expect(
      (['ops', 'admin', 'rep', 'manager'] as const).map((r) => canRunRealignment(meOf(r))),
    ).toEqual([true, true, false, false]);
  });
});

describe('realignment: API calls', () => {
  it('sends lines, removals, marks, resolutions and publications where the server takes them', async () => {
    const seen: Request[] = [];
    const a = createApi({
      baseUrl: 'http://crm.test',
      getToken: () => 'tok',
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        seen.push(input instanceof Request ? input : new Request(input, init));
        return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
      }) as typeof fetch,
    });
    await a.putRealignmentLines('r1', {
      zips: [{ key: '02110', territory_id: 't2' }],
      accounts: [],
    });
    await a.removeRealignmentLines('r1', { zips: ['02110'], accounts: [] });
    await a.markRealignment('r1', { hcp_id: 'h1', kind: 'key_relationship', note: 'ten years' });
    await a.resolveMark('r1', 'm1', 'accepted', 'stays');
    await a.publishRealignment('r1', { effective_from: '2027-01-01', override_reason: null });
    await a.openRealignmentReview('r1');
    await a.uploadRealignment('r1', new Blob(['zip,account_external_id,territory_code\n']));
    expect(seen.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      'PUT /api/v1/realignments/r1/lines',
      'DELETE /api/v1/realignments/r1/lines',
      'POST /api/v1/realignments/r1/marks',
      'POST /api/v1/realignments/r1/marks/m1/resolve',
      'POST /api/v1/realignments/r1/publish',
      'POST /api/v1/realignments/r1/review',
      'POST /api/v1/realignments/r1/upload',
    ]);
    expect(await seen[1].clone().json()).toEqual({ zips: ['02110'], accounts: [] });
    expect(await seen[3].clone().json()).toEqual({ resolution: 'accepted', note: 'stays' });
    expect(await seen[4].clone().json()).toEqual({
      effective_from: '2027-01-01',
      override_reason: null,
    });
    expect(seen[6].headers.get('content-type')).toBe('text/csv');
  });
});
