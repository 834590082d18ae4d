import { describe, expect, it } from 'vitest';
import { meOf } from './grants';
import { segmentErrors } from '../src/screens/targeting/SegmentEdit';
import { createApi } from '../src/api/client';
import { ApiError } from '../src/api/problem';
import type { RowError } from '../src/api/types';
import {
  canEditTargeting,
  cellErrors,
  cellKey,
  columnsHelp,
  DEFAULT_IMPORT_KIND,
  fileWarning,
  gridDirty,
  gridRows,
  gridValues,
  IMPORT_KINDS,
  inForce,
  isImportKind,
  maxCalls,
  parseCalls,
  rejectedRows,
  reportSummary,
  segmentsHelp,
  sortVersions,
} from '../src/lib/targeting';

describe('targeting: calls per cycle input', () => {
  it('accepts whole numbers 0–31 a month and 0–92 a quarter', () => {
    expect(parseCalls('0', 'month')).toEqual({ ok: true, value: 0 });
    expect(parseCalls(' 4 ', 'month')).toEqual({ ok: true, value: 4 });
    expect(parseCalls('31', 'month')).toEqual({ ok: true, value: 31 });
    expect(parseCalls('92', 'quarter')).toEqual({ ok: true, value: 92 });
    expect([maxCalls('month'), maxCalls('quarter')]).toEqual([31, 92]);
  });
  it('rejects blanks, fractions, negatives and more than the cycle allows', () => {
    for (const s of ['', '  ', '2.5', '-1', 'abc', '1e1'])
      expect(parseCalls(s, 'month').ok).toBe(false);
    expect(parseCalls('32', 'month')).toEqual({ ok: false, error: 'At most 31 calls per month' });
    expect(parseCalls('32', 'quarter')).toEqual({ ok: true, value: 32 });
    expect(parseCalls('93', 'quarter')).toEqual({
      ok: false,
      error: 'At most 92 calls per quarter',
    });
    expect(parseCalls('', 'month')).toEqual({
      ok: false,
      error: 'Enter a number of calls per month',
    });
  });
});

describe('targeting: the frequency grid', () => {
  const products = ['p1', 'p2'];
  const table = [
    { product_id: 'p1', tier: 'A' as const, calls: 4 },
    { product_id: 'p1', tier: 'B' as const, calls: 2 },
    { product_id: 'p2', tier: 'A' as const, calls: 3 },
  ];
  it('shows every product × tier, 0 where the table has no row', () => {
    expect(gridValues(products, table)).toEqual({
      'p1:A': '4',
      'p1:B': '2',
      'p1:C': '0',
      'p2:A': '3',
      'p2:B': '0',
      'p2:C': '0',
    });
    expect(gridDirty(products, gridValues(products, table), table)).toBe(false);
    expect(gridDirty(products, { ...gridValues(products, table), 'p2:C': '1' }, table)).toBe(true);
  });
  it('sends products in order, tiers A, B, C, or says which cells fail the check', () => {
    const v = { ...gridValues(products, table), [cellKey('p1', 'A')]: '6' };
    const ok = gridRows(products, v, 'month');
    expect(ok.errors).toEqual({});
    expect(ok.rows.map((r) => `${r.product_id}:${r.tier}=${r.calls}`)).toEqual([
      'p1:A=6',
      'p1:B=2',
      'p1:C=0',
      'p2:A=3',
      'p2:B=0',
      'p2:C=0',
    ]);
    const bad = gridRows(products, { ...v, 'p2:B': '40', 'p1:C': '' }, 'month');
    expect(bad.errors).toEqual({
      'p2:B': 'At most 31 calls per month',
      'p1:C': 'Enter a number of calls per month',
    });
    expect(gridRows(products, { ...v, 'p2:B': '40' }, 'quarter').errors).toEqual({});
  });
  it("puts the server's field errors on the cell of the row sent at that index", () => {
    const sent = gridRows(products, gridValues(products, table), 'month').rows;
    const { cells, other } = cellErrors(
      {
        'frequencies[3].calls': 'calls per month must be between 0 and 31',
        'frequencies[4].product_id': 'no such product',
        cycle: 'x',
      },
      sent,
    );
    expect(cells).toEqual({
      'p2:A': 'calls per month must be between 0 and 31',
      'p2:B': 'no such product',
    });
    expect(other).toEqual({ cycle: 'x' });
    expect(cellErrors({ '[0].calls': 'too many' }, sent).cells).toEqual({ 'p1:A': 'too many' });
  });
  it('orders versions newest first and finds the one in force; ops and admin edit', () => {
    const v = (number: number, state: 'draft' | 'in_force' | 'superseded') => ({ number, state });
    const vs = sortVersions([v(1, 'superseded'), v(3, 'draft'), v(2, 'in_force')]);
    expect(vs.map((x) => x.number)).toEqual([3, 2, 1]);
    expect(inForce(vs)?.number).toBe(2);
    expect(inForce([v(1, 'draft')])).toBeNull();
    expect(
      (['ops', 'admin', 'marketing', 'manager', 'rep'] as const).map((r) =>
        canEditTargeting(meOf(r)),
      ),
    ).toEqual([true, true, false, false, false]);
  });
});

