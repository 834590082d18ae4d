// The field app's samples on the device: the book adjusted by the outbox, the guardrail
// context, lots picked for a disbursement, the signed record, the inventory form checks, the
// signature drawing as SVG path data, and the book's storage (sync, schema upgrade).
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Hcp } from '../src/api/types';
import { applyStaged, RepDb } from '../src/offline/db';
import type { OutboxItem } from '../src/offline/records';
import { SyncEngine } from '../src/offline/engine';
import { newMutationItem, toMutation } from '../src/offline/outbox';
import {
  canonicalText,
  checkSamples,
  imageDigest,
  MEANING_RECEIPT,
  recordHash,
} from '../src/offline/samples';
import {
  allocationOf,
  buildRecord,
  buildSampleContext,
  callState,
  effectiveBook,
  expandLines,
  expiryStatus,
  fairBalanceGaps,
  findingsByLine,
  inventoryByProduct,
  licenceNumber,
  parseQuantity,
  practitionerAddress,
  receiptDiffers,
  recordGaps,
  signatureMatches,
  signRecord,
  skuChoices,
  unreflected,
  validateCount,
  validateLoss,
  validateOutflow,
  validateReceive,
  validateTransfer,
  lotKey,
} from '../src/offline/sampleBook';
import {
  addPoint,
  isSigned,
  pathToStrokes,
  pathViewBox,
  strokesToPath,
  type Stroke,
} from '../src/lib/signaturePath';
import type { CallInput, SampleBook } from '../src/offline/types';

const P1 = 'p1';
const P2 = 'p2';
const S1 = 'sku-neu-10';
const S2 = 'sku-cal-5';
const LA = 'lot-a';
const LB = 'lot-b';
const LC = 'lot-c';

function makeBook(): SampleBook {
  return {
    rep_id: 'rep',
    lots: [
      {
        lot_id: LA,
        sku_id: S1,
        product_id: P1,
        product_name: 'Neurvanta',
        ndc: '50242-0041-21',
        strength: '10 mg',
        lot_number: 'NV2401',
        expires_on: '2026-07-01',
        on_hand: 3,
      },
      {
        lot_id: LB,
        sku_id: S1,
        product_id: P1,
        product_name: 'Neurvanta',
        ndc: '50242-0041-21',
        strength: '10 mg',
        lot_number: 'NV2402',
        expires_on: '2027-01-01',
        on_hand: 10,
      },
      {
        lot_id: LC,
        sku_id: S2,
        product_id: P2,
        product_name: 'Calmora',
        ndc: '50242-0099-10',
        strength: '5 mg',
        lot_number: 'CA1',
        expires_on: '2026-05-01',
        on_hand: 4,
      },
    ],
    allocations: [
      { product_id: P1, period_from: '2026-06-01', period_to: '2026-06-30', quantity: 40, used: 6 },
    ],
    limits: [
      {
        id: 'l-call',
        name: 'Neurvanta per call',
        product_id: P1,
        measure: 'quantity',
        max: 4,
        window: 'call',
        severity: 'error',
      },
      {
        id: 'l-month',
        name: 'Neurvanta per month',
        product_id: P1,
        measure: 'quantity',
        max: 6,
        window: 'month',
        severity: 'warning',
      },
    ],
    credential_rules: [],
    key_messages: [
      { id: 'k1', product_id: P1, kind: 'benefit', text: 'Works fast' },
      { id: 'k2', product_id: P1, kind: 'risk', text: 'May cause dizziness' },
      { id: 'k3', product_id: P2, kind: 'benefit', text: 'Once daily' },
    ],
    history: [
      { hcp_id: 'h1', product_id: P1, on: '2026-06-02', quantity: 2, value_cents: 0 },
      { hcp_id: 'h2', product_id: P1, on: '2026-06-03', quantity: 4, value_cents: 0 },
    ],
    incoming: [
      {
        id: 'ship-1',
        kind: 'shipment',
        from_rep_id: null,
        to_rep_id: 'rep',
        sender: 'Headquarters',
        recipient: 'Rep',
        sent_at: '2026-06-10T08:00:00Z',
        lines: [{ lot_id: LB, quantity: 5 }],
        status: 'in_transit',
      },
      {
        id: 'ship-2',
        kind: 'transfer',
        from_rep_id: 'rep2',
        to_rep_id: 'rep',
        sender: 'Bo Rep',
        recipient: 'Rep',
        sent_at: '2026-06-11T08:00:00Z',
        lines: [{ lot_id: 'lot-new', quantity: 2 }],
        status: 'in_transit',
      },
    ],
    recent: [],
    colleagues: [{ id: 'rep2', name: 'Bo Rep' }],
    skus: [
      {
        sku_id: S1,
        product_id: P1,
        product_name: 'Neurvanta',
        strength: '10 mg',
        ndc: '50242-0041-21',
        dea_schedule: null,
        unit_value_cents: 500,
      },
      {
        sku_id: S2,
        product_id: P2,
        product_name: 'Calmora',
        strength: '5 mg',
        ndc: '50242-0099-10',
        dea_schedule: 'IV',
        unit_value_cents: 900,
      },
    ],
    manufacturers: [
      { product_id: P1, name: 'Pharmacrm Labs' },
      { product_id: P2, name: 'Calm Pharma Inc.' },
    ],
  } as SampleBook;
}

