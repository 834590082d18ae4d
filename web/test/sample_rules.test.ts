// The field app's offline sample guardrails and signed-record hash against the vectors the
// server's rules are tested with (crates/domain/vectors/sample_rules.json), so both sides
// judge a disbursement alike. Message texts are checked against the Rust format strings.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import {
  MEANING_RECEIPT,
  MEANING_REQUEST,
  bindingProblem,
  blocks,
  canonicalText,
  imageDigest,
  checkLimits,
  checkSamples,
  pickLots,
  recordHash,
  signerProblem,
  type PastSample,
  type SampleContext,
  type SampleLimit,
  type SampleLine,
  type Severity,
  type SignedRecord,
  type SignerRole,
} from '../src/offline/samples';

interface Vectors {
  checks: {
    name: string;
    context: SampleContext;
    lines: SampleLine[];
    expect: [string, Severity][];
  }[];
  signatures: { record: SignedRecord; canonical_text: string; hash: string }[];
  drawings: { image: string; image_sha256: string }[];
  bindings: {
    name: string;
    signature: { record: SignedRecord; image: string; hash: string };
    expect: string | null;
  }[];
  signers: {
    name: string;
    hcp: { first_name: string; last_name: string };
    record_type: string;
    practitioner_name: string;
    signer_name: string;
    signer_role: SignerRole;
    expect: string | null;
  }[];
}

const vectors: Vectors = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../crates/domain/vectors/sample_rules.json', import.meta.url)),
    'utf8',
  ),
);

describe('sample rules shared with the server', () => {
  test('there are vectors', () => {
    expect(vectors.checks.length).toBeGreaterThanOrEqual(15);
    expect(vectors.signatures.length).toBeGreaterThanOrEqual(1);
  });
  for (const c of vectors.checks) {
    test(c.name, () => {
      const got = checkSamples(c.context, c.lines).map((f) => [f.code, f.severity]);
      expect(got).toEqual(c.expect);
    });
  }
  vectors.signatures.forEach((s, i) => {
    test(`signed record ${i} has the shared canonical text and hash`, async () => {
      expect(canonicalText(s.record)).toBe(s.canonical_text);
      expect(await recordHash(s.record)).toBe(s.hash);
    });
  });
  vectors.drawings.forEach((d, i) => {
    test(`drawing ${i} has the shared digest`, async () => {
      expect(await imageDigest(d.image)).toBe(d.image_sha256);
    });
  });
  for (const b of vectors.bindings) {
    test(`binding: ${b.name}`, async () => {
      expect(await bindingProblem(b.signature)).toBe(b.expect);
    });
  }
  for (const c of vectors.signers) {
    test(`signer: ${c.name}`, () => {
      expect(signerProblem(c, c.hcp.first_name, c.hcp.last_name)).toBe(c.expect);
    });
  }
});

const base = vectors.checks[0].context;
const NEURVANTA_SKU = '01900000-0000-7000-8000-0000000000b1';
const CALMORA_SKU = '01900000-0000-7000-8000-0000000000b2';
const LOT_A = '01900000-0000-7000-8000-0000000000c1';
const LOT_CM = '01900000-0000-7000-8000-0000000000c4';

