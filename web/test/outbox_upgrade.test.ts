// Pitfall from the sync issue: an outbox lost on an app upgrade or a schema change. A later
// build that changes the schema (a new index, a new table, a reshaped synced table) must find
// every queued mutation still there.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, test } from 'vitest';
import { RepDb } from '../src/offline/db';

/** What a future build would declare: version 1 as today, then a version 2 with changes. */
class NextBuildDb extends RepDb {
  constructor(name: string) {
    super(name);
    this.version(2)
      .stores({ hcps: 'id, last_name, first_name, npi, specialty_code', samples: 'id, lot' })
      .upgrade(async (tx) => {
        await tx.table('hcps').clear(); // synced data may be dropped and re-pulled …
      });
  }
}

describe('the outbox survives a schema upgrade', () => {
  test('queued mutations and drafts are still there after the new build opens the database', async () => {
    const name = `upgrade-${Math.random()}`;
    const before = new RepDb(name);
    await before.outbox.put({ id: 'm1', status: 'pending' } as never);
    await before.drafts.put({ id: 'd1', updated_at: '2026-11-25T10:00:00Z' } as never);
    await before.hcps.put({ id: 'h1', last_name: 'Lopez', first_name: 'Ana', npi: '1234567893' } as never);
    before.close();

    const after = new NextBuildDb(name);
    await after.open();
    expect(after.verno).toBe(2);
    expect((await after.outbox.toArray()).map((m) => m.id)).toEqual(['m1']); // … the outbox never is.
    expect((await after.drafts.toArray()).map((d) => d.id)).toEqual(['d1']);
    expect(await after.hcps.count()).toBe(0);
    after.close();
    await Dexie.delete(name);
  });
});
