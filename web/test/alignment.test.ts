// The alignment by date: who reads it, the question kept in the URL, how rows and scheduled
// changes are worded, and the API calls the screen makes.
import { describe, expect, it } from 'vitest';
import { meOf } from './grants';
import { createApi } from '../src/api/client';
import {
  alignmentHref,
  asOfErrors,
  canReadAlignment,
  keyLabel,
  moveLabel,
  parseAsOf,
  periodLabel,
} from '../src/lib/alignment';

const T = (code: string) => ({ id: `id-${code}`, code, name: `Territory ${code}` });

describe('alignment by date: who and the question', () => {
  it('is read by those the server grants it to', () => {
    expect(canReadAlignment(meOf('ops'))).toBe(true);
    expect(canReadAlignment(meOf('admin'))).toBe(true);
    expect(canReadAlignment(meOf('rep'))).toBe(true);
    expect(canReadAlignment(meOf('manager'))).toBe(true);
    expect(canReadAlignment(meOf('marketing'))).toBe(false);
    expect(canReadAlignment(meOf('compliance'))).toBe(false);
  });
  it('keeps the question in the URL, the day defaulting to today', () => {
    expect(parseAsOf('', '2027-01-15')).toEqual({
      on: '2027-01-15',
      territory: '',
      zip: '',
      kind: '',
    });
    const q = parseAsOf('on=2027-06-30&zip=100&kind=zip&territory=t1&x=1', '2027-01-15');
    expect(q).toEqual({ on: '2027-06-30', territory: 't1', zip: '100', kind: 'zip' });
    expect(parseAsOf('kind=region', '2027-01-15').kind).toBe('');
    expect(alignmentHref(q)).toBe('#/alignment?kind=zip&on=2027-06-30&territory=t1&zip=100');
    expect(alignmentHref()).toBe('#/alignment');
    expect(asOfErrors({ ...q, on: '2027-02-30' })).toEqual({ on: 'Enter a date (YYYY-MM-DD)' });
    expect(asOfErrors(q)).toEqual({});
  });
  it('words rows and moves', () => {
    expect(keyLabel({ kind: 'zip', key: '10001', account: null })).toBe('10001');
    const account = { id: 'a1', name: "St. Mary's", external_id: 'H-001', zip: '10001' };
    expect(keyLabel({ kind: 'account', key: 'a1', account })).toBe("St. Mary's (H-001)");
    expect(periodLabel({ since: '2027-01-16', until: '2027-04-01' })).toBe(
      '2027-01-16 to 2027-04-01',
    );
    expect(periodLabel({ since: '2027-04-01', until: null })).toBe('from 2027-04-01');
    expect(moveLabel({ from_territory: T('T04'), to_territory: T('T02') })).toBe('T04 → T02');
    expect(moveLabel({ from_territory: null, to_territory: T('T02') })).toBe('— → T02');
  });
});

describe('alignment by date: API calls', () => {
  it('asks for the day with the filters set, and pages by the alignment row', async () => {
    const seen: string[] = [];
    const a = createApi({
      baseUrl: 'http://crm.test',
      getToken: () => 'tok',
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        const req = input instanceof Request ? input : new Request(input, init);
        seen.push(req.url);
        const body = req.url.includes('/scheduled')
          ? { after: '2027-01-15', items: [{ alignment_id: 's1' }], next_cursor: null }
          : { on: '2027-06-30', items: [{ alignment_id: 'r1' }], next_cursor: 'c2' };
        return new Response(JSON.stringify(body), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      }) as typeof fetch,
    });
    const page = await a.alignmentAsOf({ on: '2027-06-30', zip: ' 100 ', kind: '' }, null);
    expect(page.items[0].id).toBe('r1');
    expect(page.next_cursor).toBe('c2');
    await a.alignmentAsOf({ on: '2027-06-30', territory: 't1', kind: 'account' }, 'c2', 10);
    const changes = await a.scheduledChanges(null);
    expect(changes.items[0].id).toBe('s1');
    expect(seen).toEqual([
      'http://crm.test/api/v1/alignment?on=2027-06-30&zip=100&limit=50',
      'http://crm.test/api/v1/alignment?on=2027-06-30&territory=t1&kind=account&cursor=c2&limit=10',
      'http://crm.test/api/v1/alignment/scheduled?limit=50',
    ]);
  });
});