function hcp(extra: Partial<Hcp> = {}): Hcp {
  return {
    id: 'h1',
    npi: '1234567893',
    first_name: 'Ana',
    last_name: 'Ruiz',
    credentials: 'MD',
    specialty_code: 'IM',
    specialty_name: 'Internal medicine',
    status: 'active',
    language: 'en',
    address: {
      line1: '1 Main St',
      line2: 'Suite 2',
      city: 'Springfield',
      state: 'IL',
      zip: '62701',
    },
    licences: [
      { state: 'IL', number: '036-111', expires_on: '2025-01-01', active: false },
      { state: 'IL', number: '036-123456', expires_on: '2028-01-01', active: true },
      { state: 'WI', number: 'W-9', expires_on: '2028-01-01', active: true },
    ],
    dea_registrations: [
      { number: 'AR1234563', state: 'IL', schedules: ['III', 'IV', 'V'], expires_on: '2028-01-01' },
    ],
    preferred_call_times: [],
    affiliations: [],
    segments: [],
    do_not_call: null,
    blacklist: null,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...extra,
  } as Hcp;
}

function callWithSamples(
  id: string,
  lines: { sku_id: string; lot_id: string; quantity: number }[],
  calledAt = '2026-06-15T10:00:00Z',
): CallInput {
  return {
    id,
    call_type: 'in_person',
    hcp_ids: ['h1'],
    account_id: null,
    called_at: calledAt,
    product_ids: [P1],
    outcome: 'o',
    next_step: 'n',
    next_step_date: null,
    notes: null,
    corrects: null,
    correction_reason: null,
    key_message_ids: [],
    disbursement: {
      id: `d-${id}`,
      lines,
      signature: { record: {} as never, image: 'M 0 0 L 9 9', hash: 'x' },
      warnings_acknowledged: false,
    },
  };
}

const at = (ms: number) => new Date(Date.UTC(2026, 5, 15, 10, 0, 0, ms));

