// The field side of HCP master data: the synced matching model and data requests in IndexedDB,
// the duplicate check on the device, proposed HCPs usable at once, the request list, and the
// helpers of the "propose a new HCP" and "propose a change" forms.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Hcp } from '../src/api/types';
import { applyStaged, RepDb } from '../src/offline/db';
import type { OutboxItem } from '../src/offline/records';
import { loadLocalData, buildLocalData, searchLocal } from '../src/offline/local';
import { blockingIndex, hcpMatchRecord, localCheck } from '../src/offline/localMatch';
import type { DeviceModel } from '../src/offline/matchModel';
import { newMutationItem, pushBatch, withResult } from '../src/offline/outbox';
import {
  proposedHcp,
  queueProposal,
  requestRows,
  unsyncedProposals,
  withProposals,
} from '../src/offline/proposals';
import type { SyncEngine } from '../src/offline/engine';
import type { DataRequest, HcpProposal } from '../src/offline/types';
import {
  emptyProposalForm,
  formFieldOf,
  matchReady,
  toHcpInput,
  toMatchRecord,
  toProposal,
  validateProposal,
  type ProposalForm,
} from '../src/lib/hcpProposal';
import {
  changeFieldOf,
  changeFormOf,
  describeChange,
  toHcpChange,
  validateChange,
} from '../src/lib/hcpChange';
import { npiCheckDigit, npiProblem } from '../src/lib/npi';
import { agreedFields } from '../src/screens/proposals/MatchPanel';

const vectors = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../crates/domain/vectors/matching_rules.json', import.meta.url)),
    'utf8',
  ),
);
const model: DeviceModel = { parameters: vectors.parameters, thresholds: vectors.thresholds };

function hcp(id: string, first: string, last: string, extra: Partial<Hcp> = {}): Hcp {
  return {
    id,
    npi: '1234567893',
    first_name: first,
    last_name: last,
    credentials: 'MD',
    specialty_code: '207RC0000X',
    specialty_name: 'Cardiovascular disease',
    status: 'active',
    language: 'en',
    address: { line1: '12 Main Street', city: 'Boston', state: 'MA', zip: '02139' },
    phone: null,
    master_status: 'verified',
    licences: [],
    preferred_call_times: [],
    affiliations: [],
    segments: [],
    do_not_call: null,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...extra,
  } as Hcp;
}

const form = (extra: Partial<ProposalForm> = {}): ProposalForm => ({
  npi: '1234567893',
  first_name: 'Jane',
  last_name: 'Doe',
  credentials: 'MD',
  specialty_code: '207RC0000X',
  line1: '12 Main Street',
  city: 'Boston',
  state: 'MA',
  zip: '02139',
  phone: '',
  note: '',
  ...extra,
});

const proposal = (hcpId: string, first: string, last: string): HcpProposal => ({
  id: `req-${hcpId}`,
  hcp_id: hcpId,
  hcp: toHcpInput(form({ first_name: first, last_name: last, npi: '1993999998' })),
  note: null,
  confirmed_different: false,
});

const request = (id: string, extra: Partial<DataRequest> = {}): DataRequest => ({
  id,
  kind: 'change',
  hcp_id: 'h1',
  hcp_name: 'Robert Smith, MD',
  status: 'approved',
  changes: [{ field: 'status', from: 'active', to: 'retired' }],
  note: null,
  proposed_by: 'Rep One',
  proposed_at: '2026-11-01T10:00:00Z',
  decided_by: 'ops',
  decided_at: '2026-11-02T10:00:00Z',
  decision_reason: 'Confirmed with the practice',
  merged_into: null,
  matches: [],
  ...extra,
});