describe('findings carry the Rust fields and messages', () => {
  test('allocation, per-call and programme limits', () => {
    const findings = checkSamples(base, [{ sku_id: NEURVANTA_SKU, lot_id: LOT_A, quantity: 5 }]);
    expect(findings).toEqual([
      {
        code: 'allocation_exceeded',
        severity: 'error',
        field: 'lines[0].quantity',
        message: 'your Neurvanta allocation has 3 left this cycle',
      },
      {
        code: 'sample_limit',
        severity: 'error',
        field: 'lines[0].quantity',
        message: 'Neurvanta per call: at most 4 units per call',
      },
      {
        code: 'sample_limit',
        severity: 'error',
        field: 'lines[0].quantity',
        message: 'Neurvanta launch programme: at most 8 units (already 6 units, 2 units left)',
      },
    ]);
    expect(blocks(findings)).toBe(true);
  });

  test('a value limit reads in dollars and only warns', () => {
    const ctx: SampleContext = {
      ...base,
      recipient: {
        ...base.recipient,
        dea: [{ number: 'AB1234563', state: 'il', schedules: ['IV'], expires_on: '2028-01-31' }],
      },
    };
    const findings = checkSamples(ctx, [{ sku_id: CALMORA_SKU, lot_id: LOT_CM, quantity: 6 }]);
    expect(findings).toEqual([
      {
        code: 'sample_limit',
        severity: 'warning',
        field: 'lines[0].quantity',
        message: 'Calmora yearly value: at most $40.00 (already $0.00, $40.00 left)',
      },
    ]);
    expect(blocks(findings)).toBe(false);
  });

  test('HCP standing, DEA and lot messages', () => {
    const ctx: SampleContext = {
      ...base,
      state: 'WI',
      recipient: { ...base.recipient, status: 'deceased', blacklisted: 'OIG', do_not_call: '' },
    };
    const findings = checkSamples(ctx, [
      { sku_id: CALMORA_SKU, lot_id: LOT_A, quantity: 1 },
      { sku_id: NEURVANTA_SKU, lot_id: '01900000-0000-7000-8000-0000000000c3', quantity: 1 },
      { sku_id: NEURVANTA_SKU, lot_id: '01900000-0000-7000-8000-00000000ffff', quantity: 1 },
    ]);
    expect(findings.map((f) => [f.field, f.message])).toEqual([
      ['hcp', 'the HCP is blacklisted by compliance: OIG'],
      ['hcp', 'the HCP is flagged do-not-call: '],
      ['hcp', 'the HCP is not active'],
      ['hcp', 'no active state licence in WI'],
      [
        'lines[0].sku_id',
        'Calmora is schedule IV: the HCP needs a valid DEA registration in WI covering it',
      ],
      ['lines[0].lot_id', 'lot NV-A is not of this SKU'],
      ['lines[1].lot_id', 'lot NV-OLD expired on 2026-11-01'],
      ['lines[2].lot_id', 'is not a lot you hold'],
    ]);
  });

  test('credential rules match one credential of a list, any case', () => {
    const ctx: SampleContext = {
      ...base,
      recipient: {
        ...base.recipient,
        credentials: 'RN, np',
        dea: [{ number: 'X', state: 'IL', schedules: ['IV'], expires_on: '2028-01-31' }],
      },
    };
    const findings = checkSamples(ctx, [{ sku_id: CALMORA_SKU, lot_id: LOT_CM, quantity: 1 }]);
    expect(findings).toEqual([
      {
        code: 'credential_not_eligible',
        severity: 'error',
        field: 'lines[0].sku_id',
        message: 'NP may not receive Calmora samples in IL',
      },
    ]);
  });

  test('a repeated product-level finding is kept once, on the last line', () => {
    const ctx: SampleContext = { ...base, allocations: [] };
    const findings = checkSamples(ctx, [
      { sku_id: NEURVANTA_SKU, lot_id: LOT_A, quantity: 1 },
      { sku_id: NEURVANTA_SKU, lot_id: LOT_A, quantity: 4 },
      { sku_id: NEURVANTA_SKU, lot_id: LOT_A, quantity: 6 },
    ]);
    expect(findings.map((f) => [f.field, f.message])).toEqual([
      ['lines[2].quantity', 'only 10 on hand of lot NV-A'],
      ['lines[2].quantity', 'Neurvanta per call: at most 4 units per call'],
      [
        'lines[2].quantity',
        'Neurvanta launch programme: at most 8 units (already 6 units, 2 units left)',
      ],
    ]);
  });

  test('an ended programme names the first sample', () => {
    const c = vectors.checks.find((v) => v.name.startsWith('programme over'))!;
    expect(checkSamples(c.context, c.lines).map((f) => f.message)).toEqual([
      'Neurvanta launch programme: the programme ended 730 days after the first sample on 2026-03-01',
    ]);
  });
});

// Ports of the unit tests in crates/domain/src/sample/limits.rs.
describe('checkLimits', () => {
  const NIL = '00000000-0000-0000-0000-000000000000';
  const limit = (
    window: SampleLimit['window'],
    max: number,
    days: number | null,
    ends: number | null,
  ): SampleLimit => ({
    id: NIL,
    name: 'policy',
    product_id: NIL,
    measure: 'quantity',
    max,
    window,
    window_days: days,
    ends_after_days: ends,
    severity: 'error',
  });
  const given = (on: string, quantity: number): PastSample => ({
    hcp_id: NIL,
    product_id: NIL,
    on,
    quantity,
    value_cents: quantity * 500,
  });

  test('four per year for two years after the first request', () => {
    const rule = [limit('from_first', 4, 365, 730)];
    const past = [given('2025-03-01', 3)];
    expect(checkLimits(rule, NIL, past, 1, 500, '2025-12-01')).toEqual([]);
    expect(checkLimits(rule, NIL, past, 2, 500, '2025-12-01')[0].remaining).toBe(1);
    expect(checkLimits(rule, NIL, past, 4, 500, '2026-03-01')).toEqual([]);
    const ended = checkLimits(rule, NIL, past, 1, 500, '2027-03-01');
    expect(ended).toHaveLength(1);
    expect(ended[0].message).toBe(
      'policy: the programme ended 730 days after the first sample on 2025-03-01',
    );
  });

  test('calendar and rolling windows count what falls inside', () => {
    const past = [given('2026-03-31', 2), given('2026-04-02', 2)];
    const quarter = [limit('quarter', 4, null, null)];
    expect(checkLimits(quarter, NIL, past, 2, 500, '2026-06-30')).toEqual([]);
    expect(checkLimits(quarter, NIL, past, 3, 500, '2026-06-30')).toHaveLength(1);
    const month = [limit('month', 2, null, null)];
    expect(checkLimits(month, NIL, past, 1, 500, '2026-03-01')).toHaveLength(1);
    expect(checkLimits(month, NIL, past, 1, 500, '2026-05-31')).toEqual([]);
    const rolling = [limit('rolling', 4, 30, null)];
    expect(checkLimits(rolling, NIL, past, 1, 500, '2026-04-10')).toHaveLength(1);
    expect(checkLimits(rolling, NIL, past, 1, 500, '2026-05-01')).toEqual([]);
    const perCall = [limit('call', 2, null, null)];
    expect(checkLimits(perCall, NIL, past, 3, 500, '2026-04-10')[0].remaining).toBe(2);
  });

  test('value limits count cents', () => {
    const rule: SampleLimit = { ...limit('year', 2000, null, null), measure: 'value' };
    const past = [given('2026-01-10', 2)];
    expect(checkLimits([rule], NIL, past, 2, 500, '2026-02-01')).toEqual([]);
    const over = checkLimits([rule], NIL, past, 3, 505, '2026-02-01');
    expect(over[0].message).toBe('policy: at most $20.00 (already $10.00, $10.00 left)');
    expect(over[0].remaining).toBe(1000);
  });
});

