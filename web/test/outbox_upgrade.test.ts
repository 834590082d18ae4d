// Pitfall from the sync issue: an outbox lost on an app upgrade or a schema change. A later
// build that changes the schema (a new index, a new table, a reshaped synced table) must find
// every queued mutation still there.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, test } from 'vitest';
import { RepDb } from '../src/offline/db';

/** The database as the first build (schema version 1, before samples) declared it. */
class FirstBuildDb extends Dexie {
  constructor(name: string) {
    super(name);
    this.version(1).stores({
      hcps: 'id, last_name, first_name, npi',
      accounts: 'id',
      products: 'id',
      targets: 'id',
      calls: 'id, *hcp_ids, called_at',
      meta: 'key',
      staging: '++seq',
      outbox: 'id, status',
      drafts: 'id, updated_at',
    });
  }
}

/** The database as the build before notices (schema version 2) declared it. */
class SampleBuildDb extends FirstBuildDb {
  constructor(name: string) {
    super(name);
    this.version(2).stores({ samplebook: 'id' });
  }
}

/** The database as the build before data requests (schema version 3) declared it. */
class NoticeBuildDb extends SampleBuildDb {
  constructor(name: string) {
    super(name);
    this.version(3).stores({ notices: 'id, created_at' });
  }
}

/** What a future build would declare: the versions of today, then one more with changes. */
class NextBuildDb extends RepDb {
  constructor(name: string) {
    super(name);
    this.version(5)
      .stores({ hcps: 'id, last_name, first_name, npi, specialty_code', visits: 'id, lot' })
      .upgrade(async (tx) => {
        await tx.table('hcps').clear(); // synced data may be dropped and re-pulled …
      });
  }
}