describe('the matching model and data requests in IndexedDB', () => {
  it('a pull stores the model under meta `matching` and the requests; a reset replaces both', async () => {
    const db = new RepDb('mx-' + Math.random());
    const put = (entity: string, id: string, data: unknown) =>
      ({ entity, id, op: 'put', data }) as never;
    await db.staging.add({
      reset: true,
      cursor: 'k1',
      changes: [
        put('matching', 'matching', model),
        put('data_request', 'r1', request('r1')),
        put(
          'data_request',
          'r2',
          request('r2', { proposed_at: '2026-11-03T10:00:00Z', status: 'pending' }),
        ),
      ],
    });
    expect(await applyStaged(db)).toBe(3);
    const data = await loadLocalData(db);
    expect(data.model?.thresholds).toEqual(vectors.thresholds);
    expect(data.requests.map((r) => r.id)).toEqual(['r2', 'r1']); // newest first
    await db.staging.add({
      reset: true,
      cursor: 'k2',
      changes: [put('data_request', 'r3', request('r3'))],
    });
    await applyStaged(db);
    expect(await db.getMeta('matching')).toBeUndefined();
    expect((await db.data_requests.toArray()).map((r) => r.id)).toEqual(['r3']);
    db.close();
  });
});

describe('the duplicate check on the device', () => {
  const hcps = [
    hcp('h1', 'Robert', 'Smith'),
    hcp('h2', 'Alice', 'Jones', {
      npi: '1000000004',
      address: { line1: '9 Oak Road', city: 'Boston', state: 'MA', zip: '02118' },
    }),
    hcp('h3', 'Rob', 'Smyth', {
      npi: '1000000012',
      address: { line1: '400 Elm Avenue', city: 'Boston', state: 'MA', zip: '02118' },
    }),
    hcp('h4', 'Bob', 'Smith', { npi: '1000000020' }),
  ];
  it('finds the same person by a nickname, most likely first (then by name), not a namesake who lives elsewhere', () => {
    const typed = {
      ...toMatchRecord(
        form({ npi: '', first_name: 'Bob', last_name: 'Smith', line1: '12 Main St' }),
      ),
    };
    const check = localCheck(hcps, model, typed);
    expect(check.matches.map((m) => m.id)).toEqual(['h4', 'h1']);
    expect(check.matches.map((m) => m.score.outcome)).toEqual(['same_record', 'same_record']);
    expect(check.outcome).toBe('same_record');
    expect(check.match_outside_scope).toBe(false);
    expect(check.matches[1].score.fields[1].level).toBe('nickname');
    expect(agreedFields(check.matches[1])).toEqual([
      'last name',
      'first name (nickname)',
      'specialty',
      'street',
      'ZIP',
    ]);
    expect(check.matches[1]).toMatchObject({
      display_name: 'Robert Smith, MD',
      zip: '02139',
      master_status: 'verified',
    });
  });
  it('an NPI on file decides alone; the record being edited is left out', () => {
    const check = localCheck(
      hcps,
      model,
      toMatchRecord(form({ first_name: 'X', last_name: 'Y', npi: '1000000004', zip: '' })),
    );
    expect(check.matches.map((m) => [m.id, m.score.npi_match])).toEqual([['h2', true]]);
    expect(localCheck(hcps, model, hcpMatchRecord(hcps[0]), 'h1').matches.map((m) => m.id)).toEqual(
      ['h4'],
    );
  });
  it('only HCPs sharing a blocking key are compared; the index is built once per list', () => {
    const ix = blockingIndex(hcps);
    expect(blockingIndex(hcps)).toBe(ix);
    expect(ix.byKey.get('z:02139:robert')).toEqual([0, 3]); // Bob files under his formal name
    expect(ix.byKey.get('z:02118:alice')).toEqual([1]);
    expect(
      localCheck(
        hcps,
        model,
        toMatchRecord(
          form({
            npi: '',
            first_name: 'Zelda',
            last_name: 'Quill',
            zip: '99999',
            line1: '1 Nowhere',
          }),
        ),
      ).matches,
    ).toEqual([]);
  });
});

