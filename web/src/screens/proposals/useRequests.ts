/** The user's data requests for the lists: a rep's from the device (synced ones plus those still
 * in the outbox), a manager's from the server (reloaded after a proposal). */
import { useMemo } from 'preact/hooks';
import { myRequests } from '../../api/proposals';
import { useApp } from '../../context';
import { useLoad, type Load } from '../../hooks';
import { describeChange } from '../../lib/hcpChange';
import { useOfflineMaybe } from '../../offline/context';
import { requestRows, type RequestRow } from '../../offline/proposals';

export function useRequestRows(reload = 0): Load<RequestRow[]> {
  const { api } = useApp();
  const offline = useOfflineMaybe();
  const local = offline && !offline.sync.unsupported ? offline : null;
  const online = useLoad(
    () => (local ? Promise.resolve([]) : myRequests(api)),
    [api, !!local, reload],
  );
  const rows = useMemo((): RequestRow[] | null => {
    if (!local?.data || !local.calls) return null;
    const data = local.data;
    return requestRows(data.requests, local.calls.outbox, local.calls.lastPullAt, (o) => {
      const h = data.byId.get(o.payload.hcp_id);
      const name = (id: string) => data.accounts.get(id)?.name ?? 'Account';
      return {
        hcp_name: h ? `${h.first_name} ${h.last_name}` : 'HCP',
        changes: h ? describeChange(h, o.payload.changes, name) : [],
      };
    });
  }, [local?.data, local?.calls]);
  if (!local) {
    return online.state === 'ok'
      ? { state: 'ok', data: online.data.map((r): RequestRow => ({ ...r, sync: 'synced' })) }
      : online;
  }
  return rows ? { state: 'ok', data: rows } : { state: 'loading' };
}
