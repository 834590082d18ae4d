/** Exclusion screening: the report in words, the LEIE layout and the upload wrapper. */
import { describe, expect, it } from 'vitest';
import { createApi } from '../src/api/client';
import { ApiError } from '../src/api/problem';
import type { ScreeningReport } from '../src/api/types';
import {
  count,
  firstOf,
  hcpMatchLabel,
  LEIE_COLUMNS,
  screeningSummary,
} from '../src/lib/screening';

const base: ScreeningReport = {
  rows: 0,
  flagged: 0,
  already_flagged: 0,
  reinstated: 0,
  possible_matches: [],
  errors: [],
};
const match = (line: number, ids: string[]) => ({
  line,
  excluded_name: 'Jane Doe',
  state: 'IL',
  exclusion: 'HHS-OIG exclusion (LEIE) 1128a1 since 2019-03-20',
  hcp_ids: ids,
});
const texts = (r: ScreeningReport) =>
  Object.fromEntries(screeningSummary(r).map((l) => [l.key, l.text]));

describe('screening: report in words', () => {
  it('states each count in plain words, singular and plural', () => {
    const t = texts({
      ...base,
      rows: 12,
      flagged: 3,
      already_flagged: 1,
      reinstated: 2,
      possible_matches: [match(5, ['h1']), match(9, ['h2', 'h3'])],
    });
    expect(t.rows).toBe('12 entries read from the file.');
    expect(t.flagged).toBe('3 HCPs blacklisted by NPI match: no calls, no samples from now on.');
    expect(t.already_flagged).toBe(
      '1 HCP matched by NPI was already on the blacklist (left as it was).',
    );
    expect(t.reinstated).toBe('2 entries skipped: reinstated by OIG.');
    expect(t.possible_matches).toBe(
      "2 possible matches by name and state only, not blacklisted: confirm on the HCP's profile.",
    );
    expect(t.errors).toBeUndefined();

    const one = texts({
      ...base,
      rows: 1,
      flagged: 1,
      already_flagged: 2,
      possible_matches: [match(3, ['h1'])],
    });
    expect(one.rows).toBe('1 entry read from the file.');
    expect(one.flagged).toBe('1 HCP blacklisted by NPI match: no calls, no samples from now on.');
    expect(one.already_flagged).toBe(
      '2 HCPs matched by NPI were already on the blacklist (left as they were).',
    );
    expect(one.possible_matches).toMatch(/^1 possible match by name and state only/);
  });

  it('says when nothing matched, leaves out empty counts and flags unreadable rows', () => {
    const lines = screeningSummary({
      ...base,
      rows: 4,
      errors: [{ line: 3, field: '', message: 'bad quote' }],
    });
    expect(lines.map((l) => l.key)).toEqual(['rows', 'flagged', 'possible_matches', 'errors']);
    expect(lines.find((l) => l.key === 'flagged')).toEqual({
      key: 'flagged',
      text: '0 HCPs blacklisted by NPI match.',
      tone: 'info',
    });
    expect(lines.find((l) => l.key === 'possible_matches')?.text).toBe(
      'No possible matches by name and state.',
    );
    expect(lines.find((l) => l.key === 'errors')).toEqual({
      key: 'errors',
      text: '1 row could not be read.',
      tone: 'bad',
    });
  });

  it('tones: blacklisted and to-review lines stand out', () => {
    const tones = Object.fromEntries(
      screeningSummary({ ...base, flagged: 1, possible_matches: [match(2, ['h'])] }).map((l) => [
        l.key,
        l.tone,
      ]),
    );
    expect(tones).toEqual({ rows: 'info', flagged: 'flagged', possible_matches: 'review' });
  });

  it('count, firstOf and the candidate label', () => {
    expect(count(0, 'HCP')).toBe('0 HCPs');
    expect(count(1, 'entry', 'entries')).toBe('1 entry');
    expect(firstOf([1, 2, 3], 2)).toEqual({ shown: [1, 2], more: 'and 1 more' });
    expect(firstOf([1], 2)).toEqual({ shown: [1], more: null });
    const h = {
      first_name: 'Jane',
      middle_name: 'Q.',
      last_name: 'Doe',
      credentials: 'MD',
      npi: '1234567893',
      address: { city: 'Springfield', state: 'IL', line1: '', zip: '62701' },
    };
    expect(hcpMatchLabel(h)).toBe('Jane Q. Doe, MD · Springfield, IL · NPI 1234567893');
    expect(hcpMatchLabel({ ...h, middle_name: null, credentials: '' })).toBe(
      'Jane Doe · Springfield, IL · NPI 1234567893',
    );
  });

  it("lists OIG's UPDATED.csv columns in order", () => {
    expect(LEIE_COLUMNS.join(',')).toBe(
      'LASTNAME,FIRSTNAME,MIDNAME,BUSNAME,GENERAL,SPECIALTY,UPIN,NPI,DOB,ADDRESS,CITY,STATE,ZIP,EXCLTYPE,EXCLDATE,REINDATE,WAIVERDATE,WVRSTATE',
    );
  });
});

describe('screening: API call', () => {
  it('POSTs the raw file as text/csv with the bearer token', async () => {
    const seen: Request[] = [];
    const report = { ...base, rows: 1, flagged: 1 };
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
    const csv = `${LEIE_COLUMNS.join(',')}\nDOE,JANE,,,,,,1234567893,,,,IL,,1128a1,20190320,00000000,00000000,\n`;
    expect(await a.screenLeie(new Blob([csv], { type: 'text/csv' }))).toEqual(report);
    expect(seen[0].method).toBe('POST');
    expect(new URL(seen[0].url).pathname).toBe('/api/v1/screening/leie');
    expect(seen[0].headers.get('content-type')).toBe('text/csv');
    expect(seen[0].headers.get('authorization')).toBe('Bearer tok');
    expect(await seen[0].text()).toBe(csv);
  });

  it('turns a 422 problem into field errors', async () => {
    const a = createApi({
      baseUrl: 'http://crm.test',
      getToken: () => 'tok',
      fetch: (async () =>
        new Response(
          JSON.stringify({
            status: 422,
            title: 'Invalid input',
            code: 'validation_failed',
            detail: 'invalid input',
            errors: [{ field: 'file', message: 'missing column npi' }],
          }),
          { status: 422, headers: { 'content-type': 'application/problem+json' } },
        )) as typeof fetch,
    });
    const err = await a.screenLeie(new Blob(['x'])).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.fieldErrors).toEqual({ file: 'missing column npi' });
  });
});
