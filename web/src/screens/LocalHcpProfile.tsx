import type { Call } from '../offline/types';
import type { OutboxItem } from '../offline/records';
import { useOffline } from '../offline/context';
import { callsOf } from '../offline/local';
import { callBlockReason } from '../offline/validate';
import { backIfPossible, newCallHref } from '../lib/router';
import { callWhen, titleCase } from '../lib/format';
import { Empty, ErrorBox, Section } from '../components/bits';
import { HcpDetail } from './HcpProfile';
import { SyncGate } from './Today';
import type { LocalData } from '../offline/local';
import { useSampleBook } from '../offline/useSamples';
import type { EffectiveBook } from '../offline/sampleBook';
import { SampleRequest } from '../components/SampleRequest';
import { HcpDataSection } from './proposals/HcpDataSection';
import { rejectionText } from '../offline/outbox';

export { callWhen };

export function productNames(data: LocalData, ids: string[]): string {
  return ids.map((id) => data.products.get(id)?.brand ?? id).join(', ');
}

/** The rep's HCP profile from IndexedDB, with call history (synced + pending) and "Log call". */
export function LocalHcpProfile({ id }: { id: string }) {
  const { data, calls } = useOffline();
  const book = useSampleBook();
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
          <ErrorBox error={new Error(missingReason(id, calls?.outbox ?? []))} />
        ) : (
          <HcpDetail h={h}>
            <div class="log-bar">
              {blocked ? (
                <p class="error" data-testid="call-blocked">
                  {blocked}
                </p>
              ) : (
                <a
                  class="btn btn-primary btn-block"
                  href={newCallHref(h.id)}
                  data-testid="profile-log-call"
                >
                  Log call
                </a>
              )}
            </div>
            <Section title={`Calls (${history.length})`} testid="section-calls">
              {history.length === 0 ? (
                <Empty>No calls yet.</Empty>
              ) : (
                <CallList calls={history} data={data!} />
              )}
            </Section>
            {book && !blocked && <SampleRequest hcp={h} book={book} />}
            {book && <SampleHistory hcpId={h.id} book={book} />}
            <HcpDataSection h={h} />
          </HcpDetail>
        )}
      </SyncGate>
    </div>
  );
}

/** Why an HCP is not on the device: a proposal of it the server refused, or not in the territory. */
function missingReason(id: string, outbox: OutboxItem[]): string {
  const refused = outbox.find(
    (o) => o.kind === 'hcp.propose' && o.payload.hcp_id === id && o.status === 'rejected',
  );
  if (refused)
    return `The server refused this proposed HCP: ${rejectionText(refused.result)} Resend or discard it on the Sync screen.`;
  return 'This HCP is not in your territory data.';
}

export function CallList({ calls, data }: { calls: Call[]; data: LocalData }) {
  const pick = (list: { code: string; label: string }[] | undefined, code: string) =>
    list?.find((x) => x.code === code)?.label ?? titleCase(code);
  return (
    <ul class="links calls">
      {calls.map((c) => {
        const pending = (c as Call & { pending?: boolean }).pending;
        return (
          <li
            key={c.id}
            data-testid="call-row"
            data-id={c.id}
            data-pending={pending ? 'true' : 'false'}
          >
            <strong>{callWhen(c.called_at)}</strong> ·{' '}
            {pick(data.picklists?.call_types, c.call_type)}
            {pending && <span class="badge pending">Pending sync</span>}
            {(c.flags ?? []).length > 0 && <span class="badge dnc">{c.flags.join(', ')}</span>}
            <div class="small">
              {productNames(data, c.product_ids) || 'No products'} ·{' '}
              {pick(data.picklists?.outcomes, c.outcome)} →{' '}
              {pick(data.picklists?.next_steps, c.next_step)}
              {c.next_step_date ? ` (${c.next_step_date})` : ''}
            </div>
            {c.notes && <div class="muted small">“{c.notes}”</div>}
          </li>
        );
      })}
    </ul>
  );
}

/** What the HCP received or requested (every rep's records, plus this device's unsynced ones), newest first. */
function SampleHistory({ hcpId, book }: { hcpId: string; book: EffectiveBook }) {
  const rows = book.history
    .filter((p) => p.hcp_id === hcpId)
    .sort((a, b) => b.on.localeCompare(a.on));
  const name = (pid: string) =>
    book.skus.find((s) => s.product_id === pid)?.product_name ?? 'Product';
  return (
    <Section title={`Samples (${rows.length})`} testid="section-samples">
      {rows.length === 0 ? (
        <Empty>No samples given or requested in the last 3 years.</Empty>
      ) : (
        <ul class="links calls">
          {rows.slice(0, 20).map((p, i) => (
            <li key={i} data-testid="sample-history-row">
              <strong>{p.on}</strong> · {name(p.product_id)} × {p.quantity}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