describe('the book as the device shows it (synced book + outbox)', () => {
  const lastPull = at(500).toISOString();
  const items = (): OutboxItem[] => [
    // Applied before the last pull: the book already shows it.
    {
      ...newMutationItem(
        'sample.return',
        {
          id: 'r0',
          occurred_at: at(0).toISOString(),
          to_rep_id: null,
          lines: [{ lot_id: LB, quantity: 9 }],
          note: null,
        },
        at(0),
      ),
      status: 'applied',
      updated_at: at(100).toISOString(),
    },
    // Rejected: no effect.
    {
      ...newMutationItem(
        'sample.loss',
        {
          id: 'x',
          kind: 'loss',
          discovered_on: '2026-06-15',
          reason: 'r',
          police_report: null,
          lines: [{ lot_id: LB, quantity: 1 }],
        },
        at(1),
      ),
      status: 'rejected',
    },
    // Applied after the last pull: not in the book yet.
    {
      ...newMutationItem(
        'sample.transfer',
        {
          id: 't1',
          occurred_at: at(2).toISOString(),
          to_rep_id: 'rep2',
          lines: [{ lot_id: LB, quantity: 2 }],
          note: null,
        },
        at(2),
      ),
      status: 'applied',
      updated_at: at(900).toISOString(),
    },
    newMutationItem(
      'call.submit',
      callWithSamples('c1', [{ sku_id: S1, lot_id: LA, quantity: 3 }]),
      at(3),
    ),
    newMutationItem(
      'sample.receive',
      {
        shipment_id: 'ship-1',
        received_at: at(4).toISOString(),
        lines: [{ lot_id: LB, quantity: 4 }],
        note: 'one box damaged',
      },
      at(4),
    ),
    newMutationItem(
      'sample.receive',
      {
        shipment_id: 'ship-2',
        received_at: at(5).toISOString(),
        lines: [{ lot_id: 'lot-new', quantity: 2 }],
        note: null,
      },
      at(5),
    ),
    newMutationItem(
      'sample.count',
      {
        id: 'n1',
        counted_at: at(6).toISOString(),
        lines: [{ lot_id: LC, quantity: 3 }],
        explanation: null,
      },
      at(6),
    ),
    newMutationItem(
      'sample.request',
      {
        id: 'q1',
        hcp_id: 'h2',
        requested_at: at(7).toISOString(),
        call_id: null,
        lines: [{ sku_id: S2, quantity: 2 }],
        signature: {} as never,
      },
      at(7),
    ),
  ];

  it('leaves out what the book already shows and what had no effect', () => {
    expect(unreflected(items(), lastPull).map((o) => o.kind)).toEqual([
      'sample.transfer',
      'call.submit',
      'sample.receive',
      'sample.receive',
      'sample.count',
      'sample.request',
    ]);
    // Never pulled: everything applied counts.
    expect(unreflected(items(), null).length).toBe(7);
  });

  it('adjusts on hand, allocation used, history and shipments to acknowledge', () => {
    const b = effectiveBook(makeBook(), items(), lastPull, (id) => `Dr ${id}`);
    const onHand = Object.fromEntries(b.lots.map((l) => [l.lot_id, l.on_hand]));
    expect(onHand).toEqual({ [LA]: 0, [LB]: 10 - 2 + 4, [LC]: 4, 'lot-new': 2 });
    expect(b.lots.find((l) => l.lot_id === 'lot-new')!.known).toBe(false);
    expect(b.syncedOnHand.get(LB)).toBe(10);
    expect(b.allocations[0].used).toBe(6 + 3);
    expect(allocationOf(b, P1, '2026-06-15')).toMatchObject({ quantity: 40, used: 9, left: 31 });
    expect(allocationOf(b, P1, '2026-07-01')).toBe(null);
    expect(b.history.filter((p) => p.hcp_id === 'h1')).toEqual([
      { hcp_id: 'h1', product_id: P1, on: '2026-06-02', quantity: 2, value_cents: 0 },
      { hcp_id: 'h1', product_id: P1, on: '2026-06-15', quantity: 3, value_cents: 1500 },
    ]);
    expect(b.history.filter((p) => p.hcp_id === 'h2').map((p) => p.product_id)).toEqual([P1, P2]);
    expect(b.incoming).toEqual([]);
    expect(b.receiving.map((s) => s.id)).toEqual(['ship-1', 'ship-2']);
    // Pending movements, newest first, with who was on the other side.
    expect(b.pending.map((p) => [p.kind, p.state, p.quantity, p.counterparty])).toEqual([
      ['request', 'pending', 2, 'Dr h2'],
      ['count', 'pending', 3, 'Physical count of 1 lot'],
      ['transfer_in', 'pending', 2, 'Bo Rep'],
      ['receipt', 'pending', 4, 'Headquarters'],
      ['disbursement', 'pending', 3, 'Dr h1'],
      ['transfer_out', 'sent', 2, 'Bo Rep'],
    ]);
    // The synced book itself is untouched.
    expect(makeBook().lots[0].on_hand).toBe(3);
  });

  it('groups the inventory by product and SKU, lots first-expiry-first, empty lots hidden', () => {
    const b = effectiveBook(makeBook(), items(), lastPull);
    const inv = inventoryByProduct(b);
    expect(inv.map((p) => [p.product_name, p.on_hand])).toEqual([
      ['Calmora', 4],
      ['Lot received on this device', 2],
      ['Neurvanta', 12],
    ]);
    expect(inv[2].skus[0].lots.map((l) => l.lot_number)).toEqual(['NV2402']);
    expect(inventoryByProduct(b, true)[2].skus[0].lots.map((l) => l.lot_number)).toEqual([
      'NV2401',
      'NV2402',
    ]);
  });

  it('flags lots expired or expiring within 30 days', () => {
    expect(expiryStatus('2026-06-14', '2026-06-15')).toBe('expired');
    expect(expiryStatus('2026-06-15', '2026-06-15')).toBe('soon');
    expect(expiryStatus('2026-07-15', '2026-06-15')).toBe('soon');
    expect(expiryStatus('2026-07-16', '2026-06-15')).toBe('ok');
  });
});

