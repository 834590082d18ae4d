// The call form's pure rules (src/offline/callDraft.ts): what the rep's picks change in a draft,
// the products and attendees offered, the samples' messages and the disbursement submitted.
import { describe, expect, test } from 'vitest';
import type { Hcp } from '../src/api/types';
import type { DisbursementState } from '../src/components/CallSamples';
import {
  callTypePick,
  detailedProducts,
  groupAttendees,
  newDraft,
  productToggle,
  sampleErrors,
  submittedDisbursement,
  toggled,
} from '../src/offline/callDraft';
import type { SamplesDraft } from '../src/offline/records';
import type { KeyMessage, Product } from '../src/offline/types';

function hcp(id: string, extra: Partial<Hcp> = {}): Hcp {
  return {
    id,
    first_name: 'Ana',
    last_name: 'Ruiz',
    status: 'active',
    affiliations: [],
    segments: [],
    ...extra,
  } as unknown as Hcp;
}

const lead = hcp('h1', {
  affiliations: [
    { account_id: 'a1', account_name: 'Clinic', primary: false },
    { account_id: 'a2', account_name: 'Hospital', primary: true },
  ],
  segments: [
    { product_id: 'p1', product_name: 'Segmented one' },
    { product_id: 'p2', product_name: 'Segmented two' },
    { product_id: 'p1', product_name: 'Segmented one' },
  ],
} as unknown as Partial<Hcp>);

const messages: KeyMessage[] = [
  { id: 'k1', kind: 'benefit', product_id: 'p1', text: 'works' },
  { id: 'k2', kind: 'risk', product_id: 'p1', text: 'side effects' },
  { id: 'k3', kind: 'benefit', product_id: 'p2', text: 'also works' },
];

const samples = (extra: Partial<SamplesDraft> = {}): SamplesDraft => ({
  id: 'd1',
  lines: [{ sku_id: 's1', quantity: 2, lot_id: null }],
  warnings_acknowledged: false,
  signature: null,
  ...extra,
});

const state = (extra: Partial<DisbursementState> = {}): DisbursementState =>
  ({
    expanded: { lines: [{ sku_id: 's1', lot_id: 'L1', quantity: 2 }], owner: [0] },
    blocked: false,
    warnings: [],
    signed: false,
    ...extra,
  }) as unknown as DisbursementState;

describe('a new draft', () => {
  test('is with the HCP now, at their primary account, detailing their segment products once', () => {
    const d = newDraft(lead);
    expect(d.hcp_ids).toEqual(['h1']);
    expect(d.call_type).toBe('in_person');
    expect(d.account_id).toBe('a2');
    expect(d.product_ids).toEqual(['p1', 'p2']);
    expect(new Date(d.called_at).getSeconds()).toBe(0);
    expect(d.disbursement).toBeNull();
    expect(newDraft(lead, 'phone').call_type).toBe('phone');
  });
});

describe("the rep's picks", () => {
  test('toggled adds or removes an id', () => {
    expect(toggled(['a'], 'b')).toEqual(['a', 'b']);
    expect(toggled(['a', 'b'], 'a')).toEqual(['b']);
  });

  test('a one-to-one call type keeps only the lead HCP; a group keeps the attendees', () => {
    const d = { ...newDraft(lead), call_type: 'group' as const, hcp_ids: ['h1', 'h2'] };
    expect(callTypePick(d, 'phone', 'h1')).toEqual({ call_type: 'phone', hcp_ids: ['h1'] });
    expect(callTypePick(d, 'group', 'h1')).toEqual({ call_type: 'group', hcp_ids: ['h1', 'h2'] });
  });

  test('unticking a product drops its key messages; ticking adds it', () => {
    const d = { ...newDraft(lead), key_message_ids: ['k1', 'k2', 'k3'] };
    expect(productToggle(d, 'p1', messages)).toEqual({
      product_ids: ['p2'],
      key_message_ids: ['k3'],
    });
    expect(productToggle(d, 'p9', messages)).toEqual({ product_ids: ['p1', 'p2', 'p9'] });
  });
});

describe('what the form offers', () => {
  test('group attendees are the HCPs at the chosen account, none for a one-to-one call', () => {
    const at = (id: string, account: string) =>
      hcp(id, {
        affiliations: [{ account_id: account }],
      } as unknown as Partial<Hcp>);
    const hcps = [at('h1', 'a1'), at('h2', 'a1'), at('h3', 'a2'), hcp('h4')];
    expect(groupAttendees(hcps, 'group', 'a1').map((h) => h.id)).toEqual(['h1', 'h2']);
    expect(groupAttendees(hcps, 'group', null)).toEqual([]);
    expect(groupAttendees(hcps, 'in_person', 'a1')).toEqual([]);
  });

  test("product chips: the lead's segments and the draft's products, by brand first", () => {
    const products = new Map([['p2', { id: 'p2', brand: 'Brand two' } as Product]]);
    expect(detailedProducts(lead, ['p3'], products)).toEqual([
      { id: 'p1', name: 'Segmented one' },
      { id: 'p2', name: 'Brand two' },
      { id: 'p3', name: 'p3' },
    ]);
  });
});

describe('samples', () => {
  test('no samples, no messages', () => {
    expect(sampleErrors(null, null, true)).toEqual({});
    expect(sampleErrors(samples({ lines: [] }), state(), true)).toEqual({});
  });

  test('one message at a time: group call, a blocking rule, unconfirmed warnings, no signature', () => {
    expect(Object.keys(sampleErrors(samples(), state({ blocked: true }), false))).toEqual([
      'samples',
    ]);
    expect(sampleErrors(samples(), state({ blocked: true }), true).samples).toMatch(/break a rule/);
    const warned = state({ warnings: [{}] as DisbursementState['warnings'] });
    expect(Object.keys(sampleErrors(samples(), warned, true))).toEqual(['samples_ack']);
    expect(
      Object.keys(sampleErrors(samples({ warnings_acknowledged: true }), warned, true)),
    ).toEqual(['signature']);
    expect(sampleErrors(samples(), state({ signed: true }), true)).toEqual({});
  });

  test('the disbursement submitted is the signed samples with their lots pinned', () => {
    const signature = { signer_name: 'Ana Ruiz' } as unknown as SamplesDraft['signature'];
    expect(submittedDisbursement(samples(), state())).toBeNull();
    expect(submittedDisbursement(null, state())).toBeNull();
    expect(submittedDisbursement(samples({ signature }), state())).toEqual({
      id: 'd1',
      lines: [{ sku_id: 's1', lot_id: 'L1', quantity: 2 }],
      signature,
      warnings_acknowledged: false,
    });
  });
});