describe('a proposed HCP is usable at once', () => {
  const data = buildLocalData(
    [hcp('h1', 'Robert', 'Smith')],
    [],
    [],
    [],
    null,
    null,
    [],
    model,
    [],
    [{ code: '207Q00000X', name: 'Family medicine' }],
  );
  const p = proposal('new-1', 'Zoe', 'Adams');
  p.hcp.specialty_code = '207Q00000X';
  const item = newMutationItem('hcp.propose', p) as OutboxItem;
  it('appears in the list (sorted, searchable, "proposed") until the pulled record replaces it', () => {
    const shown = withProposals(data, { outbox: [item], lastPullAt: null });
    expect(shown.hcps.map((h) => h.id)).toEqual(['new-1', 'h1']);
    const h = shown.byId.get('new-1')!;
    expect([h.master_status, h.specialty_name, h.status, h.territory]).toEqual([
      'proposed',
      'Family medicine',
      'active',
      null,
    ]);
    expect(searchLocal(shown, 'adams').map((i) => shown.hcps[i].id)).toEqual(['new-1']);
    // Once the server's copy is in the synced data, nothing is added.
    const pulled = buildLocalData(
      [hcp('h1', 'Robert', 'Smith'), proposedHcp(item as never, () => 'x')],
      [],
      [],
      [],
      null,
    );
    expect(withProposals(pulled, { outbox: [item], lastPullAt: null })).toBe(pulled);
  });
  it('applied after the last pull: still shown; linked to an existing HCP or refused: not shown', () => {
    const applied = withResult(
      item,
      { mutation_id: item.id, status: 'applied', errors: [] },
      new Date('2026-11-02T00:00:00Z'),
    );
    expect(unsyncedProposals([applied], '2026-11-01T00:00:00Z')).toHaveLength(1);
    expect(unsyncedProposals([applied], '2026-11-03T00:00:00Z')).toHaveLength(0);
    const linked = withResult(item, {
      mutation_id: item.id,
      status: 'applied',
      code: 'linked',
      message: 'matched Robert Smith',
      errors: [],
    });
    const refused = withResult(item, {
      mutation_id: item.id,
      status: 'rejected',
      code: 'validation_failed',
      errors: [],
    });
    expect(withProposals(data, { outbox: [linked, refused], lastPullAt: null })).toBe(data);
  });
  it('the proposal is sent before a call logged on the new HCP (mutation ids in creation order)', async () => {
    const db = new RepDb('px-' + Math.random());
    const engine = { db, localChanged: async () => {} } as unknown as SyncEngine;
    const queued = await queueProposal(engine, proposal('new-2', 'Ann', 'Bell'));
    const call = newMutationItem('call.submit', { id: 'c1', hcp_ids: ['new-2'] } as never);
    await db.outbox.add(call as OutboxItem);
    expect(pushBatch(await db.outbox.toArray()).map((o) => o.kind)).toEqual([
      'hcp.propose',
      'call.submit',
    ]);
    expect(queued.payload.hcp_id).toBe('new-2');
    db.close();
  });
});

describe('my data requests', () => {
  it('lists those not answered yet first, then the synced ones with their decisions; refused ones say why', () => {
    const change = newMutationItem(
      'hcp.change',
      { id: 'req-c', hcp_id: 'h1', changes: { status: 'retired' }, note: null },
      new Date('2026-11-05T00:00:00Z'),
    );
    const refused = withResult(
      newMutationItem(
        'hcp.propose',
        proposal('n9', 'Ann', 'Bell'),
        new Date('2026-11-04T00:00:00Z'),
      ),
      {
        mutation_id: 'x',
        status: 'rejected',
        code: 'duplicate_npi',
        message: 'Robert Smith already has NPI 1993999998',
        errors: [],
      },
    );
    const h = hcp('h1', 'Robert', 'Smith');
    const rows = requestRows([request('r1')], [change, refused] as OutboxItem[], null, (o) => ({
      hcp_name: 'Robert Smith',
      changes: describeChange(h, o.payload.changes, () => 'Account'),
    }));
    expect(rows.map((r) => [r.id, r.kind, r.status, r.sync])).toEqual([
      ['req-c', 'change', 'pending', 'pending'],
      ['req-n9', 'new_hcp', 'pending', 'refused'],
      ['r1', 'change', 'approved', 'synced'],
    ]);
    expect(rows[0].changes).toEqual([{ field: 'status', from: 'active', to: 'retired' }]);
    expect(rows[1].refusal).toMatch(/already has NPI/);
    expect(rows[2].decision_reason).toBe('Confirmed with the practice');
  });
});