describe('guardrail context from the book and the HCP profile', () => {
  it('maps the recipient facts, the HCP history and the lots', () => {
    const h = hcp({
      blacklist: { reason: 'OIG exclusion', set_by: 'c', set_at: 'x' },
      do_not_call: { reason: 'Asked', set_by: 'c', set_at: 'x' },
    });
    const b = effectiveBook(makeBook(), [], null);
    const ctx = buildSampleContext(b, h, { mode: 'disbursement', state: 'IL', on: '2026-06-15' });
    expect(ctx.recipient).toEqual({
      hcp_id: 'h1',
      status: 'active',
      credentials: 'MD',
      blacklisted: 'OIG exclusion',
      do_not_call: 'Asked',
      licences: [
        { state: 'IL', number: '036-111', expires_on: '2025-01-01' },
        { state: 'IL', number: '036-123456', expires_on: '2028-01-01' },
        { state: 'WI', number: 'W-9', expires_on: '2028-01-01' },
      ],
      dea: [
        {
          number: 'AR1234563',
          state: 'IL',
          schedules: ['III', 'IV', 'V'],
          expires_on: '2028-01-01',
        },
      ],
    });
    expect(ctx.history.map((p) => p.hcp_id)).toEqual(['h1']);
    expect(ctx.lots.map((l) => l.lot_id)).toEqual([LA, LB, LC]);
    const codes = checkSamples(ctx, [{ sku_id: S1, lot_id: LB, quantity: 1 }]).map((f) => f.code);
    expect(codes).toEqual(['blacklisted', 'do_not_call']);
  });

  it('counts disbursements still in the outbox against stock, allocation and limits', () => {
    const synced = makeBook();
    const pendingCall = newMutationItem(
      'call.submit',
      callWithSamples('c1', [{ sku_id: S1, lot_id: LB, quantity: 3 }]),
      at(1),
    );
    const b = effectiveBook(synced, [pendingCall], at(0).toISOString());
    const ctx = buildSampleContext(b, hcp(), {
      mode: 'disbursement',
      state: 'IL',
      on: '2026-06-15',
    });
    // 2 (synced) + 3 (pending) this month: one more breaks the monthly limit of 6 (a warning).
    const f = checkSamples(ctx, [{ sku_id: S1, lot_id: LB, quantity: 2 }]);
    expect(f.map((x) => [x.code, x.severity])).toEqual([['sample_limit', 'warning']]);
    expect(f[0].message).toMatch(/already 5 units/);
    // Without the pending call the same sample is fine.
    const clean = buildSampleContext(effectiveBook(synced, [], null), hcp(), {
      mode: 'disbursement',
      state: 'IL',
      on: '2026-06-15',
    });
    expect(checkSamples(clean, [{ sku_id: S1, lot_id: LB, quantity: 2 }])).toEqual([]);
    // Stock: 10 - 3 pending = 7 left of lot B.
    expect(
      checkSamples(ctx, [
        { sku_id: S1, lot_id: LB, quantity: 4 },
        { sku_id: S1, lot_id: LB, quantity: 4 },
      ]).map((x) => x.code),
    ).toContain('insufficient_inventory');
  });

  it('takes the state of the account when the call is at one, else the practice', () => {
    expect(callState('WI', hcp())).toBe('WI');
    expect(callState(null, hcp())).toBe('IL');
  });
});

