/** IndexedDB (Dexie) storage of the offline rep app. One database per signed-in user
 * (`pharmacrm-u-<user id>`) plus a device database holding the client id.
 *
 * Tables:
 *  - synced (replaced by a `reset` pull): hcps, accounts, products, targets, calls, notices, and meta key `picklists`
 *  - meta: sync cursor, last sync time, picklists
 *  - staging: pull pages received but not yet applied (cleared at the start of every pull)
 *  - outbox: submitted calls (mutations) and their results. NEVER cleared: not by resets, not by
 *    logout, not by schema upgrades (any future `.upgrade()` must leave it alone).
 *  - drafts: calls being edited (local only). Never cleared by sync either.
 *  - samplebook (synced, version 2): the rep's sample book, one row with id `samples`.
 *  - notices (synced, version 3): what published changes (realignments) do to the rep.
 *  - data_requests (synced, version 4): the user's own proposals (new HCPs, changes) and their
 *    decisions; meta key `matching` (synced): the duplicate model for offline checks.
 *
 * Version 2 added `samplebook`; its upgrade asks for one full pull (meta `resync`), because
 * profiles pulled by version 1 lack the blacklist and DEA registrations the sample rules need.
 * Version 3 added `notices`; its upgrade asks for one full pull too, because frequency targets
 * became per product x tier (rows of the old shape are ignored until the pull replaces them)
 * and notices published before the upgrade were never pulled.
 * Version 4 added `data_requests`; its upgrade asks for one full pull too, so the matching model
 * and the requests arrive and profiles get their `master_status` and `phone`.
 */
import Dexie, { type EntityTable, type Transaction } from 'dexie';
import type { AccountSummary, Hcp } from '../api/types';
import type {
  Call,
  Change,
  DataRequest,
  FrequencyTarget,
  Notice,
  Product,
  SampleBook,
} from './types';
import type { CallDraft } from './validate';
import { isCallItem, type OutboxItem, type SamplesDraft } from './records';
import { uuidv7 } from './uuid';

export interface MetaRow {
  key: string;
  value: unknown;
}

export interface StagedPage {
  seq?: number;
  reset: boolean;
  cursor: string;
  changes: Change[];
}

/** The synced sample book (one row, id `samples`). */
export type SampleBookRow = SampleBook & { id: string };
export const SAMPLE_BOOK_ID = 'samples';

export interface DraftRow {
  /** The call id (kept when the draft is submitted). */
  id: string;
  draft: CallDraft;
  updated_at: string;
  /** Mutation this draft was reopened from (a rejected call being fixed). */
  from_mutation: string | null;
  /** Samples being given during the call (lines, acknowledgement, signature), if any. */
  samples?: SamplesDraft | null;
}

export class RepDb extends Dexie {
  hcps!: EntityTable<Hcp, 'id'>;
  accounts!: EntityTable<AccountSummary, 'id'>;
  products!: EntityTable<Product, 'id'>;
  targets!: EntityTable<FrequencyTarget, 'id'>;
  calls!: EntityTable<Call, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;
  staging!: EntityTable<StagedPage, 'seq'>;
  outbox!: EntityTable<OutboxItem, 'id'>;
  drafts!: EntityTable<DraftRow, 'id'>;
  samplebook!: EntityTable<SampleBookRow, 'id'>;
  notices!: EntityTable<Notice, 'id'>;
  data_requests!: EntityTable<DataRequest, 'id'>;

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
    // Outbox and drafts are left alone (see the header); only a full pull is asked for.
    const askFullPull = async (tx: Transaction) => {
      if (await tx.table('meta').get('cursor'))
        await tx.table('meta').put({ key: 'resync', value: true });
    };
    this.version(2).stores({ samplebook: 'id' }).upgrade(askFullPull);
    this.version(3).stores({ notices: 'id, created_at' }).upgrade(askFullPull);
    this.version(4).stores({ data_requests: 'id, hcp_id' }).upgrade(askFullPull);
  }

  async getMeta<T>(key: string): Promise<T | undefined> {
    return (await this.meta.get(key))?.value as T | undefined;
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    await this.meta.put({ key, value });
  }
}

export function userDbName(userId: string): string {
  return `pharmacrm-u-${userId}`;
}

class DeviceDb extends Dexie {
  kv!: EntityTable<MetaRow, 'key'>;
  constructor() {
    super('pharmacrm-device');
    this.version(1).stores({ kv: 'key' });
  }
}

/** One id per browser install, created on first use and kept in IndexedDB. */
export async function clientId(): Promise<string> {
  const d = new DeviceDb();
  try {
    return await d.transaction('rw', d.kv, async () => {
      const row = await d.kv.get('client_id');
      if (row && typeof row.value === 'string') return row.value;
      const id = uuidv7();
      await d.kv.put({ key: 'client_id', value: id });
      return id;
    });
  } finally {
    d.close();
  }
}

