import type { Call } from '../offline/types';
import { useOffline } from '../offline/context';
import { callsOf } from '../offline/local';
import { callBlockReason } from '../offline/validate';
import { backIfPossible, newCallHref } from '../lib/router';
import { callWhen, titleCase } from '../lib/format';
import { Empty, ErrorBox, Section } from '../components/bits';
import { HcpDetail } from './HcpProfile';
import { SyncGate } from './Today';
import type { LocalData } from '../offline/local';

export { callWhen };

export function productNames(data: LocalData, ids: string[]): string {
  return ids.map((id) => data.products.get(id)?.brand ?? id).join(', ');
}

/** The rep's HCP profile from IndexedDB, with call history (synced + pending) and "Log call". */
export function LocalHcpProfile({ id }: { id: string }) {
  const { data, calls } = useOffline();
  const h = data?.byId.get(id);
  const history = calls && h ? callsOf(calls.calls, h.id) : [];
  const blocked = h ? callBlockReason(h) : null;
  return (
    <div class="screen">
      <a class="back" href="#/hcps" onClick={backIfPossible('#/hcps')}>
        ‹ HCPs
      </a>
      <SyncGate>
        {!h ? (
          <ErrorBox error={new Error('This HCP is not in your territory data.')} />
        ) : (
          <HcpDetail h={h}>
            <div class="log-bar">
              {blocked ? (
                <p class="error" data-testid="call-blocked">
                  {blocked}
                </p>
              ) : (
                <a class="btn btn-primary btn-block" href={newCallHref(h.id)} data-testid="profile-log-call">
                  Log call
                </a>
              )}
            </div>
            <Section title={`Calls (${history.length})`} testid="section-calls">
              {history.length === 0 ? <Empty>No calls yet.</Empty> : <CallList calls={history} data={data!} />}
            </Section>
          </HcpDetail>
        )}
      </SyncGate>
    </div>
  );
}

export function CallList({ calls, data }: { calls: Call[]; data: LocalData }) {
  const pick = (list: { code: string; label: string }[] | undefined, code: string) =>
    list?.find((x) => x.code === code)?.label ?? titleCase(code);
  return (
    <ul class="links calls">
      {calls.map((c) => {
        const pending = (c as Call & { pending?: boolean }).pending;
        return (
          <li key={c.id} data-testid="call-row" data-id={c.id} data-pending={pending ? 'true' : 'false'}>
            <strong>{callWhen(c.called_at)}</strong> · {pick(data.picklists?.call_types, c.call_type)}
            {pending && <span class="badge pending">Pending sync</span>}
            {(c.flags ?? []).length > 0 && <span class="badge dnc">{c.flags.join(', ')}</span>}
            <div class="small">
              {productNames(data, c.product_ids) || 'No products'} · {pick(data.picklists?.outcomes, c.outcome)} → {pick(data.picklists?.next_steps, c.next_step)}
              {c.next_step_date ? ` (${c.next_step_date})` : ''}
            </div>
            {c.notes && <div class="muted small">“{c.notes}”</div>}
          </li>
        );
      })}
    </ul>
  );
}