describe('disbursement lines: lots first-expiry-first unless the rep picks one', () => {
  const lots = makeBook().lots;
  it('spreads a quantity over lots by expiry and skips expired ones', () => {
    expect(expandLines([{ sku_id: S1, quantity: 5, lot_id: null }], lots, '2026-06-15')).toEqual({
      lines: [
        { sku_id: S1, lot_id: LA, quantity: 3 },
        { sku_id: S1, lot_id: LB, quantity: 2 },
      ],
      owner: [0, 0],
    });
    // After its expiry, lot A is not picked.
    expect(
      expandLines([{ sku_id: S1, quantity: 2, lot_id: null }], lots, '2026-07-02').lines,
    ).toEqual([{ sku_id: S1, lot_id: LB, quantity: 2 }]);
  });
  it('later lines take what earlier ones left; a chosen lot is kept as is', () => {
    const x = expandLines(
      [
        { sku_id: S1, quantity: 2, lot_id: null },
        { sku_id: S1, quantity: 2, lot_id: null },
        { sku_id: S1, quantity: 1, lot_id: LB },
      ],
      lots,
      '2026-06-15',
    );
    expect(x.lines).toEqual([
      { sku_id: S1, lot_id: LA, quantity: 2 },
      { sku_id: S1, lot_id: LA, quantity: 1 },
      { sku_id: S1, lot_id: LB, quantity: 1 },
      { sku_id: S1, lot_id: LB, quantity: 1 },
    ]);
    expect(x.owner).toEqual([0, 1, 1, 2]);
  });
  it('short stock stays on the last lot (the rules say how many are on hand); no usable lot means no lot', () => {
    expect(
      expandLines([{ sku_id: S1, quantity: 20, lot_id: null }], lots, '2026-06-15').lines,
    ).toEqual([
      { sku_id: S1, lot_id: LA, quantity: 3 },
      { sku_id: S1, lot_id: LB, quantity: 17 },
    ]);
    expect(
      expandLines([{ sku_id: S2, quantity: 1, lot_id: null }], lots, '2026-06-15').lines,
    ).toEqual([{ sku_id: S2, lot_id: null, quantity: 1 }]);
    expect(
      expandLines([{ sku_id: S1, quantity: 0, lot_id: null }], lots, '2026-06-15').lines,
    ).toEqual([{ sku_id: S1, lot_id: null, quantity: 0 }]);
  });
  it('findings go to the rep line they come from', () => {
    const book = effectiveBook(makeBook(), [], null);
    const x = expandLines([{ sku_id: S1, quantity: 5, lot_id: null }], book.lots, '2026-06-15');
    const ctx = buildSampleContext(book, hcp(), {
      mode: 'disbursement',
      state: 'IL',
      on: '2026-06-15',
    });
    const f = checkSamples(ctx, x.lines);
    const { general, lines } = findingsByLine(f, x.owner, 1);
    expect(general).toEqual([]);
    // Per call (an error) and, with the 2 already given this month, per month (a warning).
    expect(lines[0].map((y) => [y.code, y.severity])).toEqual([
      ['sample_limit', 'error'],
      ['sample_limit', 'warning'],
    ]);
    expect(lines[0][0].message).toMatch(/^Neurvanta per call: at most 4 units/);
    const none = checkSamples(
      buildSampleContext(book, hcp({ licences: [] }), {
        mode: 'disbursement',
        state: 'IL',
        on: '2026-06-15',
      }),
      [],
    );
    expect(findingsByLine(none, [], 0).general.map((y) => y.code)).toEqual([
      'no_active_licence',
      'no_lines',
    ]);
  });
  it('offers the SKUs with usable stock, detailed products first', () => {
    const b = makeBook();
    expect(skuChoices(b, '2026-06-15').map((c) => [c.sku.sku_id, c.on_hand])).toEqual([[S1, 13]]);
    expect(skuChoices(b, '2026-04-15', [P1]).map((c) => c.sku.sku_id)).toEqual([S1, S2]);
    expect(skuChoices(b, '2026-04-15', [P2]).map((c) => c.sku.sku_id)).toEqual([S2, S1]);
  });
});