// ---- pull staging/apply ------------------------------------------------------------------------

type EntityTableName =
  | 'hcps'
  | 'accounts'
  | 'products'
  | 'targets'
  | 'calls'
  | 'samplebook'
  | 'notices'
  | 'data_requests';
/** Entities kept as one value under a `meta` key (cleared by a reset like the synced tables). */
export const META_ENTITY = { picklists: 'picklists', matching: 'matching' } as const;
type MetaEntity = keyof typeof META_ENTITY;
export const ENTITY_TABLE: Record<Exclude<Change['entity'], MetaEntity>, EntityTableName> = {
  hcp: 'hcps',
  account: 'accounts',
  product: 'products',
  target: 'targets',
  call: 'calls',
  samples: 'samplebook',
  notice: 'notices',
  data_request: 'data_requests',
};
export const SYNCED_TABLES: EntityTableName[] = [
  'hcps',
  'accounts',
  'products',
  'targets',
  'calls',
  'samplebook',
  'notices',
  'data_requests',
];

export interface Folded {
  reset: boolean;
  cursor: string | null;
  /** entity -> id -> data (null = delete); the last change for an id wins. */
  ops: Map<Change['entity'], Map<string, unknown | null>>;
}

/** Folds the staged pages of one checkpoint (in order) into its final operations. The server
 * marks every page of a reset checkpoint `reset: true`; the full state starts at the first such
 * page, so anything staged before it is dropped. */
export function foldPages(pages: StagedPage[]): Folded {
  const first = pages.findIndex((p) => p.reset);
  const start = first < 0 ? 0 : first;
  const used = pages.slice(start);
  const ops: Folded['ops'] = new Map();
  for (const p of used) {
    for (const c of p.changes) {
      let m = ops.get(c.entity);
      if (!m) ops.set(c.entity, (m = new Map()));
      m.set(c.id, c.op === 'delete' ? null : c.data);
    }
  }
  return {
    reset: used.length > 0 && used[0].reset,
    cursor: pages.length ? pages[pages.length - 1].cursor : null,
    ops,
  };
}

/** Applies everything in `staging` in one transaction, stores the cursor, clears staging.
 * Outbox and drafts are untouched (also on reset). Returns the number of changes applied. */
export async function applyStaged(db: RepDb, now: Date = new Date()): Promise<number> {
  return db.transaction(
    'rw',
    [...SYNCED_TABLES.map((t) => db[t]), db.meta, db.staging],
    async () => {
      const pages = await db.staging.orderBy('seq').toArray();
      if (pages.length === 0) return 0;
      const f = foldPages(pages);
      if (f.reset) {
        for (const t of SYNCED_TABLES) await db[t].clear();
        for (const key of Object.values(META_ENTITY)) await db.meta.delete(key);
        await db.meta.delete('resync');
      }
      let n = 0;
      for (const [entity, m] of f.ops) {
        n += m.size;
        if (entity === 'picklists' || entity === 'matching') {
          const key = META_ENTITY[entity];
          const v = [...m.values()].pop();
          if (v == null) await db.meta.delete(key);
          else await db.meta.put({ key, value: v });
          continue;
        }
        const table = db[ENTITY_TABLE[entity]] as unknown as Dexie.Table<{ id: string }, string>;
        const puts: { id: string }[] = [];
        const dels: string[] = [];
        for (const [id, data] of m) {
          if (data == null) dels.push(id);
          else puts.push({ ...(data as object), id } as { id: string });
        }
        if (dels.length) await table.bulkDelete(dels);
        if (puts.length) await table.bulkPut(puts);
      }
      await db.meta.put({ key: 'cursor', value: f.cursor });
      await db.meta.put({ key: 'last_pull_at', value: now.toISOString() });
      await db.staging.clear();
      return n;
    },
  );
}

/** Calls to show/count: synced calls, plus outbox calls not yet in the synced table
 * (optimistic copies; the pulled server copy replaces them). Rejected/superseded ones are left out. */
export function mergeCalls(synced: Call[], outbox: OutboxItem[], repId: string): Call[] {
  const ids = new Set(synced.map((c) => c.id));
  const out = [...synced];
  for (const o of outbox) {
    if (!isCallItem(o)) continue;
    if (o.status === 'rejected' || o.status === 'superseded') continue;
    if (ids.has(o.payload.id)) continue;
    ids.add(o.payload.id);
    const { disbursement, ...call } = o.payload;
    out.push({
      ...call,
      disbursement_id: disbursement?.id ?? null,
      rep_id: repId,
      flags: [],
      submitted_at: o.client_ts,
      pending: o.status === 'pending',
    } as Call);
  }
  return out;
}
