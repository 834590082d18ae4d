/** The at-creation duplicate check on the device, as the server's check (crates/service/src/
 * matching.rs `check_record`) over the HCPs the device holds: candidates are the HCPs sharing a
 * blocking key with the record typed (an index built once per loaded data), each scored with the
 * synced model; the likely ones (same record or ask a steward) are returned most likely first.
 * HCPs outside the rep's territories are not on the device: that check happens when online. */
import type { Hcp } from '../api/types';
import type { HcpMatch, MatchCheck } from '../api/proposals';
import { blockingKeys, compare, sameNpi, type MatchRecord } from './matching';
import { score, type DeviceModel, type Outcome } from './matchModel';

/** Most matches a check returns (as the server). */
const SHOWN = 10;

/** What the matcher knows of a profile. */
export function hcpMatchRecord(h: Hcp): MatchRecord {
  return {
    npi: h.npi,
    first_name: h.first_name,
    last_name: h.last_name,
    specialty_code: h.specialty_code,
    street: h.address.line1,
    city: h.address.city,
    state: h.address.state,
    zip: h.address.zip,
    phone: h.phone ?? null,
    affiliations: (h.affiliations ?? []).map((a) => a.account_id),
  };
}

interface Index {
  records: MatchRecord[];
  byKey: Map<string, number[]>;
}

const indexes = new WeakMap<Hcp[], Index>();

/** The blocking index of a list of HCPs (built on first use, kept while the list lives). */
export function blockingIndex(hcps: Hcp[]): Index {
  let ix = indexes.get(hcps);
  if (ix) return ix;
  const records = hcps.map(hcpMatchRecord);
  const byKey = new Map<string, number[]>();
  records.forEach((r, i) => {
    for (const k of blockingKeys(r)) {
      const list = byKey.get(k);
      if (list) list.push(i);
      else byKey.set(k, [i]);
    }
  });
  ix = { records, byKey };
  indexes.set(hcps, ix);
  return ix;
}

/** "First Last, MD" (the server's `display_name`). */
const displayName = (h: Pick<Hcp, 'first_name' | 'last_name' | 'credentials'>) =>
  h.credentials
    ? `${h.first_name} ${h.last_name}, ${h.credentials}`
    : `${h.first_name} ${h.last_name}`;

const RANK: Record<Outcome, number> = { same_record: 2, ask_steward: 1, new_record: 0 };

/** Scores `record` against the device's HCPs sharing a blocking key with it. */
export function localCheck(
  hcps: Hcp[],
  model: DeviceModel,
  record: MatchRecord,
  except?: string,
): MatchCheck {
  const ix = blockingIndex(hcps);
  const seen = new Set<number>();
  for (const k of blockingKeys(record)) for (const i of ix.byKey.get(k) ?? []) seen.add(i);
  let outcome: Outcome = 'new_record';
  const matches: HcpMatch[] = [];
  for (const i of seen) {
    const h = hcps[i];
    if (h.id === except) continue;
    const c = ix.records[i];
    const s = score(model.parameters, compare(record, c), sameNpi(record, c), model.thresholds);
    if (s.outcome === 'new_record') continue;
    if (RANK[s.outcome] > RANK[outcome]) outcome = s.outcome;
    matches.push({
      id: h.id,
      display_name: displayName(h),
      npi: h.npi,
      specialty_name: h.specialty_name,
      street: h.address.line1,
      city: h.address.city,
      state: h.address.state,
      zip: h.address.zip,
      phone: h.phone ?? null,
      master_status: h.master_status ?? 'verified',
      territory: h.territory ?? null,
      score: s,
    });
  }
  matches.sort(
    (a, b) =>
      b.score.probability - a.score.probability ||
      (a.display_name < b.display_name ? -1 : a.display_name > b.display_name ? 1 : 0),
  );
  return {
    outcome,
    matches: matches.slice(0, SHOWN),
    match_outside_scope: false,
    thresholds: model.thresholds,
  };
}
