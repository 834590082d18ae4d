/** Data requests: reps' proposed new HCPs (with the existing HCPs they may duplicate) and changes
 * to HCPs, pending first; stewards approve, reject with a reason, or merge a proposed HCP into the
 * existing one it turns out to be. Decided requests are listed by status. */
import { useEffect, useState } from 'preact/hooks';
import type { DataRequest, HcpMatch, RequestStatus } from '../../api/types';
import { useApp } from '../../context';
import { useLoad } from '../../hooks';
import { hcpHref } from '../../lib/router';
import { titleCase } from '../../lib/format';
import { plural, when } from '../../lib/oversight';
import { pickStatus, stewardshipHref } from '../../lib/stewardship';
import { Empty, ErrorBox, Loading } from '../../components/bits';
import { errorText, fieldErrorsOf } from '../oversight/common';
import { ReasonBox, StatusFilter } from './common';
import { ProposedRecord, RequestMatches } from './RequestRecord';

const STATUSES = ['pending', 'approved', 'rejected', 'merged'] as const;
const STATUS_LABELS: Record<RequestStatus, string> = {
  pending: 'Pending',
  approved: 'Approved',
  rejected: 'Rejected',
  merged: 'Merged',
};
const KIND_LABELS = { new_hcp: 'New HCP', change: 'Change' } as const;

export function RequestsSection({ query }: { query: string }) {
  const { api } = useApp();
  const [status, setStatus] = useState<RequestStatus>(() =>
    pickStatus(new URLSearchParams(query).get('status'), STATUSES),
  );
  const [gen, setGen] = useState(0);
  const [done, setDone] = useState<DataRequest | null>(null);
  const [gone, setGone] = useState<Set<string>>(new Set());

  useEffect(() => {
    const hash = stewardshipHref('requests', { status: status === 'pending' ? null : status });
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }, [status]);

  const res = useLoad(
    () => api.dataRequests(status).then((list) => ({ status, list })),
    [status, gen],
  );
  const list = res.state === 'ok' ? res.data.list.filter((r) => !gone.has(r.id)) : [];
  const pick = (s: RequestStatus) => {
    setStatus(s);
    setGone(new Set());
    if (s !== 'pending') setDone(null);
  };

  return (
    <section
      data-testid="requests"
      data-loaded-status={res.state === 'ok' ? res.data.status : undefined}
    >
      <p class="muted small">
        What reps proposed: new HCPs (usable in the field at once as <em>proposed</em> records) and
        changes to existing ones. For a new HCP the likely existing matches are listed with the
        chance that they are the same person: when one is, merge the proposal into it rather than
        approving a duplicate.
      </p>
      <StatusFilter
        value={status}
        options={STATUSES}
        labels={STATUS_LABELS}
        onPick={pick}
        testid="req-filter"
        count={res.state === 'ok' ? plural(list.length, `${status} request`) : null}
      />
      {done && (
        <p class="notice ok-notice" role="status" data-testid="req-done-notice">
          {STATUS_LABELS[done.status]}: {KIND_LABELS[done.kind].toLowerCase()} request for{' '}
          {done.hcp_name}.{' '}
          <button type="button" class="btn-link" onClick={() => pick(done.status)}>
            See {done.status} requests
          </button>
        </p>
      )}
      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} onRetry={() => setGen((g) => g + 1)} />}
      {res.state === 'ok' &&
        (list.length === 0 ? (
          <Empty>No {status} requests.</Empty>
        ) : (
          <ul class="cards one-col" data-testid="request-list">
            {list.map((r) => (
              <RequestCard
                key={r.id}
                r={r}
                onDecided={(d) => {
                  setDone(d);
                  setGone((g) => new Set(g).add(d.id));
                }}
              />
            ))}
          </ul>
        ))}
    </section>
  );
}