describe('the "propose a new HCP" form', () => {
  it('checks the NPI check digit as the server does', () => {
    expect(npiCheckDigit('123456789')).toBe(3);
    expect(npiProblem('1234567893')).toBeNull();
    expect(npiProblem('1234567890')).toBe('check digit does not match (expected 3)');
    expect(npiProblem('12345')).toBe('must be exactly 10 digits');
  });
  it('names every missing or wrong field', () => {
    expect(validateProposal(form())).toEqual({});
    const e = validateProposal({
      ...emptyProposalForm(),
      npi: '1234567890',
      state: 'XX',
      zip: '123',
      phone: '555',
    });
    expect(Object.keys(e).sort()).toEqual([
      'city',
      'first_name',
      'last_name',
      'line1',
      'npi',
      'phone',
      'specialty_code',
      'state',
      'zip',
    ]);
    expect(e.npi).toMatch(/expected 3/);
    expect(
      validateProposal(form({ zip: '02139-4307', phone: '(617) 555-0134', state: 'ma' })),
    ).toEqual({});
    expect(validateProposal(form({ note: 'x'.repeat(501) })).note).toBeTruthy();
  });
  it('pre-fills the name searched for; builds the proposal and the record the matcher compares', () => {
    expect(emptyProposalForm('Mary Ann Lee')).toMatchObject({
      first_name: 'Mary Ann',
      last_name: 'Lee',
    });
    expect(emptyProposalForm('Lee')).toMatchObject({ first_name: '', last_name: 'Lee' });
    expect(emptyProposalForm('1234')).toMatchObject({ first_name: '', last_name: '' });
    const p = toProposal(
      form({ first_name: ' Jane ', state: 'ma', note: ' ' }),
      { id: 'r', hcp_id: 'h' },
      true,
    );
    expect(p).toMatchObject({ id: 'r', hcp_id: 'h', note: null, confirmed_different: true });
    expect(p.hcp).toMatchObject({
      first_name: 'Jane',
      address: { state: 'MA', zip: '02139', line2: null },
      phone: null,
    });
    const r = toMatchRecord(form({ npi: '', city: ' ', phone: '617 555 0134' }));
    expect(r).toMatchObject({
      npi: null,
      city: null,
      phone: '617 555 0134',
      street: '12 Main Street',
      affiliations: [],
    });
    expect(matchReady({ last_name: ' ', npi: '' })).toBe(false);
    expect(matchReady({ last_name: '', npi: '1' })).toBe(true);
  });
  it('maps the server field names onto the form', () => {
    expect(formFieldOf('address.zip')).toBe('zip');
    expect(formFieldOf('npi')).toBe('npi');
    expect(formFieldOf('licences[0].state')).toBeNull();
  });
});

describe('the "propose a change" form', () => {
  const h = hcp('h1', 'Robert', 'Smith', {
    phone: '6175550134',
    affiliations: [
      {
        account_id: 'a1',
        account_name: 'General',
        account_type: 'hospital',
        role: 'Staff',
        primary: true,
      },
    ] as never,
  });
  it('sends only what differs from the profile', () => {
    const f = changeFormOf(h);
    expect(toHcpChange(h, f)).toEqual({});
    expect(validateChange(h, f)).toEqual({ changes: 'Change at least one field.' });
    expect(toHcpChange(h, { ...f, phone: '(617) 555-0134' })).toEqual({});
    expect(toHcpChange(h, { ...f, status: 'retired' })).toEqual({ status: 'retired' });
    const moved = toHcpChange(h, {
      ...f,
      line1: '400 Elm Avenue',
      zip: '02118',
      account_id: 'a2',
      role: ' Attending ',
    });
    expect(moved).toEqual({
      address: { ...h.address, line1: '400 Elm Avenue', zip: '02118' },
      affiliation: { account_id: 'a2', role: 'Attending' },
    });
    expect(describeChange(h, moved, (id) => `Acc ${id}`).map((l) => l.field)).toEqual([
      'address',
      'affiliation',
    ]);
  });
  it('checks the fields that change', () => {
    const f = changeFormOf(h);
    expect(validateChange(h, { ...f, zip: '1', state: 'ZZ' })).toMatchObject({
      zip: expect.any(String),
      state: expect.any(String),
    });
    expect(validateChange(h, { ...f, phone: '12' }).phone).toBeTruthy();
    expect(validateChange(h, { ...f, account_id: 'a1' }).account_id).toMatch(/already/);
    expect(validateChange(h, { ...f, status: 'deceased' })).toEqual({});
    expect(changeFieldOf('address.zip')).toBe('zip');
    expect(changeFieldOf('affiliation.account_id')).toBe('account_id');
    expect(changeFieldOf('changes')).toBe('changes');
  });
});
