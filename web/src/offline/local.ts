/** Read side of the offline data: loaded from IndexedDB once per checkpoint into memory, with a
 * search index that answers per keystroke (15,000 HCPs: a substring scan over prebuilt strings). */
import type { AccountSummary, Hcp, Specialty } from '../api/types';
import { mergeCalls, SAMPLE_BOOK_ID, type DraftRow, type RepDb } from './db';
import type { OutboxItem } from './records';
import type {
  Call,
  DataRequest,
  DeviceModel,
  FrequencyTarget,
  Notice,
  Picklists,
  Product,
  SampleBook,
} from './types';

export interface LocalData {
  /** Sorted like the server's list: last name, first name, id. */
  hcps: Hcp[];
  byId: Map<string, Hcp>;
  /** Parallel to `hcps`: "last first npi" lower-cased (what the server's `q` matches). */
  searchKeys: string[];
  accounts: Map<string, AccountSummary>;
  products: Map<string, Product>;
  targets: FrequencyTarget[];
  picklists: Picklists | null;
  /** The rep's sample book as last synced (null before the first sync, or for a server without samples). */
  book: SampleBook | null;
  /** Notices for the rep (realignments that change their territory), newest first. */
  notices: Notice[];
  /** The duplicate-matching model for offline checks (null before a server that has one synced). */
  model: DeviceModel | null;
  /** The user's own data requests (proposed HCPs and changes) as last synced, newest first. */
  requests: DataRequest[];
  /** The NUCC specialties as last fetched online (meta `specialties`, a cache; may be empty). */
  specialties: Specialty[];
}

export function searchKey(h: Pick<Hcp, 'last_name' | 'first_name' | 'npi'>): string {
  return `${h.last_name} ${h.first_name} ${h.npi}`.toLowerCase();
}

export function sortHcps<T extends Pick<Hcp, 'last_name' | 'first_name' | 'id'>>(hs: T[]): T[] {
  // Byte order like SQL, not locale order.
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return hs.sort(
    (a, b) => cmp(a.last_name, b.last_name) || cmp(a.first_name, b.first_name) || cmp(a.id, b.id),
  );
}

export function buildLocalData(
  hcps: Hcp[],
  accounts: AccountSummary[],
  products: Product[],
  targets: FrequencyTarget[],
  picklists: Picklists | null,
  book: SampleBook | null = null,
  notices: Notice[] = [],
  model: DeviceModel | null = null,
  requests: DataRequest[] = [],
  specialties: Specialty[] = [],
): LocalData {
  sortHcps(hcps);
  return {
    hcps,
    byId: new Map(hcps.map((h) => [h.id, h])),
    searchKeys: hcps.map(searchKey),
    accounts: new Map(accounts.map((a) => [a.id, a])),
    products: new Map(products.map((p) => [p.id, p])),
    targets,
    picklists,
    book,
    notices: sortNotices(notices),
    model,
    requests: [...requests].sort(
      (a, b) => b.proposed_at.localeCompare(a.proposed_at) || b.id.localeCompare(a.id),
    ),
    specialties,
  };
}

export async function loadLocalData(db: RepDb): Promise<LocalData> {
  const [
    hcps,
    accounts,
    products,
    targets,
    picklists,
    book,
    notices,
    model,
    requests,
    specialties,
  ] = await db.transaction(
    'r',
    [
      db.hcps,
      db.accounts,
      db.products,
      db.targets,
      db.meta,
      db.samplebook,
      db.notices,
      db.data_requests,
    ],
    () =>
      Promise.all([
        db.hcps.toArray(),
        db.accounts.toArray(),
        db.products.toArray(),
        db.targets.toArray(),
        db.getMeta<Picklists>('picklists'),
        db.samplebook.get(SAMPLE_BOOK_ID),
        db.notices.toArray(),
        db.getMeta<DeviceModel>('matching'),
        db.data_requests.toArray(),
        db.getMeta<Specialty[]>('specialties'),
      ]),
  );
  return buildLocalData(
    hcps,
    accounts,
    products,
    targets,
    picklists ?? null,
    book ?? null,
    notices,
    model ?? null,
    requests,
    specialties ?? [],
  );
}

/** Newest first (by creation time, then id). */
export function sortNotices<N extends Pick<Notice, 'id' | 'created_at'>>(notices: N[]): N[] {
  return [...notices].sort(
    (a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id),
  );
}

/** Indices into `data.hcps` whose search key contains every word of `q` (max 5 words, like the API). */
export function searchLocal(data: Pick<LocalData, 'searchKeys'>, q: string): number[] {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
  const out: number[] = [];
  const keys = data.searchKeys;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    let ok = true;
    for (const w of words) {
      if (!k.includes(w)) {
        ok = false;
        break;
      }
    }
    if (ok) out.push(i);
  }
  return out;
}

/** The HCP list's filters other than the search words (same meaning as the API's). */
export interface LocalFilters {
  tier?: string;
  specialty?: string;
  city?: string;
  status?: string;
}

type FilterableHcp = Pick<Hcp, 'segments' | 'specialty_code' | 'address' | 'status'>;

/** Keeps the HCPs matching every filter set: a tier held for any product, the NUCC code,
 * the city (case-insensitive), the status. */
export function filterLocal<H extends FilterableHcp>(hcps: H[], f: LocalFilters): H[] {
  const city = f.city?.trim().toLowerCase();
  return hcps.filter(
    (h) =>
      (!f.tier || (h.segments ?? []).some((s) => s.tier === f.tier)) &&
      (!f.specialty || h.specialty_code === f.specialty) &&
      (!city || h.address.city.toLowerCase() === city) &&
      (!f.status || h.status === f.status),
  );
}

/** The distinct values the filters can take in the local data, sorted, for the pickers. */
export function filterOptions(hcps: Pick<Hcp, 'specialty_code' | 'specialty_name' | 'address'>[]) {
  const specialties = new Map<string, string>();
  const cities = new Set<string>();
  for (const h of hcps) {
    specialties.set(h.specialty_code, h.specialty_name);
    cities.add(h.address.city);
  }
  return {
    specialties: [...specialties]
      .map(([code, name]) => ({ code, name }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    cities: [...cities].sort((a, b) => a.localeCompare(b)),
  };
}

export interface LocalCalls {
  calls: Call[];
  outbox: OutboxItem[];
  drafts: DraftRow[];
  /** When the last pull was applied (outbox items applied after it are not in the synced data yet). */
  lastPullAt: string | null;
}

export async function loadLocalCalls(db: RepDb, repId: string): Promise<LocalCalls> {
  const [synced, outbox, drafts, lastPullAt] = await db.transaction(
    'r',
    [db.calls, db.outbox, db.drafts, db.meta],
    () =>
      Promise.all([
        db.calls.toArray(),
        db.outbox.toArray(),
        db.drafts.toArray(),
        db.getMeta<string>('last_pull_at'),
      ]),
  );
  return {
    calls: mergeCalls(synced, outbox, repId),
    outbox,
    drafts,
    lastPullAt: lastPullAt ?? null,
  };
}

/** Calls with this HCP, newest first. */
export function callsOf(calls: Call[], hcpId: string): Call[] {
  return calls
    .filter((c) => c.hcp_ids.includes(hcpId))
    .sort((a, b) => b.called_at.localeCompare(a.called_at));
}

/** The HCP's primary affiliation account (or the first one). */
export function primaryAccountId(h: Pick<Hcp, 'affiliations'>): string | null {
  const affs = h.affiliations ?? [];
  return (affs.find((a) => a.primary) ?? affs[0])?.account_id ?? null;
}