describe('targeting: upload help', () => {
  it('lists the README columns per kind; segmentation goes into a version', () => {
    expect(IMPORT_KINDS).toEqual(['hcps', 'accounts', 'alignment', 'specialties']);
    expect(DEFAULT_IMPORT_KIND).toBe('hcps');
    expect(segmentsHelp().header).toBe('npi,product,tier,decile');
    expect(segmentsHelp().notes).toMatch(/8–10 A, 5–7 B, 1–4 C/);
    expect(columnsHelp('alignment').header).toBe('zip,territory_code,effective_from');
    expect(columnsHelp('specialties').header).toBe('code,name');
    expect(columnsHelp('accounts').header.split(',')).toHaveLength(11);
    const hcps = columnsHelp('hcps').header.split(',');
    expect(hcps).toHaveLength(19);
    expect(hcps[0]).toBe('npi');
    expect(hcps.at(-1)).toBe('do_not_call_reason');
    for (const k of IMPORT_KINDS)
      expect(columnsHelp(k).notes).toMatch(/^Header row required; columns in any order\./);
    expect(isImportKind('hcps')).toBe(true);
    expect(isImportKind('segments')).toBe(false);
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
    const errs: RowError[] = Array.from({ length: 250 }, (_, i) => ({
      line: i + 2,
      field: 'npi',
      message: 'unknown NPI',
    }));
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
        return new Response(JSON.stringify(report), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      }) as typeof fetch,
    });
    const csv = 'code,name\n207Q00000X,Family Medicine\n';
    expect(await a.uploadImport('specialties', new Blob([csv], { type: 'text/csv' }))).toEqual(
      report,
    );
    expect(seen[0].method).toBe('POST');
    expect(new URL(seen[0].url).pathname).toBe('/api/v1/imports/specialties');
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
          new Response(
            JSON.stringify({
              title: 'Forbidden',
              status,
              detail: 'only ops and admin change master data in bulk',
            }),
            {
              status,
              headers: { 'content-type': 'application/problem+json' },
            },
          )) as typeof fetch,
      });
    const err = await mk(403)
      .uploadImport('hcps', new Blob(['x']))
      .catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(403);
    expect(err.detail).toMatch(/only ops and admin/);
    expect(unauthorized).toBe(0);
    await mk(401)
      .uploadImport('hcps', new Blob(['x']))
      .catch(() => {});
    expect(unauthorized).toBe(1);
  });
  const recording = (status: number, body: unknown) => {
    const seen: Request[] = [];
    const a = createApi({
      baseUrl: 'http://crm.test',
      getToken: () => 'tok',
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        seen.push(input instanceof Request ? input : new Request(input, init));
        return new Response(JSON.stringify(body), {
          status,
          headers: {
            'content-type': status < 300 ? 'application/json' : 'application/problem+json',
          },
        });
      }) as typeof fetch,
    });
    return { a, seen };
  };
  it("PUTs a draft's frequency table and maps field errors", async () => {
    const { a, seen } = recording(422, {
      status: 422,
      title: 'Invalid',
      errors: [
        { field: 'frequencies[0].calls', message: 'calls per month must be between 0 and 31' },
      ],
    });
    const rows = [{ product_id: 'p1', tier: 'A' as const, calls: 40 }];
    const err = await a.putFrequencies('v1', rows).catch((e) => e);
    expect(seen[0].method).toBe('PUT');
    expect(new URL(seen[0].url).pathname).toBe('/api/v1/targeting/versions/v1/frequencies');
    expect(await seen[0].clone().json()).toEqual(rows);
    expect(err).toBeInstanceOf(ApiError);
    expect(cellErrors(err.fieldErrors, rows).cells).toEqual({
      'p1:A': 'calls per month must be between 0 and 31',
    });
  });
  it('creates, publishes and uploads segments into a version', async () => {
    const { a, seen } = recording(200, report);
    await a.createTargetingVersion({ name: 'Q1', cycle: 'quarter', note: null });
    await a.publishTargetingVersion('v 1', '2026-11-25');
    await a.uploadVersionSegments(
      'v1',
      new Blob(['npi,product,tier,decile\n'], { type: 'text/csv' }),
    );
    await a.versionSegments('v1', 50, 25);
    expect(
      seen.map((r) => `${r.method} ${new URL(r.url).pathname}${new URL(r.url).search}`),
    ).toEqual([
      'POST /api/v1/targeting/versions',
      'POST /api/v1/targeting/versions/v%201/publish',
      'POST /api/v1/targeting/versions/v1/segments',
      'GET /api/v1/targeting/versions/v1/segments?offset=50&limit=25',
    ]);
    expect(await seen[0].clone().json()).toEqual({ name: 'Q1', cycle: 'quarter', note: null });
    expect(await seen[1].clone().json()).toEqual({ effective_from: '2026-11-25' });
    expect(seen[2].headers.get('content-type')).toBe('text/csv');
  });
});

describe('setting one segment on screen', () => {
  it('checks the NPI and the decile before sending', () => {
    expect(segmentErrors('123', '0')).toEqual({
      npi: 'An NPI has 10 digits',
      decile: 'A decile between 1 and 10',
    });
    expect(segmentErrors(' 1234567893 ', '10')).toEqual({});
    expect(segmentErrors('1234567893', '7.5')).toHaveProperty('decile');
  });
});
