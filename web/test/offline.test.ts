import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { uuidv7, uuidv7Time, UUID_RE } from '../src/offline/uuid';
import {
  callStats,
  computePlan,
  computeProgress,
  cycleKey,
  cycleOf,
  hcpTarget,
  frequencyMap,
  planCycleKind,
  topTier,
} from '../src/offline/plan';
import { callBlockReason, validateCall, type CallDraft } from '../src/offline/validate';
import {
  backoffMs,
  newOutboxItem,
  pushBatch,
  rejectionText,
  resend,
  toMutation,
  withFailure,
  withResult,
} from '../src/offline/outbox';
import { applyStaged, foldPages, mergeCalls, RepDb, type StagedPage } from '../src/offline/db';
import { buildLocalData, loadLocalData, searchLocal } from '../src/offline/local';
import { isKnownChange } from '../src/offline/types';
import { SseParser } from '../src/offline/sse';
import { SyncEngine } from '../src/offline/engine';
import type { Call, CallInput, Change, FrequencyTarget } from '../src/offline/types';
import type { Hcp } from '../src/api/types';

describe('uuidv7', () => {
  it('has version 7, variant 10 and the timestamp', () => {
    const t = Date.UTC(2026, 10, 25, 12, 0, 0, 123);
    const id = uuidv7(t);
    expect(id).toMatch(UUID_RE);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    expect(uuidv7Time(id)).toBe(t);
  });
  it('is unique and sorts in creation order, also within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => uuidv7(1_700_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    const later = uuidv7(1_700_000_000_001 + 5);
    expect(later > ids[ids.length - 1]).toBe(true);
    for (const id of ids) expect(id).toMatch(UUID_RE);
  });
  it('stays monotonic when the clock goes back', () => {
    const a = uuidv7(1_800_000_000_000);
    const b = uuidv7(1_799_999_999_000);
    expect(b > a).toBe(true);
  });
});

const seg = (tier: string) => ({
  product_id: 'p1',
  product_name: 'P1',
  tier,
  decile: 5,
  set_on: '2026-01-01',
});
function hcp(id: string, tier: string | null, extra: Partial<Hcp> = {}): Hcp {
  return {
    id,
    npi: '1' + id.padStart(9, '0'),
    first_name: 'F' + id,
    last_name: 'L' + id,
    credentials: 'MD',
    specialty_code: 'IM',
    specialty_name: 'Internal medicine',
    status: 'active',
    language: 'en',
    address: { line1: '1 Main', city: 'Springfield', state: 'IL', zip: '62701' },
    licences: [],
    preferred_call_times: [],
    affiliations: [],
    segments: tier ? [seg(tier)] : [],
    do_not_call: null,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...extra,
  } as Hcp;
}
const freq = (
  product: string,
  tier: 'A' | 'B' | 'C',
  calls: number,
  cycle: 'month' | 'quarter' = 'month',
): FrequencyTarget => ({
  id: `${product}:${tier}`,
  product_id: product,
  tier,
  cycle,
  calls,
  targeting_version_id: null,
});
const targets: FrequencyTarget[] = [freq('p1', 'A', 2), freq('p1', 'B', 1), freq('p1', 'C', 1)];
const call = (
  id: string,
  hcpIds: string[],
  at: string,
): Pick<CallInput, 'id' | 'hcp_ids' | 'called_at'> => ({ id, hcp_ids: hcpIds, called_at: at });