// Port of the unit test of pick_lots in crates/domain/src/sample/mod.rs, and more.
describe('pickLots', () => {
  const lot = (id: string, expires_on: string) => ({ id, lot_number: id, expires_on });
  const old = lot('L0', '2026-05-31');
  const soon = lot('L1', '2026-07-01');
  const later = lot('L2', '2027-01-01');
  const empty = lot('L3', '2026-06-15');
  const stock = [
    { lot: later, on_hand: 10 },
    { lot: old, on_hand: 10 },
    { lot: soon, on_hand: 3 },
    { lot: empty, on_hand: 0 },
  ];

  test('first expiry first, skipping expired and empty lots', () => {
    expect(pickLots(stock, 5, '2026-06-01')).toEqual([
      { lot_id: 'L1', quantity: 3 },
      { lot_id: 'L2', quantity: 2 },
    ]);
  });

  test('a lot expiring on the day is still usable', () => {
    expect(pickLots(stock, 1, '2026-05-31')).toEqual([{ lot_id: 'L0', quantity: 1 }]);
  });

  test('lots expiring the same day go by lot number', () => {
    const same = [
      { lot: { id: 'b', lot_number: 'B', expires_on: '2026-08-01' }, on_hand: 5 },
      { lot: { id: 'a', lot_number: 'A', expires_on: '2026-08-01' }, on_hand: 5 },
    ];
    expect(pickLots(same, 6, '2026-06-01')).toEqual([
      { lot_id: 'a', quantity: 5 },
      { lot_id: 'b', quantity: 1 },
    ]);
  });

  test('short stock gives what there is; nothing asked, nothing picked', () => {
    expect(pickLots(stock, 50, '2026-06-01')).toEqual([
      { lot_id: 'L1', quantity: 3 },
      { lot_id: 'L2', quantity: 10 },
    ]);
    expect(pickLots(stock, 0, '2026-06-01')).toEqual([]);
    expect(pickLots(stock, 5, '2027-01-02')).toEqual([]);
  });
});

describe('signed record', () => {
  const record: SignedRecord = {
    ...vectors.signatures[0].record,
    record_id: '01900000-0000-7000-8000-000000000ABC',
    practitioner_name: '  Ana Ruiz, MD\r\n',
  };

  test('the id is written as Uuid displays it and values are cleaned', () => {
    const text = canonicalText(record);
    expect(text).toContain('\nrecord_id=01900000-0000-7000-8000-000000000abc\n');
    expect(text).toContain('\npractitioner_name=Ana Ruiz, MD\n');
  });

  test('any edit changes the hash', async () => {
    const signed = vectors.signatures[0];
    const edited = {
      ...signed.record,
      lines: signed.record.lines.map((l, i) => (i === 0 ? { ...l, quantity: 3 } : l)),
    };
    expect(await recordHash(edited)).not.toBe(signed.hash);
  });

  test('the same record written differently hashes the same', async () => {
    expect(await recordHash(record)).toBe(vectors.signatures[0].hash);
  });

  test('meanings are the server texts', () => {
    expect(MEANING_RECEIPT).toBe(
      'I received the samples listed above and requested them for my patients',
    );
    expect(MEANING_REQUEST).toBe(
      'I request the samples listed above to be delivered to my practice address',
    );
  });
});
