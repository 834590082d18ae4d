import { describe, expect, it } from 'vitest';
import { createApi } from '../src/api/client';
import { ApiError } from '../src/api/problem';
import type { RowError } from '../src/api/types';
import {
  columnsHelp,
  DEFAULT_IMPORT_KIND,
  fileWarning,
  IMPORT_KINDS,
  isImportKind,
  parseCallsPerMonth,
  rejectedRows,
  reportSummary,
  sortTargets,
} from '../src/lib/targeting';

describe('targeting: calls per month input', () => {
  it('accepts whole numbers 0–31', () => {
    expect(parseCallsPerMonth('0')).toEqual({ ok: true, value: 0 });
    expect(parseCallsPerMonth(' 4 ')).toEqual({ ok: true, value: 4 });
    expect(parseCallsPerMonth('31')).toEqual({ ok: true, value: 31 });
  });
  it('rejects blanks, fractions, negatives and more than 31', () => {
    for (const s of ['', '  ', '2.5', '-1', 'abc', '1e1']) expect(parseCallsPerMonth(s).ok).toBe(false);
    expect(parseCallsPerMonth('32')).toEqual({ ok: false, error: 'At most 31 calls per month' });
    expect(parseCallsPerMonth('')).toEqual({ ok: false, error: 'Enter a number of calls per month' });
  });
  it('orders targets A, B, C', () => {
    const t = (tier: 'A' | 'B' | 'C') => ({ id: tier, tier, calls_per_month: 1 });
    expect(sortTargets([t('C'), t('A'), t('B')]).map((x) => x.tier)).toEqual(['A', 'B', 'C']);
  });
});

describe('targeting: upload help', () => {
  it('lists the README columns per kind, segments first and default', () => {
    expect(IMPORT_KINDS).toEqual(['segments', 'hcps', 'accounts', 'alignment', 'specialties']);
    expect(DEFAULT_IMPORT_KIND).toBe('segments');
    expect(columnsHelp('segments').header).toBe('npi,product,tier,decile,set_on');
    expect(columnsHelp('segments').notes).toMatch(/8–10 A, 5–7 B, 1–4 C/);
    expect(columnsHelp('alignment').header).toBe('zip,territory_code,effective_from');
    expect(columnsHelp('specialties').header).toBe('code,name');
    expect(columnsHelp('accounts').header.split(',')).toHaveLength(11);
    const hcps = columnsHelp('hcps').header.split(',');
    expect(hcps).toHaveLength(19);
    expect(hcps[0]).toBe('npi');
    expect(hcps.at(-1)).toBe('do_not_call_reason');
    for (const k of IMPORT_KINDS) expect(columnsHelp(k).notes).toMatch(/^Header row required; columns in any order\./);
    expect(isImportKind('segments')).toBe(true);
    expect(isImportKind('users')).toBe(false);
    expect(isImportKind(null)).toBe(false);
  });
  it('warns about files that are not CSV', () => {
    expect(fileWarning('segments.csv')).toBeNull();
    expect(fileWarning('SEGMENTS.CSV')).toBeNull();
    expect(fileWarning('noext')).toBeNull();
    expect(fileWarning('book.xlsx')).toMatch(/save it as CSV/);
    expect(fileWarning('a.pdf')).toBe('Expected a .csv file, not .pdf.');
  });
});

describe('targeting: import report', () => {
  it('summarises the counts', () => {
    expect(reportSummary({ rows: 12, created: 3, updated: 4, unchanged: 5, rejected: 0 })).toBe(
      '12 rows: 3 created, 4 updated, 5 unchanged, 0 rejected.',
    );
    expect(reportSummary({ rows: 1, created: 0, updated: 0, unchanged: 0, rejected: 1 })).toBe(
      '1 row: 0 created, 0 updated, 0 unchanged, 1 rejected.',
    );
  });
  it('shows the first 200 row errors and says how many more', () => {
    const errs: RowError[] = Array.from({ length: 250 }, (_, i) => ({ line: i + 2, field: 'npi', message: 'unknown NPI' }));
    const r = rejectedRows(errs);
    expect(r.rows).toHaveLength(200);
    expect(r.rows[0].line).toBe(2);
    expect(r.more).toBe('and 50 more');
    expect(rejectedRows(errs.slice(0, 200)).more).toBeNull();
    expect(rejectedRows([])).toEqual({ rows: [], more: null });
    expect(rejectedRows(errs, 10).more).toBe('and 240 more');
  });
});

describe('targeting: API calls', () => {
  const report = { rows: 2, created: 1, updated: 1, unchanged: 0, rejected: 0, errors: [] };
  it('uploads the file as a raw text/csv body with the bearer token', async () => {
    const seen: Request[] = [];
    const a = createApi({
      baseUrl: 'http://crm.test',
      getToken: () => 'tok',
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        seen.push(new Request(input, init));
        return new Response(JSON.stringify(report), { status: 200, headers: { 'content-type': 'application/json' } });
      }) as typeof fetch,
    });
    const csv = 'npi,product,tier,decile,set_on\n1234567893,Cardivex,A,10,\n';
    expect(await a.uploadImport('segments', new Blob([csv], { type: 'text/csv' }))).toEqual(report);
    expect(seen[0].method).toBe('POST');
    expect(new URL(seen[0].url).pathname).toBe('/api/v1/imports/segments');
    expect(seen[0].headers.get('content-type')).toBe('text/csv');
    expect(seen[0].headers.get('authorization')).toBe('Bearer tok');
    expect(await seen[0].text()).toBe(csv);
  });
  it('turns a problem answer into an ApiError and reports 401s', async () => {
    let unauthorized = 0;
    const mk = (status: number) =>
      createApi({
        baseUrl: 'http://crm.test',
        getToken: () => 'tok',
        onUnauthorized: () => unauthorized++,
        fetch: (async () =>
          new Response(JSON.stringify({ title: 'Forbidden', status, detail: 'only ops and admin change master data in bulk' }), {
            status,
            headers: { 'content-type': 'application/problem+json' },
          })) as typeof fetch,
      });
    const err = await mk(403).uploadImport('segments', new Blob(['x'])).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(403);
    expect(err.detail).toMatch(/only ops and admin/);
    expect(unauthorized).toBe(0);
    await mk(401).uploadImport('segments', new Blob(['x'])).catch(() => {});
    expect(unauthorized).toBe(1);
  });
  it('PUTs a target and maps field errors', async () => {
    const seen: Request[] = [];
    const a = createApi({
      baseUrl: 'http://crm.test',
      getToken: () => 'tok',
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        const req = input instanceof Request ? input : new Request(input, init);
        seen.push(req);
        return new Response(
          JSON.stringify({ status: 422, title: 'Invalid', errors: [{ field: 'calls_per_month', message: 'at most 31 calls per month' }] }),
          { status: 422, headers: { 'content-type': 'application/problem+json' } },
        );
      }) as typeof fetch,
    });
    const err = await a.setTarget('A', 40).catch((e) => e);
    expect(seen[0].method).toBe('PUT');
    expect(new URL(seen[0].url).pathname).toBe('/api/v1/targets/A');
    expect(await seen[0].clone().json()).toEqual({ calls_per_month: 40 });
    expect(err.fieldErrors).toEqual({ calls_per_month: 'at most 31 calls per month' });
  });
});