describe('call plan and progress', () => {
  const now = new Date(2026, 10, 20, 10, 0); // 20 Nov 2026 local
  const iso = (m: number, d: number) => new Date(2026, m, d, 9, 0).toISOString();
  const hcps = [
    hcp('1', 'A'),
    hcp('2', 'A'),
    hcp('3', 'B'),
    hcp('4', 'C'),
    hcp('5', null),
    hcp('6', 'A', {
      do_not_call: { reason: 'asked', set_by: 'x', set_at: '2026-01-01T00:00:00Z' },
    } as Partial<Hcp>),
    hcp('7', 'B', { status: 'deceased' }),
  ];
  it('topTier is the best tier over segments', () => {
    expect(topTier({ segments: [seg('C'), seg('A'), seg('B')] } as Hcp)).toBe('A');
    expect(topTier({ segments: [] } as unknown as Hcp)).toBe(null);
  });
  it('lists callable HCPs still due, tier A first, then longest since the last call', () => {
    const calls = [
      call('c1', ['1'], iso(10, 3)), // this month: HCP 1 has 1 of 2
      call('c2', ['2'], iso(8, 1)), // September: HCP 2 last called long ago
      call('c3', ['3'], iso(10, 5)), // HCP 3 done (1 of 1)
      call('c4', ['1'], iso(9, 30)), // October: not this cycle
    ];
    const plan = computePlan(hcps, targets, calls, now);
    expect(plan.map((p) => p.hcp.id)).toEqual(['2', '1', '4']);
    expect(plan[0]).toMatchObject({ tier: 'A', target: 2, done: 0, due: 2 });
    expect(plan[1]).toMatchObject({ tier: 'A', done: 1, due: 1 });
    expect(plan[2].lastCallAt).toBe(null);
  });
  it('never-called HCPs come before called ones within a tier', () => {
    const plan = computePlan(
      [hcp('1', 'A'), hcp('2', 'A')],
      targets,
      [call('c', ['1'], iso(9, 1))],
      now,
    );
    expect(plan.map((p) => p.hcp.id)).toEqual(['2', '1']);
  });
  it('progress per tier: calls this cycle vs target (group calls count per attendee)', () => {
    const calls = [
      call('c1', ['1', '2'], iso(10, 3)),
      call('c2', ['3'], iso(10, 4)),
      call('old', ['4'], iso(9, 4)),
    ];
    const p = computeProgress(hcps, targets, calls, now);
    expect(p.tiers).toEqual([
      { tier: 'A', done: 2, target: 4, hcps: 2 },
      { tier: 'B', done: 1, target: 1, hcps: 1 },
      { tier: 'C', done: 0, target: 1, hcps: 1 },
    ]);
    expect(p.done).toBe(3);
    expect(p.target).toBe(6);
    const p2 = computeProgress(hcps, targets, [...calls, call('c5', ['4'], iso(10, 20))], now);
    expect(p2.tiers[2].done).toBe(1);
  });
  it('cycle is the local calendar month', () => {
    expect(cycleKey(new Date(2026, 0, 31, 23, 59))).toBe('2026-01');
  });
  it("the largest calls over the HCP's products win; the tier shown is the best one", () => {
    const two = hcp('m', 'B', {
      segments: [seg('B'), { ...seg('C'), product_id: 'p2', product_name: 'P2' }],
    } as Partial<Hcp>);
    const ts = [...targets, freq('p2', 'C', 5)];
    expect(hcpTarget(two.segments, frequencyMap(ts))).toEqual({ tier: 'B', calls: 5 });
    const plan = computePlan([two], ts, [], now);
    expect(plan[0]).toMatchObject({ tier: 'B', target: 5, due: 5 });
    expect(computeProgress([two], ts, [], now).tiers[1]).toEqual({
      tier: 'B',
      done: 0,
      target: 5,
      hcps: 1,
    });
  });
  it('target rows of the old shape (per tier, no product) are ignored', () => {
    const old = [{ id: 'A', tier: 'A', calls_per_month: 9 }] as unknown as FrequencyTarget[];
    expect(frequencyMap(old).size).toBe(0);
    expect(planCycleKind(old)).toBe('month');
    const p = computeProgress(hcps, [...old, ...targets], [], now);
    expect(p.tiers[0]).toEqual({ tier: 'A', done: 0, target: 4, hcps: 2 });
    // Only old rows: HCPs are still tiered, with no calls due.
    expect(computePlan(hcps, old, [], now)).toEqual([]);
    expect(computeProgress(hcps, old, [], now).target).toBe(0);
  });
  it('a quarter cycle counts every call of the calendar quarter', () => {
    const quarterly = [
      freq('p1', 'A', 6, 'quarter'),
      freq('p1', 'B', 3, 'quarter'),
      freq('p1', 'C', 2, 'quarter'),
    ];
    expect(planCycleKind(quarterly)).toBe('quarter');
    expect(planCycleKind([])).toBe('month');
    const calls = [
      call('oct', ['1'], iso(9, 2)),
      call('nov', ['1'], iso(10, 3)),
      call('sep', ['1'], iso(8, 30)),
    ];
    // 20 Nov 2026: Q4 runs from 1 Oct; September is Q3.
    expect(callStats(calls, now, 'quarter').thisCycle.get('1')).toBe(2);
    expect(callStats(calls, now).thisCycle.get('1')).toBe(1);
    const plan = computePlan([hcp('1', 'A')], quarterly, calls, now);
    expect(plan[0]).toMatchObject({ target: 6, done: 2, due: 4 });
    expect(computeProgress([hcp('1', 'A')], quarterly, calls, now).tiers[0]).toEqual({
      tier: 'A',
      done: 2,
      target: 6,
      hcps: 1,
    });
    const q = cycleOf('quarter', now);
    expect(q.label).toBe('2026-Q4');
    expect([q.from.getMonth(), q.to.getFullYear(), q.to.getMonth()]).toEqual([9, 2027, 0]);
    expect(cycleKey(now, 'quarter')).toBe('2026-Q4');
  });
});

