// Data quality screen helpers (match evidence as agreement, percentages and bits, the pair side by
// side, the default survivor, the thresholds form's checks) and the API calls the screens make.
import { describe, expect, it } from 'vitest';
import { meOf } from './grants';
import { createApi } from '../src/api/client';
import type { FieldEvidence, PairSide } from '../src/api/types';
import {
  agreement,
  canSteward,
  checkThresholds,
  defaultSurvivor,
  formatPhone,
  movedText,
  pairRows,
  percent,
  pickStatus,
  signedBits,
  stewardshipHref,
} from '../src/lib/stewardship';
import { navItems } from '../src/lib/nav';
import { parseHash } from '../src/lib/router';

const side = (over: Partial<PairSide> = {}): PairSide => ({
  id: 'a',
  display_name: 'Jennifer Campbell, MD',
  last_name: 'Campbell',
  first_name: 'Jennifer',
  npi: '1028553950',
  specialty_code: '207Q00000X',
  specialty_name: 'Family Medicine',
  street: '6030 Park Ave',
  city: 'Boston',
  state: 'MA',
  zip: '02116',
  phone: '2070000268',
  affiliations: 1,
  master_status: 'verified',
  territory: { id: 't1', code: 'T01', name: 'Boston 1' },
  ...over,
});

describe('stewardship: evidence levels read as agreement', () => {
  it('marks the first level of each field as agreeing, "different" as disagreeing, the rest as partial', () => {
    for (const l of ['exact', 'same', 'same_zip', 'shared']) expect(agreement(l)).toBe('agrees');
    for (const l of ['similar', 'nickname', 'initial', 'same_city'])
      expect(agreement(l)).toBe('partly');
    expect(agreement('different')).toBe('disagrees');
    expect(agreement('missing')).toBe('missing');
  });
  it('writes probabilities with the digits that tell pairs apart, and weights with their sign', () => {
    expect(percent(1)).toBe('100%');
    expect(percent(0.9996)).toBe('99.96%');
    expect(percent(0.999999)).toBe('>99.99%');
    expect(percent(0.873)).toBe('87.3%');
    expect(percent(0.004)).toBe('0.40%');
    expect(percent(0.0000001)).toBe('<0.01%');
    expect(percent(0)).toBe('0%');
    expect(percent(null)).toBe('–');
    expect(signedBits(5.7963)).toBe('+5.8');
    expect(signedBits(-5.7)).toBe('−5.7');
    expect(signedBits(0.01)).toBe('0');
  });
});

describe('stewardship: a pair side by side', () => {
  const fields: FieldEvidence[] = [
    { field: 'last_name', level: 'exact', weight: 5.8 },
    { field: 'first_name', level: 'nickname', weight: 4.3 },
    { field: 'specialty', level: 'same', weight: 3.7 },
    { field: 'street', level: 'different', weight: -5.7 },
    { field: 'locality', level: 'same_zip', weight: 4.9 },
    { field: 'phone', level: 'same', weight: 13.2 },
    { field: 'affiliation', level: 'missing', weight: 0 },
  ];
  it('gives each weighed field its evidence and agreement, last and first name on their own rows', () => {
    const rows = pairRows(
      side(),
      side({
        id: 'b',
        display_name: 'Jen Campbell, MD',
        first_name: 'Jen',
        street: '1 Elm St',
        affiliations: 0,
      }),
      fields,
    );
    expect(rows.map((r) => [r.key, r.agreement])).toEqual([
      ['last_name', 'agrees'],
      ['first_name', 'partly'],
      ['specialty', 'agrees'],
      ['street', 'disagrees'],
      ['locality', 'agrees'],
      ['phone', 'agrees'],
      ['affiliation', 'missing'],
      ['npi', 'info'],
      ['territory', 'info'],
      ['master_status', 'info'],
    ]);
    expect(rows[0]).toMatchObject({ span: 1, values: ['Campbell', 'Campbell'] });
    expect(rows[1]).toMatchObject({ span: 1, values: ['Jennifer', 'Jen'] });
    expect(rows[3].values).toEqual(['6030 Park Ave', '1 Elm St']);
    expect(rows[3].evidence?.weight).toBe(-5.7);
    expect(rows[4].values).toEqual(['Boston, MA 02116', 'Boston, MA 02116']);
    expect(rows[5].values).toEqual(['(207) 000-0268', '(207) 000-0268']);
    expect(rows[6].values).toEqual(['1 affiliation', '0 affiliations']);
  });
  it('marks the NPI row as agreeing on an NPI match, and a field the score lacks as not weighed', () => {
    const rows = pairRows(side(), side({ id: 'b' }), fields.slice(0, 2), true);
    expect(rows.find((r) => r.key === 'npi')?.agreement).toBe('agrees');
    expect(rows.find((r) => r.key === 'phone')).toMatchObject({
      agreement: 'info',
      evidence: null,
    });
  });
  it('keeps the verified record by default, then the one with more affiliations, else a', () => {
    expect(
      defaultSurvivor(
        side({ master_status: 'proposed', affiliations: 5 }),
        side({ affiliations: 0 }),
      ),
    ).toBe('b');
    expect(defaultSurvivor(side({ affiliations: 1 }), side({ affiliations: 2 }))).toBe('b');
    expect(defaultSurvivor(side({ affiliations: 2 }), side({ affiliations: 2 }))).toBe('a');
    expect(
      defaultSurvivor(
        side({ affiliations: 2 }),
        side({ master_status: 'proposed', affiliations: 9 }),
      ),
    ).toBe('a');
  });
  it('says what a merge moved', () => {
    expect(
      movedText([
        { what: 'calls', rows: 12 },
        { what: 'segments', rows: 0 },
        { what: 'affiliations', rows: 1 },
      ]),
    ).toBe('12 calls, 1 affiliation');
    expect(movedText([{ what: 'calls', rows: 0 }])).toBe('nothing');
    expect(
      movedText([
        { what: 'calls', rows: 1 },
        { what: 'blacklist entry', rows: 2 },
      ]),
    ).toBe('1 call, 2 blacklist entry');
    expect(formatPhone('617-555-0100')).toBe('(617) 555-0100');
    expect(formatPhone('12345')).toBe('12345');
    expect(formatPhone(null)).toBe('');
  });
});