describe('the signed record (21 CFR 203.31)', () => {
  const book = makeBook();
  const base = {
    type: 'sample_disbursement' as const,
    record_id: '0190a000-0000-7000-8000-0000000000d1',
    hcp: hcp(),
    state: 'IL',
    on: '2026-06-15',
    date: '2026-06-15',
    book,
  };
  it('names the practitioner, address, title, state licence, product lines, lot and manufacturer', () => {
    const r = buildRecord({ ...base, lines: [{ sku_id: S1, lot_id: LB, quantity: 2 }] });
    expect(r).toEqual({
      record_id: base.record_id,
      record_type: 'sample_disbursement',
      practitioner_name: 'Ana Ruiz, MD',
      practitioner_address: '1 Main St, Suite 2, Springfield, IL 62701',
      professional_title: 'MD',
      licence_number: 'IL 036-123456',
      lines: [
        {
          product: 'Neurvanta',
          strength: '10 mg',
          ndc: '50242-0041-21',
          lot_number: 'NV2402',
          quantity: 2,
        },
      ],
      manufacturer: 'Pharmacrm Labs',
      date: '2026-06-15',
      signer_name: '',
      signer_role: 'practitioner',
      signed_at: '',
      meaning: '',
      image_sha256: '',
    });
    expect(recordGaps(r)).toEqual({});
  });
  it('shows the DEA number for a controlled product, and no lot on a request', () => {
    const r = buildRecord({
      ...base,
      lines: [
        { sku_id: S2, lot_id: LC, quantity: 1 },
        { sku_id: S1, lot_id: LB, quantity: 1 },
      ],
    });
    expect(r.licence_number).toBe('AR1234563');
    expect(r.manufacturer).toBe('Calm Pharma Inc., Pharmacrm Labs');
    const q = buildRecord({
      ...base,
      type: 'sample_request',
      lines: [{ sku_id: S1, lot_id: null, quantity: 3 }],
    });
    expect(q.lines[0].lot_number).toBe(null);
    expect(q.licence_number).toBe('IL 036-123456');
    expect(licenceNumber(hcp(), 'WI', ['IV'], '2026-06-15')).toBe('WI W-9');
    expect(licenceNumber(hcp(), 'CA', [], '2026-06-15')).toBe('');
    expect(
      practitionerAddress({ line1: '1 Main', line2: null, city: 'X', state: 'CA', zip: '90001' }),
    ).toBe('1 Main, X, CA 90001');
  });
  it('says what a record lacks before the HCP signs', () => {
    const r = buildRecord({
      ...base,
      hcp: hcp({ credentials: '', licences: [] }),
      lines: [{ sku_id: S1, lot_id: null, quantity: 1 }],
    });
    expect(Object.keys(recordGaps(r)).sort()).toEqual([
      'licence_number',
      'lines',
      'professional_title',
    ]);
  });
  it('binds the signature to the record by its hash; a change to the samples voids it', async () => {
    const r = buildRecord({ ...base, lines: [{ sku_id: S1, lot_id: LB, quantity: 2 }] });
    const sig = await signRecord(
      r,
      '  Ana Ruiz ',
      MEANING_RECEIPT,
      'M 1 1 L 40 40',
      'practitioner',
      new Date('2026-06-15T10:15:00.000Z'),
    );
    expect(sig.record.signer_name).toBe('Ana Ruiz');
    expect(sig.record.signer_role).toBe('practitioner');
    expect(sig.record.image_sha256).toBe(await imageDigest('M 1 1 L 40 40'));
    expect(canonicalText(sig.record)).toMatch(/^pharmacrm-signed-record\/2\n/);
    expect(sig.record.signed_at).toBe('2026-06-15T10:15:00.000Z');
    expect(sig.record.meaning).toBe(MEANING_RECEIPT);
    expect(sig.hash).toBe(await recordHash(sig.record));
    expect(canonicalText(sig.record)).toContain('line=Neurvanta|10 mg|50242-0041-21|NV2402|2\n');
    expect(signatureMatches(sig, r)).toBe(true);
    expect(
      signatureMatches(
        sig,
        buildRecord({ ...base, lines: [{ sku_id: S1, lot_id: LB, quantity: 3 }] }),
      ),
    ).toBe(false);
    expect(
      signatureMatches(
        sig,
        buildRecord({
          ...base,
          date: '2026-06-16',
          lines: [{ sku_id: S1, lot_id: LB, quantity: 2 }],
        }),
      ),
    ).toBe(false);
    expect(signatureMatches(null, r)).toBe(false);
  });
});

