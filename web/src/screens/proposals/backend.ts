/** Where the field side of HCP master data reads and writes: reps through the offline app (the
 * duplicate check on the server when online, on the device otherwise; proposals queued in the
 * outbox), managers online (REST). The screens use this one interface either way. */
import { useMemo } from 'preact/hooks';
import { ApiError } from '../../api/problem';
import { checkMatches, proposeChange, proposeHcp, type MatchCheck } from '../../api/proposals';
import type { AccountSummary, Specialty } from '../../api/types';
import { useApp } from '../../context';
import { useOfflineMaybe } from '../../offline/context';
import type { LocalData } from '../../offline/local';
import { localCheck } from '../../offline/localMatch';
import type { MatchRecord } from '../../offline/matching';
import { queueChange, queueProposal } from '../../offline/proposals';
import type { ChangeProposal, HcpProposal } from '../../offline/types';

export type CheckResult =
  | { source: 'server'; check: MatchCheck }
  /** Checked against the HCPs on the device (offline, or the server could not be reached). */
  | { source: 'device'; check: MatchCheck; compared: number }
  /** Offline before the matching model was synced: no check possible. */
  | { source: 'none' };

export interface ProposalBackend {
  /** Proposals are queued on the device (and sent when online). */
  queued: boolean;
  check(record: MatchRecord, signal: AbortSignal): Promise<CheckResult>;
  /** Throws an ApiError (field errors, 409 `duplicate_npi`) when the server refuses at once. */
  propose(p: HcpProposal): Promise<void>;
  proposeChange(p: ChangeProposal): Promise<void>;
  specialties(): Promise<Specialty[]>;
  accounts(): Promise<AccountSummary[]>;
  /** Whether a ZIP is one of the user's HCPs' or accounts' (null: not known on this side). The
   * server refuses a new HCP outside the user's territories. */
  knownZip(zip: string): boolean | null;
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** The device's own check; `none` without a synced model. */
function deviceCheck(data: LocalData | null, record: MatchRecord): CheckResult {
  if (!data?.model) return { source: 'none' };
  return {
    source: 'device',
    check: localCheck(data.hcps, data.model, record),
    compared: data.hcps.length,
  };
}

export function useProposalBackend(): ProposalBackend {
  const app = useApp();
  const offline = useOfflineMaybe();
  const local = offline && !offline.sync.unsupported ? offline : null;
  const engine = local?.engine ?? null;
  const data = local?.data ?? null;
  const online = local?.sync.online ?? false;
  // The backend object is rebuilt when the local data changes (a pull, a queued proposal).
  return useMemo((): ProposalBackend => {
    const { api } = app;
    const zips = data
      ? new Set([
          ...data.hcps.map((h) => h.address.zip),
          ...[...data.accounts.values()].map((a) => a.zip),
        ])
      : null;
    const onlineSpecialties = () => app.specialties().then((list) => [...list].sort(byName));
    if (!engine) {
      return {
        queued: false,
        check: async (record, signal) => ({
          source: 'server',
          check: await checkMatches(api, record, signal),
        }),
        propose: async (p) => void (await proposeHcp(api, p)),
        proposeChange: async (p) => void (await proposeChange(api, p)),
        specialties: onlineSpecialties,
        accounts: async () => (await api.listAccounts({}, null, 200)).items.sort(byName),
        knownZip: () => null,
      };
    }
    return {
      queued: true,
      check: async (record, signal) => {
        if (!online) return deviceCheck(data, record);
        try {
          return { source: 'server', check: await checkMatches(api, record, signal) };
        } catch (e) {
          // The server cannot be reached: check what the device holds.
          if (e instanceof ApiError && e.status === 0 && !signal.aborted)
            return deviceCheck(data, record);
          throw e;
        }
      },
      propose: async (p) => void (await queueProposal(engine, p)),
      proposeChange: async (p) => void (await queueChange(engine, p)),
      // Online: the full NUCC list (kept for offline use); offline: that copy, plus what the HCPs on the device have.
      specialties: async () => {
        try {
          const list = await onlineSpecialties();
          await engine.db.setMeta('specialties', list);
          return list;
        } catch {
          const known = new Map((data?.specialties ?? []).map((s) => [s.code, s.name]));
          for (const h of data?.hcps ?? [])
            if (!known.has(h.specialty_code)) known.set(h.specialty_code, h.specialty_name);
          return [...known].map(([code, name]) => ({ code, name })).sort(byName);
        }
      },
      accounts: async () => [...(data?.accounts.values() ?? [])].sort(byName),
      knownZip: (zip) => (zips ? zips.has(zip) : null),
    };
  }, [app, data, online, engine]);
}