describe('call validation', () => {
  const byId = new Map<string, Hcp>([
    ['1', hcp('1', 'A')],
    ['2', hcp('2', 'A')],
    [
      'd',
      hcp('d', 'A', {
        do_not_call: { reason: 'Requested by office', set_by: 'ops', set_at: 'x' },
      } as Partial<Hcp>),
    ],
    ['x', hcp('x', 'A', { status: 'deceased' })],
  ]);
  const base: CallDraft = {
    id: 'c',
    call_type: 'in_person',
    hcp_ids: ['1'],
    account_id: 'a1',
    called_at: new Date(2026, 10, 20, 10, 0).toISOString(),
    product_ids: ['p1'],
    outcome: 'positive',
    next_step: 'follow_up',
    next_step_date: null,
    notes: null,
    key_message_ids: [],
    disbursement: null,
  };
  it('accepts a complete call', () => {
    const now = new Date(2026, 10, 20, 12, 0);
    expect(validateCall(base, byId, now)).toEqual({});
    expect(validateCall({ ...base, next_step_date: '2026-11-20' }, byId, now)).toEqual({});
  });
  it('blocks do-not-call and deceased HCPs with the reason', () => {
    expect(callBlockReason(byId.get('d')!)).toBe('Do not call: Requested by office');
    expect(callBlockReason(byId.get('x')!)).toMatch(/deceased/);
    expect(validateCall({ ...base, hcp_ids: ['d'] }, byId).hcp_ids).toMatch(/Requested by office/);
    expect(validateCall({ ...base, hcp_ids: ['x'] }, byId).hcp_ids).toMatch(/deceased/);
  });
  it('requires outcome and next step; next-step date not before the call', () => {
    const e = validateCall(
      { ...base, outcome: '', next_step: '', next_step_date: '2026-11-19' },
      byId,
    );
    expect(Object.keys(e).sort()).toEqual(['next_step', 'next_step_date', 'outcome']);
  });
  it('rejects a call in the future and overlong notes (like the server); retired HCPs may be called', () => {
    const now = new Date(2026, 10, 20, 10, 0);
    expect(
      validateCall({ ...base, called_at: new Date(2026, 10, 20, 10, 30).toISOString() }, byId, now)
        .called_at,
    ).toMatch(/future/);
    expect(
      validateCall({ ...base, called_at: new Date(2026, 10, 20, 10, 5).toISOString() }, byId, now),
    ).toEqual({});
    expect(validateCall({ ...base, notes: 'x'.repeat(2001) }, byId, now).notes).toBeTruthy();
    expect(callBlockReason(hcp('r', 'A', { status: 'retired' }))).toBe(null);
  });
  it('group call needs 2 attendees and an account', () => {
    const e = validateCall({ ...base, call_type: 'group', account_id: null }, byId);
    expect(e.hcp_ids).toMatch(/at least 2/);
    expect(e.account_id).toBeTruthy();
    expect(
      validateCall(
        { ...base, call_type: 'group', hcp_ids: ['1', '2'] },
        byId,
        new Date(2026, 10, 21),
      ),
    ).toEqual({});
    expect(validateCall({ ...base, hcp_ids: ['1', '2'] }, byId).hcp_ids).toMatch(/group/);
  });
});