describe('the outbox survives a schema upgrade', () => {
  test('version 1 -> 2 -> 3 -> 4 (the sample book, notices, data requests): outbox and drafts stay, the synced data stays usable, one full pull is asked for', async () => {
    const name = `upgrade-v2-${Math.random()}`;
    const v1 = new FirstBuildDb(name);
    await v1
      .table('outbox')
      .put({ id: 'm1', status: 'pending', kind: 'call.submit', payload: { id: 'c1' } });
    await v1
      .table('drafts')
      .put({ id: 'd1', updated_at: '2026-11-25T10:00:00Z', draft: { id: 'd1' } });
    await v1
      .table('hcps')
      .put({ id: 'h1', last_name: 'Lopez', first_name: 'Ana', npi: '1234567893' });
    await v1.table('meta').put({ key: 'cursor', value: 'c-1' });
    v1.close();

    const v2 = new RepDb(name);
    await v2.open();
    expect(v2.verno).toBe(4);
    expect((await v2.outbox.toArray()).map((m) => m.id)).toEqual(['m1']);
    expect((await v2.drafts.toArray()).map((d) => d.id)).toEqual(['d1']);
    // The app keeps working offline on what it has (cursor kept) until the full pull replaces it.
    expect(await v2.hcps.count()).toBe(1);
    expect(await v2.getMeta('cursor')).toBe('c-1');
    expect(await v2.getMeta('resync')).toBe(true);
    expect(await v2.samplebook.count()).toBe(0);
    v2.close();
    await Dexie.delete(name);
  });

  test('version 2 -> 4 (notices, targets per product x tier, data requests): outbox and drafts stay, one full pull is asked for', async () => {
    const name = `upgrade-v3-${Math.random()}`;
    const v2 = new SampleBuildDb(name);
    await v2
      .table('outbox')
      .put({ id: 'm1', status: 'pending', kind: 'sample.count', payload: { id: 's1' } });
    await v2
      .table('outbox')
      .put({ id: 'm2', status: 'rejected', kind: 'call.submit', payload: { id: 'c2' } });
    await v2
      .table('drafts')
      .put({ id: 'd1', updated_at: '2026-11-25T10:00:00Z', draft: { id: 'd1' } });
    // A target row of the old shape (calls per month per tier): kept until the full pull replaces it.
    await v2.table('targets').put({ id: 'A', tier: 'A', calls_per_month: 2 });
    await v2.table('meta').put({ key: 'cursor', value: 'c-7' });
    v2.close();

    const v3 = new RepDb(name);
    await v3.open();
    expect(v3.verno).toBe(4);
    expect((await v3.outbox.toArray()).map((m) => [m.id, m.status])).toEqual([
      ['m1', 'pending'],
      ['m2', 'rejected'],
    ]);
    expect((await v3.drafts.toArray()).map((d) => d.id)).toEqual(['d1']);
    expect(await v3.targets.count()).toBe(1);
    expect(await v3.notices.count()).toBe(0);
    expect(await v3.getMeta('cursor')).toBe('c-7');
    expect(await v3.getMeta('resync')).toBe(true);
    v3.close();
    await Dexie.delete(name);
  });

  test('version 3 -> 4 (data requests, the matching model): queued proposals, calls on a proposed HCP and drafts stay; one full pull is asked for', async () => {
    const name = `upgrade-v4-${Math.random()}`;
    const v3 = new NoticeBuildDb(name);
    await v3.table('outbox').put({
      id: 'm1',
      status: 'pending',
      kind: 'call.submit',
      payload: { id: 'c1', hcp_ids: ['h1'] },
    });
    await v3
      .table('outbox')
      .put({ id: 'm2', status: 'applied', kind: 'sample.count', payload: { id: 's1' } });
    await v3
      .table('drafts')
      .put({ id: 'd1', updated_at: '2026-11-25T10:00:00Z', draft: { id: 'd1' } });
    await v3.table('notices').put({ id: 'n1', created_at: '2026-11-25T10:00:00Z' });
    await v3.table('meta').put({ key: 'cursor', value: 'c-9' });
    await v3.table('meta').put({ key: 'picklists', value: { outcomes: [] } });
    v3.close();

    const v4 = new RepDb(name);
    await v4.open();
    expect(v4.verno).toBe(4);
    expect((await v4.outbox.toArray()).map((m) => [m.id, m.status])).toEqual([
      ['m1', 'pending'],
      ['m2', 'applied'],
    ]);
    expect((await v4.drafts.toArray()).map((d) => d.id)).toEqual(['d1']);
    expect(await v4.notices.count()).toBe(1);
    expect(await v4.data_requests.count()).toBe(0);
    expect(await v4.getMeta('matching')).toBeUndefined();
    expect(await v4.getMeta('cursor')).toBe('c-9');
    expect(await v4.getMeta('resync')).toBe(true);
    v4.close();
    await Dexie.delete(name);
  });

  test('a fresh install asks for no extra pull', async () => {
    const name = `upgrade-fresh-${Math.random()}`;
    const db = new RepDb(name);
    await db.open();
    expect(await db.getMeta('resync')).toBeUndefined();
    db.close();
    await Dexie.delete(name);
  });

  test('queued mutations and drafts are still there after the next build opens the database', async () => {
    const name = `upgrade-${Math.random()}`;
    const before = new RepDb(name);
    await before.outbox.put({ id: 'm1', status: 'pending' } as never);
    await before.drafts.put({ id: 'd1', updated_at: '2026-11-25T10:00:00Z' } as never);
    await before.hcps.put({
      id: 'h1',
      last_name: 'Lopez',
      first_name: 'Ana',
      npi: '1234567893',
    } as never);
    before.close();

    const after = new NextBuildDb(name);
    await after.open();
    expect(after.verno).toBe(5);
    expect((await after.outbox.toArray()).map((m) => m.id)).toEqual(['m1']); // … the outbox never is.
    expect((await after.drafts.toArray()).map((d) => d.id)).toEqual(['d1']);
    expect(await after.hcps.count()).toBe(0);
    after.close();
    await Dexie.delete(name);
  });
});
