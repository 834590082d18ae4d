/** The Sync screen of the rep app: connection and last sync, records rejected by the server (a
 * call reopens as a draft; a sample record, e.g. a witnessed destruction without its witness, or an
 * HCP proposal is resent or discarded) and what is still waiting to be sent. */
import { useOffline } from '../offline/context';
import { discardRejected, reopenRejected, resendRejected } from '../offline/actions';
import { isCallItem, type OutboxItem } from '../offline/records';
import { rejectionText } from '../offline/outbox';
import { draftHref } from '../lib/router';
import { hcpName } from '../lib/format';
import { timeAgo } from '../components/SyncIndicator';
import { StorageNotice } from '../components/StorageNotice';
import { Section } from '../components/bits';
import { callWhen } from './LocalHcpProfile';

const SAMPLE_WHAT: Record<Exclude<OutboxItem['kind'], 'call.submit'>, string> = {
  'sample.request': 'Sample request',
  'sample.receive': 'Receipt of a shipment',
  'sample.transfer': 'Sample transfer',
  'sample.return': 'Sample return',
  'sample.destroy': 'Witnessed destruction',
  'sample.loss': 'Loss/theft report',
  'sample.count': 'Physical count',
  'hcp.propose': 'New HCP proposal',
  'hcp.change': 'HCP change request',
};

/** When a queued item happened. */
function itemWhen(o: OutboxItem): string {
  switch (o.kind) {
    case 'call.submit':
      return o.payload.called_at;
    case 'sample.request':
      return o.payload.requested_at;
    case 'sample.receive':
      return o.payload.received_at;
    case 'sample.transfer':
    case 'sample.return':
    case 'sample.destroy':
      return o.payload.occurred_at;
    case 'sample.loss':
      return `${o.payload.discovered_on}T12:00:00`;
    case 'sample.count':
      return o.payload.counted_at;
    case 'hcp.propose':
    case 'hcp.change':
      return o.client_ts;
  }
}

export function SyncScreen() {
  const { engine, sync, data, calls } = useOffline();
  const pending = (calls?.outbox ?? [])
    .filter((o) => o.status === 'pending')
    .sort((a, b) => a.id.localeCompare(b.id));
  const name = (ids: string[]) =>
    ids.map((id) => (data?.byId.get(id) ? hcpName(data.byId.get(id)!) : id)).join(', ');
  const what = (o: OutboxItem) => {
    if (isCallItem(o))
      return `${name(o.payload.hcp_ids)}${o.payload.disbursement ? ' (with samples)' : ''}`;
    if (o.kind === 'sample.request') return `${SAMPLE_WHAT[o.kind]} · ${name([o.payload.hcp_id])}`;
    if (o.kind === 'hcp.propose')
      return `${SAMPLE_WHAT[o.kind]} · ${o.payload.hcp.first_name} ${o.payload.hcp.last_name}`;
    if (o.kind === 'hcp.change') return `${SAMPLE_WHAT[o.kind]} · ${name([o.payload.hcp_id])}`;
    if (o.kind === 'sample.destroy')
      return `${SAMPLE_WHAT[o.kind]} of ${o.payload.lines.reduce((n, l) => n + l.quantity, 0)} units`;
    return SAMPLE_WHAT[o.kind];
  };
  return (
    <div class="screen" data-testid="sync-screen">
      <h1>Sync</h1>
      <StorageNotice />
      <section class="card section">
        <dl class="fields">
          <div class="field">
            <dt>Connection</dt>
            <dd data-testid="sync-online">
              {sync.online ? 'Online' : 'Offline'}
              {sync.online && ` · live updates ${sync.events}`}
            </dd>
          </div>
          <div class="field">
            <dt>Last sync</dt>
            <dd data-testid="sync-last">{timeAgo(sync.lastSyncAt)}</dd>
          </div>
          <div class="field">
            <dt>Waiting to send</dt>
            <dd data-testid="sync-pending-n">{sync.pending}</dd>
          </div>
          {sync.error && (
            <div class="field">
              <dt>Last error</dt>
              <dd class="field-error">{sync.error}</dd>
            </div>
          )}
        </dl>
        <button
          type="button"
          class="btn btn-block"
          disabled={!sync.online || sync.pulling || sync.pushing}
          onClick={() => engine.syncNow()}
          data-testid="sync-now"
        >
          {sync.pulling || sync.pushing ? 'Syncing…' : 'Sync now'}
        </button>
      </section>

      <Section title={`Rejected by the server (${sync.rejected.length})`} testid="rejected">
        {sync.rejected.length === 0 ? (
          <p class="muted">None.</p>
        ) : (
          <ul class="links">
            {sync.rejected.map((o) => (
              <li key={o.id} data-testid="rejected-item" data-id={o.id}>
                <strong>{what(o)}</strong> · {callWhen(itemWhen(o))}
                <p class="field-error" data-testid="rejected-reason">
                  {rejectionText(o.result)}
                </p>
                <div class="form-actions">
                  {isCallItem(o) ? (
                    <button
                      type="button"
                      class="btn btn-small"
                      onClick={async () => {
                        const id = await reopenRejected(engine, o);
                        location.hash = draftHref(id);
                      }}
                      data-testid="fix-rejected"
                    >
                      Fix (open as draft)
                    </button>
                  ) : (
                    <button
                      type="button"
                      class="btn btn-small"
                      onClick={() => discardRejected(engine, o)}
                      data-testid="discard-rejected"
                    >
                      Discard
                    </button>
                  )}
                  <button
                    type="button"
                    class="btn btn-small"
                    onClick={() => resendRejected(engine, o)}
                    data-testid="resend-rejected"
                  >
                    Resend
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title={`Waiting to send (${pending.length})`} testid="pending">
        {pending.length === 0 ? (
          <p class="muted">Nothing waiting.</p>
        ) : (
          <ul class="links">
            {pending.map((o) => (
              <li key={o.id} data-testid="pending-item">
                {what(o)} · {callWhen(itemWhen(o))}
                {o.last_error && <div class="muted small">Last try: {o.last_error}</div>}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
