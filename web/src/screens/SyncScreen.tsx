import { useOffline } from '../offline/context';
import { reopenRejected, resendRejected } from '../offline/actions';
import { rejectionText } from '../offline/outbox';
import { draftHref } from '../lib/router';
import { hcpName } from '../lib/format';
import { timeAgo } from '../components/SyncIndicator';
import { StorageNotice } from '../components/StorageNotice';
import { Section } from '../components/bits';
import { callWhen } from './LocalHcpProfile';

export function SyncScreen() {
  const { engine, sync, data, calls } = useOffline();
  const pending = (calls?.outbox ?? []).filter((o) => o.status === 'pending').sort((a, b) => a.id.localeCompare(b.id));
  const name = (ids: string[]) => ids.map((id) => (data?.byId.get(id) ? hcpName(data.byId.get(id)!) : id)).join(', ');
  return (
    <div class="screen" data-testid="sync-screen">
      <h1>Sync</h1>
      <StorageNotice />
      <section class="card section">
        <dl class="fields">
          <div class="field">
            <dt>Connection</dt>
            <dd data-testid="sync-online">{sync.online ? 'Online' : 'Offline'}{sync.online && ` · live updates ${sync.events}`}</dd>
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
                <strong>{name(o.payload.hcp_ids)}</strong> · {callWhen(o.payload.called_at)}
                <p class="field-error" data-testid="rejected-reason">
                  {rejectionText(o.result)}
                </p>
                <div class="form-actions">
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
                  <button type="button" class="btn btn-small" onClick={() => resendRejected(engine, o)} data-testid="resend-rejected">
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
                {name(o.payload.hcp_ids)} · {callWhen(o.payload.called_at)}
                {o.last_error && <div class="muted small">Last try: {o.last_error}</div>}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