describe('key messages: fair balance', () => {
  it('flags a product with a benefit presented and no risk', () => {
    const m = makeBook().key_messages;
    expect(fairBalanceGaps(m, ['k1'])).toEqual([P1]);
    expect(fairBalanceGaps(m, ['k1', 'k2'])).toEqual([]);
    expect(fairBalanceGaps(m, ['k2', 'k3'])).toEqual([P2]);
    expect(fairBalanceGaps(m, [])).toEqual([]);
  });
});

describe('inventory forms', () => {
  const onHand = (id: string) => (({ [LA]: 3, [LB]: 10 }) as Record<string, number>)[id] ?? 0;
  it('a receipt that differs from the packing list needs a note', () => {
    const sent = [{ lot_id: LB, quantity: 5 }];
    expect(validateReceive({ lines: sent }, [{ lot_id: LB, quantity: 5 }], '')).toEqual({});
    expect(validateReceive({ lines: sent }, [{ lot_id: LB, quantity: 4 }], '')).toHaveProperty(
      'note',
    );
    expect(
      validateReceive({ lines: sent }, [{ lot_id: LB, quantity: 4 }], 'one box crushed'),
    ).toEqual({});
    expect(validateReceive({ lines: sent }, [{ lot_id: LB, quantity: NaN }], '')).toHaveProperty(
      lotKey(LB),
    );
    expect(
      receiptDiffers(sent, [
        { lot_id: LB, quantity: 5 },
        { lot_id: LA, quantity: 1 },
      ]),
    ).toBe(true);
  });
  it('nothing leaves beyond what is on hand; a transfer names the colleague', () => {
    expect(validateOutflow([], onHand)).toHaveProperty('lines');
    expect(validateOutflow([{ lot_id: LA, quantity: 4 }], onHand)).toEqual({
      [lotKey(LA)]: 'Only 3 on hand.',
    });
    expect(validateOutflow([{ lot_id: LA, quantity: 3 }], onHand)).toEqual({});
    expect(validateTransfer('', [{ lot_id: LA, quantity: 1 }], onHand)).toHaveProperty('to_rep_id');
  });
  it('a loss says what happened; a theft also the police report; not in the future', () => {
    const lines = [{ lot_id: LB, quantity: 2 }];
    const f = {
      kind: 'loss' as const,
      discovered_on: '2026-06-15',
      reason: 'Bag left on the train',
      police_report: '',
    };
    expect(validateLoss(f, lines, onHand, '2026-06-15')).toEqual({});
    expect(
      Object.keys(
        validateLoss({ ...f, kind: 'theft', reason: ' ' }, lines, onHand, '2026-06-15'),
      ).sort(),
    ).toEqual(['police_report', 'reason']);
    expect(
      validateLoss({ ...f, discovered_on: '2026-06-16' }, lines, onHand, '2026-06-15'),
    ).toHaveProperty('discovered_on');
  });
  it('a count may find nothing of a lot', () => {
    expect(validateCount([{ lot_id: LA, quantity: 0 }])).toEqual({});
    expect(validateCount([{ lot_id: LA, quantity: -1 }])).toHaveProperty(lotKey(LA));
    // A count that differs from the book needs an explanation (the server refuses one without).
    expect(validateCount([{ lot_id: LA, quantity: 3 }], 1)).toHaveProperty('explanation');
    expect(validateCount([{ lot_id: LA, quantity: 3 }], 1, '  ')).toHaveProperty('explanation');
    expect(validateCount([{ lot_id: LA, quantity: 3 }], 1, 'box crushed')).toEqual({});
    expect(validateCount([{ lot_id: LA, quantity: 3 }], 1, 'x'.repeat(2001))).toHaveProperty(
      'explanation',
    );
    expect(parseQuantity(' 12 ')).toBe(12);
    expect(parseQuantity('')).toBe(0);
    expect(parseQuantity('1.5')).toBeNaN();
  });
});