const input = (id: string): CallInput => ({
  id,
  call_type: 'in_person',
  hcp_ids: ['1'],
  account_id: null,
  called_at: '2026-11-20T10:00:00Z',
  product_ids: [],
  outcome: 'o',
  next_step: 'n',
  next_step_date: null,
  notes: null,
  corrects: null,
  correction_reason: null,
  key_message_ids: [],
  disbursement: null,
});

describe('outbox state machine', () => {
  it('sends pending items in mutation-id order', () => {
    const a = newOutboxItem(input('c1'), new Date(1000));
    const b = newOutboxItem(input('c2'), new Date(2000));
    const c = { ...newOutboxItem(input('c3'), new Date(3000)), status: 'applied' as const };
    expect(pushBatch([b, c, a]).map((i) => i.payload.id)).toEqual(['c1', 'c2']);
    expect(toMutation(a)).toEqual({
      id: a.id,
      client_ts: a.client_ts,
      kind: 'call.submit',
      payload: a.payload,
    });
  });
  it('moves on results, stays pending on transport failures, resend makes a new mutation id', () => {
    const a = newOutboxItem(input('c1'));
    const f = withFailure(a, 'Failed to fetch');
    expect(f).toMatchObject({ status: 'pending', attempts: 1, last_error: 'Failed to fetch' });
    const ok = withResult(f, {
      mutation_id: a.id,
      status: 'applied',
      code: null,
      message: null,
      errors: [],
    });
    expect(ok.status).toBe('applied');
    // A later (replayed) result does not move a finished item.
    expect(
      withResult(ok, {
        mutation_id: a.id,
        status: 'rejected',
        code: 'conflict',
        message: null,
        errors: [],
      }).status,
    ).toBe('applied');
    const rej = withResult(a, {
      mutation_id: a.id,
      status: 'rejected',
      code: 'do_not_call',
      message: 'HCP is DNC',
      errors: [],
    });
    expect(rej.status).toBe('rejected');
    expect(rejectionText(rej.result)).toMatch(/do-not-call/);
    expect(() => resend(ok)).toThrow();
    const [old, fresh] = resend(rej);
    expect(old.status).toBe('superseded');
    expect(fresh.status).toBe('pending');
    expect(fresh.id).not.toBe(rej.id);
    expect(fresh.payload.id).toBe('c1');
    expect(backoffMs(1)).toBe(2000);
    expect(backoffMs(10)).toBe(60_000);
  });
  it('merges outbox calls with synced ones: the server copy wins, rejected ones are left out', () => {
    const synced = [
      { ...input('c1'), rep_id: 'r', flags: ['fair_balance'], submitted_at: 'x' } as Call,
    ];
    const o1 = { ...newOutboxItem(input('c1')), status: 'applied' as const };
    const o2 = newOutboxItem(input('c2'));
    const o3 = { ...newOutboxItem(input('c3')), status: 'rejected' as const };
    const m = mergeCalls(synced, [o1, o2, o3], 'r');
    expect(m.map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(m[0].flags).toEqual(['fair_balance']);
  });
});

describe('pull staging and atomic apply', () => {
  const put = (entity: Change['entity'], id: string, data: object): Change =>
    ({ entity, id, op: 'put', data }) as Change;
  const del = (entity: Change['entity'], id: string): Change =>
    ({ entity, id, op: 'delete', data: null }) as Change;
  it('folds pages; a reset drops what came before it; the last change wins', () => {
    const pages: StagedPage[] = [
      { reset: false, cursor: 'a', changes: [put('hcp', 'h0', { id: 'h0' })] },
      {
        reset: true,
        cursor: 'b',
        changes: [put('hcp', 'h1', { id: 'h1', v: 1 }), put('hcp', 'h3', { id: 'h3' })],
      },
      {
        reset: true,
        cursor: 'c',
        changes: [put('hcp', 'h1', { id: 'h1', v: 2 }), del('hcp', 'h2')],
      },
    ];
    const f = foldPages(pages);
    expect(f.reset).toBe(true);
    expect(f.cursor).toBe('c');
    // Every page of a reset checkpoint says reset: all of them count, from the first one on.
    expect([...f.ops.get('hcp')!.entries()]).toEqual([
      ['h1', { id: 'h1', v: 2 }],
      ['h3', { id: 'h3' }],
      ['h2', null],
    ]);
  });
  it('applies a checkpoint in one go; reset keeps outbox and drafts', async () => {
    const db = new RepDb('test-' + Math.random());
    await db.outbox.add(newOutboxItem(input('mine')));
    await db.drafts.put({ id: 'd1', draft: input('d1'), updated_at: 'x', from_mutation: null });
    await db.hcps.put(hcp('old', 'A'));
    await db.staging.add({
      reset: true,
      cursor: 'k1',
      changes: [
        put('picklists', 'picklists', { outcomes: [], next_steps: [], call_types: [] }),
        put('target', 'p1:A', targets[0]),
        put('notice', 'n1', {
          id: 'n1',
          kind: 'realignment',
          subject_id: 'r1',
          title: 'T',
          body: 'B',
          created_at: '2026-11-01T00:00:00Z',
        }),
        put('hcp', 'h1', hcp('h1', 'A')),
      ],
    });
    await db.staging.add({
      reset: false,
      cursor: 'k2',
      changes: [put('hcp', 'h2', hcp('h2', 'B')), put('call', 'c1', { ...input('c1') })],
    });
    expect(await applyStaged(db)).toBe(6);
    expect((await db.notices.get('n1'))?.title).toBe('T');
    expect((await db.hcps.toArray()).map((h) => h.id).sort()).toEqual(['h1', 'h2']);
    expect(await db.getMeta('cursor')).toBe('k2');
    expect(await db.outbox.count()).toBe(1);
    expect(await db.drafts.count()).toBe(1);
    expect(await db.staging.count()).toBe(0);
    expect(await db.calls.get('c1')).toBeTruthy();
    // An incremental page: delete + update, no reset.
    await db.staging.add({
      reset: false,
      cursor: 'k3',
      changes: [
        del('hcp', 'h1'),
        put('target', 'p1:A', { ...targets[0], calls: 3 }),
        del('notice', 'n1'),
      ],
    });
    await applyStaged(db);
    expect((await db.hcps.toArray()).map((h) => h.id)).toEqual(['h2']);
    expect((await db.targets.get('p1:A'))!.calls).toBe(3);
    expect(await db.notices.count()).toBe(0);
    expect(await db.getMeta('cursor')).toBe('k3');
    db.close();
  });
  it('a failed apply leaves the tables and the cursor as they were', async () => {
    const db = new RepDb('test-' + Math.random());
    await db.hcps.put(hcp('keep', 'A'));
    await db.setMeta('cursor', 'k0');
    await db.staging.add({
      reset: true,
      cursor: 'k1',
      changes: [put('hcp', 'h1', hcp('h1', 'A')), put('call', 'c', { ...input('c') })],
    });
    // Writing the calls fails after the reset cleared the tables and the HCPs were written.
    db.calls.bulkPut = () => Promise.reject(new Error('boom')) as never;
    await expect(applyStaged(db)).rejects.toThrow(/boom/);
    expect((await db.hcps.toArray()).map((h) => h.id)).toEqual(['keep']);
    expect(await db.getMeta('cursor')).toBe('k0');
    expect(await db.staging.count()).toBe(1);
    db.close();
  });
});

describe('notices', () => {
  it('are a known sync entity, kept in their table and loaded newest first', async () => {
    expect(isKnownChange({ entity: 'notice', id: 'n', op: 'put', data: {} } as never)).toBe(true);
    const db = new RepDb('test-' + Math.random());
    const n = (id: string, at: string) => ({
      id,
      kind: 'realignment',
      subject_id: 'r',
      title: id,
      body: '',
      created_at: at,
    });
    await db.notices.bulkPut([
      n('old', '2026-11-01T09:00:00Z'),
      n('new', '2026-11-20T09:00:00Z'),
      n('mid', '2026-11-10T09:00:00Z'),
    ]);
    const d = await loadLocalData(db);
    expect(d.notices.map((x) => x.id)).toEqual(['new', 'mid', 'old']);
    db.close();
  });
});

describe('local search', () => {
  it('matches every word against "last first npi", like the API', () => {
    const hs = [
      hcp('1', 'A', { last_name: 'Smith', first_name: 'Anna' }),
      hcp('2', 'A', { last_name: 'Jones', first_name: 'Bob', npi: '1234567893' }),
    ];
    const d = buildLocalData(hs, [], [], [], null);
    expect(d.hcps.map((h) => h.last_name)).toEqual(['Jones', 'Smith']);
    expect(searchLocal(d, 'smi').map((i) => d.hcps[i].id)).toEqual(['1']);
    expect(searchLocal(d, 'anna SMITH').length).toBe(1);
    expect(searchLocal(d, '456789').map((i) => d.hcps[i].id)).toEqual(['2']);
    expect(searchLocal(d, '').length).toBe(2);
  });
  it('is fast at 15,000 HCPs', () => {
    const hs = Array.from({ length: 15_000 }, (_, i) =>
      hcp(String(i), 'B', { last_name: 'Name' + (i % 997), first_name: 'First' + i }),
    );
    const d = buildLocalData(hs, [], [], [], null);
    const t0 = performance.now();
    for (const q of ['n', 'na', 'nam', 'name', 'name1', 'name12', 'name123 first'])
      searchLocal(d, q);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe('SSE parser', () => {
  it('yields events, skips heartbeat comments, handles split chunks', () => {
    const p = new SseParser();
    expect(p.push(': heartbeat\n\n')).toEqual([]);
    expect(p.push('event: po')).toEqual([]);
    expect(p.push('ke\ndata: {}\n')).toEqual([]);
    expect(p.push('\n')).toEqual([{ event: 'poke', data: '{}' }]);
    expect(p.push('data: a\r\ndata: b\r\n\r\n')).toEqual([{ event: 'message', data: 'a\nb' }]);
  });
});

describe('sync engine pull (fake server)', () => {
  const page = (n: number, of: number, reset = true) => ({
    reset,
    has_more: n < of,
    cursor: `c${n}`,
    changes: [
      { entity: 'hcp', id: `h${n}`, op: 'put', data: hcp(`h${n}`, 'A') },
      { entity: 'future_thing', id: 'x', op: 'put', data: {} },
    ],
  });
  function fakeFetch(pages: object[], failAt = -1) {
    const seen: string[] = [];
    const f = (async (url: string) => {
      seen.push(url);
      const i = seen.length - 1;
      if (i === failAt) throw new TypeError('Failed to fetch');
      return new Response(JSON.stringify(pages[i]), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }) as unknown as typeof fetch;
    return { f, seen };
  }
  it('stages a multi-page reset checkpoint and applies all of it, then stores the cursor', async () => {
    const db = new RepDb('eng-' + Math.random());
    await db.hcps.put(hcp('gone', 'B'));
    const { f, seen } = fakeFetch([page(1, 3), page(2, 3), page(3, 3)]);
    const e = new SyncEngine({
      db,
      getToken: () => 't',
      fetch: f,
      baseUrl: 'http://x',
      pageLimit: 1,
    });
    await e.pullOnce();
    expect((await db.hcps.toArray()).map((h) => h.id).sort()).toEqual(['h1', 'h2', 'h3']);
    expect(await db.getMeta('cursor')).toBe('c3');
    expect(seen[0]).toBe('http://x/api/v1/sync/pull?limit=1');
    expect(seen[2]).toContain('cursor=c2');
    expect(e.state.ready).toBe(true);
    db.close();
  });
  it('a pull cut off mid-checkpoint applies nothing and keeps the old cursor', async () => {
    const db = new RepDb('eng-' + Math.random());
    await db.hcps.put(hcp('keep', 'B'));
    await db.setMeta('cursor', 'c0');
    const { f } = fakeFetch([page(1, 3, false), page(2, 3, false)], 1);
    const e = new SyncEngine({ db, getToken: () => 't', fetch: f, baseUrl: 'http://x' });
    await expect(e.pullOnce()).rejects.toThrow(/Failed to fetch/);
    expect((await db.hcps.toArray()).map((h) => h.id)).toEqual(['keep']);
    expect(await db.getMeta('cursor')).toBe('c0');
    db.close();
  });
});
