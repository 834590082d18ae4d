/** The user's data requests (proposed new HCPs and changes) with their status and the data
 * steward's reason: the "My data requests" screen (`#/requests`), a short list on Today, and the
 * requests about one HCP on its profile. */
import type { RequestRow } from '../../offline/proposals';
import { hcpHref } from '../../lib/router';
import { shortDate, titleCase } from '../../lib/format';
import { Empty, ErrorBox, Loading, Section } from '../../components/bits';
import { useRequestRows } from './useRequests';
import './proposals.css';

const STATUS_TEXT: Record<string, string> = {
  pending: 'Pending',
  approved: 'Approved',
  rejected: 'Rejected',
  merged: 'Merged into an existing HCP',
};

const SYNC_TEXT: Record<RequestRow['sync'], string> = {
  synced: '',
  pending: 'Waiting to sync',
  sent: 'Sent',
  refused: 'Refused by the server',
};

const FIELD_TEXT: Record<string, string> = {
  specialty_code: 'Specialty',
  address: 'Address',
  phone: 'Phone',
  status: 'Status',
  affiliation: 'New affiliation',
};

function RequestItem({ r, showHcp }: { r: RequestRow; showHcp: boolean }) {
  const status = r.sync === 'refused' ? 'refused' : r.status;
  const label =
    r.sync === 'synced' ? (STATUS_TEXT[r.status] ?? titleCase(r.status)) : SYNC_TEXT[r.sync];
  return (
    <li
      class="request"
      data-testid="request"
      data-id={r.id}
      data-kind={r.kind}
      data-status={r.status}
      data-sync={r.sync}
      data-hcp={r.hcp_id}
    >
      <div class="request-head">
        <strong>
          {r.kind === 'new_hcp' ? 'New HCP' : 'Change'}
          {showHcp && (
            <>
              {': '}
              <a href={hcpHref(r.merged_into ?? r.hcp_id)}>{r.hcp_name}</a>
            </>
          )}
        </strong>
        <span class={`badge rq-${status}`} data-testid="request-status">
          {label}
        </span>
      </div>
      {r.changes.length > 0 && (
        <ul class="small" data-testid="request-changes">
          {r.changes.map((c) => (
            <li key={c.field}>
              {FIELD_TEXT[c.field] ?? titleCase(c.field)}: {c.from ? `${titleCase(c.from)} → ` : ''}
              {titleCase(c.to)}
            </li>
          ))}
        </ul>
      )}
      <div class="muted small">
        Proposed {shortDate(r.proposed_at)}
        {r.decided_at &&
          ` · decided ${shortDate(r.decided_at)}${r.decided_by ? ` by ${r.decided_by}` : ''}`}
      </div>
      {r.decision_reason && (
        <div class="small" data-testid="request-reason">
          Data steward: {r.decision_reason}
        </div>
      )}
      {r.refusal && (
        <div class="field-error" data-testid="request-refusal">
          {r.refusal} <a href="#/sync">Resend or discard on the Sync screen</a>.
        </div>
      )}
    </li>
  );
}

export function RequestList({ rows, showHcp = true }: { rows: RequestRow[]; showHcp?: boolean }) {
  return (
    <ul class="request-list" data-testid="requests">
      {rows.map((r) => (
        <RequestItem key={r.id} r={r} showHcp={showHcp} />
      ))}
    </ul>
  );
}

/** `#/requests`: every request of the user, newest first. */
export function MyRequests() {
  const res = useRequestRows();
  return (
    <div class="screen" data-testid="my-requests">
      <a class="back" href="#/hcps">
        ‹ HCPs
      </a>
      <h1>My data requests</h1>
      <p class="muted small">
        New HCPs and changes you proposed; a data steward approves or rejects each one.
      </p>
      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} />}
      {res.state === 'ok' &&
        (res.data.length === 0 ? (
          <Empty>You have not proposed anything yet.</Empty>
        ) : (
          <RequestList rows={res.data} />
        ))}
    </div>
  );
}

/** Today: the latest few requests (the pending ones and recent decisions). */
export function RequestsSummary({ max = 3 }: { max?: number }) {
  const res = useRequestRows();
  if (res.state !== 'ok' || res.data.length === 0) return null;
  return (
    <Section title="My data requests" testid="requests-summary">
      <RequestList rows={res.data.slice(0, max)} />
      <a href="#/requests" class="small" data-testid="all-requests">
        All my data requests ({res.data.length})
      </a>
    </Section>
  );
}

/** The requests about one HCP, on its profile (`reload` bumps after a change is proposed online). */
export function HcpRequests({ hcpId, reload = 0 }: { hcpId: string; reload?: number }) {
  const res = useRequestRows(reload);
  if (res.state !== 'ok') return null;
  const rows = res.data.filter((r) => r.hcp_id === hcpId || r.merged_into === hcpId);
  if (rows.length === 0) return null;
  return (
    <Section title={`Data requests (${rows.length})`} testid="hcp-requests">
      <RequestList rows={rows} showHcp={false} />
    </Section>
  );
}