function RequestCard({ r, onDecided }: { r: DataRequest; onDecided: (r: DataRequest) => void }) {
  return (
    <li
      class={`card section req req-${r.status}`}
      data-testid="request"
      data-id={r.id}
      data-kind={r.kind}
      data-status={r.status}
      data-hcp={r.hcp_id}
    >
      <div class="exc-head">
        <div>
          <span class="badge type">{KIND_LABELS[r.kind]}</span>{' '}
          <a href={hcpHref(r.hcp_id)} data-testid="request-hcp">
            <strong>{r.hcp_name}</strong>
          </a>
        </div>
        <span class="muted small">
          proposed by <span data-testid="request-by">{r.proposed_by}</span> {when(r.proposed_at)}
        </span>
      </div>
      {r.note && (
        <p class="req-note" data-testid="request-note">
          “{r.note}”
        </p>
      )}
      {r.kind === 'change' ? (
        <ul class="req-changes" data-testid="request-changes">
          {r.changes.map((c) => (
            <li key={c.field} data-field={c.field} data-testid="request-change">
              <strong>{titleCase(c.field)}</strong>: <span class="from">{c.from || '(none)'}</span>{' '}
              → <span class="to">{c.to || '(none)'}</span>
            </li>
          ))}
        </ul>
      ) : (
        <ProposedRecord hcpId={r.hcp_id} />
      )}
      {r.status === 'pending' ? (
        <Decide r={r} onDecided={onDecided} />
      ) : (
        <p class="exc-closed" data-testid="request-decision">
          {STATUS_LABELS[r.status]} by <strong>{r.decided_by}</strong>{' '}
          {r.decided_at ? when(r.decided_at) : ''}
          {r.merged_into && (
            <>
              {' '}
              into <a href={hcpHref(r.merged_into)}>the existing record</a>
            </>
          )}
          {r.decision_reason && (
            <>
              : <span data-testid="request-reason-text">{r.decision_reason}</span>
            </>
          )}
        </p>
      )}
    </li>
  );
}

function Decide({ r, onDecided }: { r: DataRequest; onDecided: (r: DataRequest) => void }) {
  const { api } = useApp();
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const decide = async (what: 'approve' | 'reject', mergeInto?: HcpMatch) => {
    setError(null);
    setReasonError(null);
    const text = reason.trim();
    if (what === 'reject' && !text) {
      setReasonError('Give a reason to reject: the rep sees it.');
      return;
    }
    setBusy(true);
    try {
      onDecided(
        what === 'reject'
          ? await api.rejectRequest(r.id, text)
          : await api.approveRequest(r.id, {
              reason: text || null,
              merge_into: mergeInto?.id ?? null,
            }),
      );
    } catch (err) {
      const fe = fieldErrorsOf(err);
      if (fe.reason) setReasonError(fe.reason);
      else setError(Object.values(fe)[0] ?? errorText(err));
      setBusy(false);
    }
  };
  return (
    <div class="req-decide" data-testid="request-decide">
      {r.kind === 'new_hcp' && (
        <RequestMatches matches={r.matches} busy={busy} onMerge={(m) => decide('approve', m)} />
      )}
      <ReasonBox
        id={`req-reason-${r.id}`}
        label="Reason (required to reject; kept with the decision)"
        value={reason}
        error={reasonError}
        onInput={(v) => {
          setReason(v);
          setReasonError(null);
        }}
        placeholder="e.g. Confirmed with the practice"
        testid="request-reason"
      />
      {error && (
        <p class="field-error" role="alert" data-testid="request-error">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button
          type="button"
          class="btn btn-small"
          disabled={busy}
          onClick={() => decide('reject')}
          data-testid="request-reject"
        >
          Reject
        </button>
        <button
          type="button"
          class="btn btn-primary btn-small"
          disabled={busy}
          onClick={() => decide('approve')}
          data-testid="request-approve"
        >
          {r.kind === 'new_hcp' ? 'Approve as a new HCP' : 'Approve the change'}
        </button>
      </div>
    </div>
  );
}