describe('signature drawing as SVG path data', () => {
  it('records strokes as M/L commands, rounded to 0.1 px, dropping points closer than 1.5 px', () => {
    const s: Stroke = [];
    expect(addPoint(s, [10.04, 20])).toBe(true);
    expect(addPoint(s, [10.5, 20.5])).toBe(false);
    expect(addPoint(s, [30.26, 25])).toBe(true);
    const dot: Stroke = [[5, 5]];
    const d = strokesToPath([s, dot, []]);
    expect(d).toBe('M 10 20 L 30.3 25 M 5 5 L 5 5');
    expect(pathToStrokes(d)).toEqual([
      [
        [10, 20],
        [30.3, 25],
      ],
      [
        [5, 5],
        [5, 5],
      ],
    ]);
    expect(pathViewBox('M 10 20 L 30 25', 2)).toBe('8 18 24 9');
  });
  it('a tap is not a signature', () => {
    expect(isSigned([[[1, 1]]])).toBe(false);
    expect(
      isSigned([
        [
          [0, 0],
          [40, 0],
        ],
      ]),
    ).toBe(true);
  });
});

describe('the book on the device', () => {
  it('a pull stores the sample book; a reset replaces it and ends a resync', async () => {
    const db = new RepDb('book-' + Math.random());
    await db.setMeta('resync', true);
    await db.staging.add({
      reset: true,
      cursor: 'k1',
      changes: [{ entity: 'samples', id: 'samples', op: 'put', data: makeBook() }],
    });
    await applyStaged(db);
    const row = await db.samplebook.get('samples');
    expect(row?.lots.length).toBe(3);
    expect(await db.getMeta('resync')).toBeUndefined();
    const next = { ...makeBook(), lots: [] };
    await db.staging.add({
      reset: false,
      cursor: 'k2',
      changes: [{ entity: 'samples', id: 'samples', op: 'put', data: next }],
    });
    await applyStaged(db);
    expect((await db.samplebook.get('samples'))?.lots).toEqual([]);
    db.close();
  });
  it('after an upgrade asked for a resync, the next pull starts without a cursor', async () => {
    const db = new RepDb('resync-' + Math.random());
    await db.setMeta('cursor', 'old');
    await db.setMeta('resync', true);
    const seen: string[] = [];
    const f = (async (url: string) => {
      seen.push(url);
      return new Response(
        JSON.stringify({ reset: true, has_more: false, cursor: 'new', changes: [] }),
        { status: 200 },
      );
    }) as unknown as typeof fetch;
    const e = new SyncEngine({ db, getToken: () => 't', fetch: f, baseUrl: 'http://x' });
    await e.pullOnce();
    expect(seen[0]).not.toContain('cursor=');
    expect(await db.getMeta('cursor')).toBe('new');
    expect(await db.getMeta('resync')).toBeUndefined();
    await e.pullOnce();
    expect(seen[1]).toContain('cursor=new');
    db.close();
  });
  it('sample mutations go out with their kind and payload', () => {
    const i = newMutationItem('sample.count', {
      id: 'n',
      counted_at: '2026-06-15T10:00:00Z',
      lines: [{ lot_id: LA, quantity: 0 }],
      explanation: null,
    });
    expect(toMutation(i)).toEqual({
      id: i.id,
      client_ts: i.client_ts,
      kind: 'sample.count',
      payload: i.payload,
    });
  });
});
