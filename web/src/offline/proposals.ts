/** HCP master data on the device: proposing a new HCP or a change (outbox mutations `hcp.propose`
 * and `hcp.change`), the proposed HCP usable at once (an optimistic copy from the outbox until the
 * pulled record replaces it, so calls can be logged on it offline), and the user's data requests
 * (synced ones plus those not yet answered by the server). */
import type { Hcp } from '../api/types';
import { rejectionText } from './outbox';
import { unreflected } from './effectiveBook';
import type { OutboxItem, OutboxItemOf } from './records';
import type { SyncEngine } from './engine';
import type { LocalCalls, LocalData } from './local';
import { searchKey, sortHcps } from './local';
import { newMutationItem } from './outbox';
import type { ChangeProposal, DataRequest, HcpProposal } from './types';

type ProposeItem = OutboxItemOf<'hcp.propose'>;

/** Queues a mutation and starts a push. The proposal's mutation id is taken now, so it is sent
 * before any call logged on the new HCP afterwards (the server applies mutations in id order). */
async function queue<K extends 'hcp.propose' | 'hcp.change'>(
  engine: SyncEngine,
  kind: K,
  payload: K extends 'hcp.propose' ? HcpProposal : ChangeProposal,
) {
  const item = newMutationItem(kind, payload as never);
  await engine.db.outbox.add(item as OutboxItem);
  await engine.localChanged(true);
  return item;
}

export const queueProposal = (engine: SyncEngine, p: HcpProposal) =>
  queue(engine, 'hcp.propose', p);
export const queueChange = (engine: SyncEngine, p: ChangeProposal) =>
  queue(engine, 'hcp.change', p);

/** The proposed HCP as a profile (what the server will store: `proposed`, active, no segments). */
export function proposedHcp(item: ProposeItem, specialtyName: (code: string) => string): Hcp {
  const p = item.payload;
  return {
    id: p.hcp_id,
    npi: p.hcp.npi,
    first_name: p.hcp.first_name,
    last_name: p.hcp.last_name,
    middle_name: null,
    suffix: null,
    credentials: p.hcp.credentials ?? '',
    specialty_code: p.hcp.specialty_code,
    specialty_name: specialtyName(p.hcp.specialty_code),
    status: 'active',
    language: 'en',
    address: { ...p.hcp.address, line2: p.hcp.address.line2 ?? null },
    phone: p.hcp.phone ?? null,
    master_status: 'proposed',
    affiliations: [],
    licences: [],
    segments: [],
    preferred_call_times: [],
    dea_registrations: [],
    do_not_call: null,
    blacklist: null,
    territory: null,
    created_at: item.client_ts,
    updated_at: item.client_ts,
  };
}

/** Proposals the synced data does not show yet (pending, or applied after the last pull) and
 * that were not linked to an existing HCP instead. */
export function unsyncedProposals(outbox: OutboxItem[], lastPullAt: string | null): ProposeItem[] {
  return unreflected(outbox, lastPullAt).filter(
    (o): o is ProposeItem => o.kind === 'hcp.propose' && o.result?.code !== 'linked',
  );
}

/** The local data with this device's unsynced proposed HCPs added (the same object when none is missing). */
export function withProposals(
  data: LocalData,
  calls: Pick<LocalCalls, 'outbox' | 'lastPullAt'>,
): LocalData {
  const missing = unsyncedProposals(calls.outbox, calls.lastPullAt).filter(
    (o) => !data.byId.has(o.payload.hcp_id),
  );
  if (missing.length === 0) return data;
  const names = new Map(data.specialties.map((s) => [s.code, s.name]));
  for (const h of data.hcps) names.set(h.specialty_code, h.specialty_name);
  const hcps = sortHcps([
    ...data.hcps,
    ...missing.map((o) => proposedHcp(o, (c) => names.get(c) ?? c)),
  ]);
  return {
    ...data,
    hcps,
    byId: new Map(hcps.map((h) => [h.id, h])),
    searchKeys: hcps.map(searchKey),
  };
}

/** A data request as the lists show it: the server's record, or one still on this device. */
export type RequestRow = Omit<DataRequest, 'matches' | 'proposed_by'> & {
  /** `synced`: the server's record; `pending`/`sent`: still in the outbox (sent: not pulled yet); `refused`: rejected by the server on arrival. */
  sync: 'synced' | 'pending' | 'sent' | 'refused';
  /** Why the server refused it (for `refused`). */
  refusal?: string;
};

/** The user's requests, newest first: synced ones, then (first) those the server has not answered
 * or whose answer is not pulled yet, and those it refused on arrival (until discarded). */
export function requestRows(
  synced: DataRequest[],
  outbox: OutboxItem[],
  lastPullAt: string | null,
  describe: (o: OutboxItemOf<'hcp.change'>) => {
    hcp_name: string;
    changes: DataRequest['changes'];
  },
): RequestRow[] {
  const known = new Set(synced.map((r) => r.id));
  const local: RequestRow[] = [];
  const open = new Set(unreflected(outbox, lastPullAt).map((o) => o.id));
  for (const o of outbox) {
    if (o.kind !== 'hcp.propose' && o.kind !== 'hcp.change') continue;
    if (known.has(o.payload.id)) continue;
    const refused = o.status === 'rejected';
    if (!refused && !open.has(o.id)) continue;
    const base = {
      id: o.payload.id,
      hcp_id: o.payload.hcp_id,
      status: 'pending' as const,
      note: o.payload.note ?? null,
      proposed_at: o.client_ts,
      decided_by: null,
      decided_at: null,
      decision_reason: null,
      merged_into: null,
      sync: refused
        ? ('refused' as const)
        : o.status === 'pending'
          ? ('pending' as const)
          : ('sent' as const),
      refusal: refused ? rejectionText(o.result) : undefined,
    };
    if (o.kind === 'hcp.propose') {
      const h = o.payload.hcp;
      local.push({
        ...base,
        kind: 'new_hcp',
        hcp_name: `${h.first_name} ${h.last_name}${h.credentials ? `, ${h.credentials}` : ''}`,
        changes: [],
      });
    } else {
      local.push({ ...base, kind: 'change', ...describe(o) });
    }
  }
  local.sort((a, b) => b.proposed_at.localeCompare(a.proposed_at));
  return [...local, ...synced.map((r): RequestRow => ({ ...r, sync: 'synced' }))];
}
