// The field app's offline call checks against the vectors the server's rules are tested
// with (crates/domain/vectors/call_rules.json), so both sides agree.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { validateCall, type CallDraft } from '../src/offline/validate';

interface Vectors {
  now: string;
  hcps: {
    id: string;
    status: 'active' | 'retired' | 'deceased';
    do_not_call: { reason: string } | null;
    blacklist?: { reason: string } | null;
  }[];
  cases: {
    name: string;
    call: CallDraft;
    expect: { ok?: boolean; fields?: string[]; code?: string };
  }[];
}

const vectors: Vectors = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../crates/domain/vectors/call_rules.json', import.meta.url)),
    'utf8',
  ),
);

const hcps = new Map(
  vectors.hcps.map((h) => [
    h.id,
    {
      status: h.status,
      do_not_call: h.do_not_call
        ? { reason: h.do_not_call.reason, set_by: 'ops', set_at: '' }
        : null,
      blacklist: h.blacklist
        ? { reason: h.blacklist.reason, set_by: 'compliance', set_at: '' }
        : null,
      first_name: 'Test',
      last_name: 'HCP',
    },
  ]),
);

describe('call rules shared with the server', () => {
  test('there are vectors', () => expect(vectors.cases.length).toBeGreaterThanOrEqual(10));
  for (const c of vectors.cases) {
    test(c.name, () => {
      const errors = Object.keys(validateCall(c.call, hcps, new Date(vectors.now))).sort();
      if (c.expect.ok) expect(errors).toEqual([]);
      else if (c.expect.fields) expect(errors).toEqual([...c.expect.fields].sort());
      // A refused HCP (blacklisted, do-not-call, deceased) is reported on the attendee field before the form opens.
      else expect(errors).toEqual(['hcp_ids']);
    });
  }
});