describe('stewardship: the thresholds form', () => {
  it('accepts probabilities with review not above link', () => {
    expect(checkThresholds('0.99', '0.5')).toEqual({
      ok: true,
      value: { link: 0.99, review: 0.5 },
    });
    expect(checkThresholds(' 1 ', '1')).toEqual({ ok: true, value: { link: 1, review: 1 } });
    expect(checkThresholds('0', '0')).toEqual({ ok: true, value: { link: 0, review: 0 } });
  });
  it('refuses review above link, values outside 0–1 and non-numbers, per field', () => {
    expect(checkThresholds('0.99', '0.995')).toEqual({
      ok: false,
      errors: { review: 'Must not be above the link threshold' },
    });
    const r = checkThresholds('1.5', 'abc');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.link).toMatch(/between 0 and 1/);
      expect(r.errors.review).toMatch(/number/);
    }
    const empty = checkThresholds('', '-0.1');
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(Object.keys(empty.errors).sort()).toEqual(['link', 'review']);
  });
});

describe('stewardship: who, where', () => {
  it('is for ops and admin, with its own routes and nav tab', () => {
    expect(canSteward(meOf('ops'))).toBe(true);
    expect(canSteward(meOf('admin'))).toBe(true);
    for (const r of ['rep', 'manager', 'compliance', 'marketing'] as const) {
      expect(canSteward(meOf(r))).toBe(false);
      expect(navItems(meOf(r)).some((n) => n.key === 'stewardship')).toBe(false);
    }
    expect(navItems(meOf('ops')).find((n) => n.key === 'stewardship')?.href).toBe('#/stewardship');
    expect(stewardshipHref('duplicates', { status: 'merged', x: null })).toBe(
      '#/stewardship/duplicates?status=merged',
    );
    expect(parseHash('#/stewardship/duplicates?status=merged')).toEqual({
      name: 'stewardship',
      section: 'duplicates',
      query: 'status=merged',
    });
    expect(parseHash('#/stewardship')).toEqual({ name: 'stewardship', section: '', query: '' });
    expect(parseHash('#/completeness?level=district')).toEqual({
      name: 'completeness',
      query: 'level=district',
    });
    expect(pickStatus('merged', ['open', 'merged'] as const)).toBe('merged');
    expect(pickStatus('bogus', ['open', 'merged'] as const)).toBe('open');
    expect(pickStatus(null, ['open', 'merged'] as const)).toBe('open');
  });
});

describe('stewardship: API calls', () => {
  it('calls the stewardship endpoints with the bodies the server expects', async () => {
    const seen: Request[] = [];
    const a = createApi({
      baseUrl: 'http://crm.test',
      getToken: () => 'tok',
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        const req = input instanceof Request ? input : new Request(input, init);
        seen.push(req);
        const status = req.url.includes('/dismiss') ? 204 : 200;
        return new Response(status === 204 ? null : '[]', {
          status,
          headers: { 'content-type': 'application/json' },
        });
      }) as typeof fetch,
    });
    await a.dataRequests('pending');
    await a.approveRequest('r1', { reason: null, merge_into: 'h2' });
    await a.rejectRequest('r1', 'not a prescriber');
    await a.duplicates('dismissed');
    await a.scanDuplicates();
    await a.dismissDuplicate('p1', 'father and son');
    await a.merges();
    await a.merge({ survivor_id: 'h1', merged_id: 'h2', pair_id: 'p1', reason: null });
    await a.undoMerge('m1');
    await a.matchingModel();
    await a.putThresholds({ link: 0.98, review: 0.6 });
    await a.estimateMatching();
    await a.completeness('district', 12);
    expect(
      seen.map((r) => `${r.method} ${new URL(r.url).pathname}${new URL(r.url).search}`),
    ).toEqual([
      'GET /api/v1/data-requests?status=pending',
      'POST /api/v1/data-requests/r1/approve',
      'POST /api/v1/data-requests/r1/reject',
      'GET /api/v1/duplicates?status=dismissed',
      'POST /api/v1/duplicates/scan',
      'POST /api/v1/duplicates/p1/dismiss',
      'GET /api/v1/merges',
      'POST /api/v1/merges',
      'POST /api/v1/merges/m1/undo',
      'GET /api/v1/matching',
      'PUT /api/v1/matching/thresholds',
      'POST /api/v1/matching/estimate',
      'GET /api/v1/reports/completeness?level=district&months=12',
    ]);
    expect(await seen[1].clone().json()).toEqual({ reason: null, merge_into: 'h2' });
    expect(await seen[2].clone().json()).toEqual({ reason: 'not a prescriber' });
    expect(await seen[5].clone().json()).toEqual({ reason: 'father and son' });
    expect(await seen[7].clone().json()).toEqual({
      survivor_id: 'h1',
      merged_id: 'h2',
      pair_id: 'p1',
      reason: null,
    });
    expect(await seen[10].clone().json()).toEqual({ link: 0.98, review: 0.6 });
  });
});
