import { useEffect, useState } from 'preact/hooks';
import type { SampleException } from '../../api/types';
import { useApp } from '../../context';
import { useLoad } from '../../hooks';
import { hcpHref } from '../../lib/router';
import {
  findingLabel,
  reviewsSampleCompliance,
  oversightHref,
  plural,
  recordHref,
  recordTypeLabel,
  when,
} from '../../lib/oversight';
import { Empty, ErrorBox, Loading } from '../../components/bits';
import { errorText, FieldError, fieldErrorsOf, SeverityBadge } from './common';

type Status = 'open' | 'closed';

/** The exceptions queue: records the server found breaking a rule; compliance reviews and closes them. */
export function ExceptionsSection({ query }: { query: string }) {
  const { api, me } = useApp();
  const [status, setStatus] = useState<Status>(() =>
    new URLSearchParams(query).get('status') === 'closed' ? 'closed' : 'open',
  );
  const [gen, setGen] = useState(0);
  const [closed, setClosed] = useState<SampleException | null>(null);
  const [gone, setGone] = useState<Set<string>>(new Set());

  useEffect(() => {
    const hash = oversightHref('exceptions', { status: status === 'closed' ? 'closed' : null });
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }, [status]);

  const res = useLoad(
    () => api.sampleExceptions(status).then((list) => ({ status, list })),
    [status, gen],
  );
  const list = res.state === 'ok' ? res.data.list.filter((x) => !gone.has(x.id)) : [];
  const mayClose = reviewsSampleCompliance(me);

  const pick = (s: Status) => {
    setStatus(s);
    setGone(new Set());
    if (s === 'closed') setClosed(null);
  };

  return (
    <section
      data-testid="exceptions"
      data-loaded-status={res.state === 'ok' ? res.data.status : undefined}
    >
      <p class="muted small">
        Signed records the server found breaking a sample rule when they arrived (the record is
        kept, never dropped).
        {mayClose
          ? ' Review each one and close it with what you found and did.'
          : ' Compliance reviews and closes them.'}
      </p>
      <div class="seg" role="group" aria-label="Status">
        {(['open', 'closed'] as Status[]).map((s) => (
          <button
            key={s}
            type="button"
            class={status === s ? 'btn btn-small seg-on' : 'btn btn-small'}
            aria-pressed={status === s}
            onClick={() => pick(s)}
            data-testid={`exc-filter-${s}`}
          >
            {s === 'open' ? 'Open' : 'Closed'}
          </button>
        ))}
        {res.state === 'ok' && (
          <span class="muted small" data-testid="exc-count">
            {plural(list.length, status === 'open' ? 'open exception' : 'closed exception')}
          </span>
        )}
      </div>
      {closed && (
        <p class="notice ok-notice" role="status" data-testid="exc-closed-notice">
          Closed the exception of {closed.rep_name}
          {closed.hcp_name ? ` with ${closed.hcp_name}` : ''}.{' '}
          <button type="button" class="btn-link" onClick={() => pick('closed')}>
            See closed exceptions
          </button>
        </p>
      )}
      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} onRetry={() => setGen((g) => g + 1)} />}
      {res.state === 'ok' &&
        (list.length === 0 ? (
          <Empty>{status === 'open' ? 'No open exceptions.' : 'No closed exceptions.'}</Empty>
        ) : (
          <ul class="cards" data-testid="exception-list">
            {list.map((x) => (
              <ExceptionCard
                key={x.id}
                x={x}
                mayClose={mayClose}
                onClosed={(done) => {
                  setClosed(done);
                  setGone((g) => new Set(g).add(done.id));
                }}
              />
            ))}
          </ul>
        ))}
    </section>
  );
}

function ExceptionCard({
  x,
  mayClose,
  onClosed,
}: {
  x: SampleException;
  mayClose: boolean;
  onClosed: (x: SampleException) => void;
}) {
  return (
    <li
      class={`card section exc exc-${x.status}`}
      data-testid="exception"
      data-id={x.id}
      data-status={x.status}
      data-record={x.record_id}
    >
      <div class="exc-head">
        <div>
          <span class="badge type">{recordTypeLabel(x.record_type)}</span>{' '}
          <strong data-testid="exception-rep">{x.rep_name}</strong>
          {x.hcp_id && (
            <>
              {' → '}
              <a href={hcpHref(x.hcp_id)} data-testid="exception-hcp">
                {x.hcp_name ?? 'HCP'}
              </a>
            </>
          )}
        </div>
        <span class="exc-when" data-testid="exception-when">
          {x.occurred_at ? (
            <strong
              title="When the samples were given or requested (the record's own time)"
              data-testid="exception-given"
              data-value={x.occurred_at}
            >
              given {when(x.occurred_at)}
            </strong>
          ) : (
            <span class="muted" data-testid="exception-given">
              time given not recorded
            </span>
          )}{' '}
          <span
            class="muted small"
            title="When the record reached the server and its rules were checked"
            data-testid="exception-raised"
            data-value={x.raised_at}
          >
            raised {when(x.raised_at)}
          </span>
        </span>
      </div>
      {x.fda_notice_due && (
        <p
          class={`exc-fda${x.overdue ? ' overdue' : ''}`}
          data-testid="exception-fda"
          data-due={x.fda_notice_due}
          data-overdue={x.overdue ? 'true' : 'false'}
        >
          <strong>Suspected falsification of a sample record:</strong> notify FDA by{' '}
          <strong>{x.fda_notice_due}</strong>{' '}
          <span class="muted">(5 working days after discovery, 21 CFR 203.37(a))</span>
          {x.overdue && (
            <>
              {' '}
              <span class="badge overdue" data-testid="exception-overdue">
                overdue
              </span>
            </>
          )}
        </p>
      )}
      <ul class="ov-findings" data-testid="exception-findings">
        {x.findings.map((f, i) => (
          <li key={`${f.code}-${i}`} data-code={f.code} data-testid="finding">
            <SeverityBadge severity={f.severity} /> <strong>{findingLabel(f.code)}</strong>{' '}
            <code class="muted">{f.code}</code>
            <div>{f.message}</div>
          </li>
        ))}
      </ul>
      <a
        href={recordHref({ hcp_id: x.hcp_id, rep_id: x.rep_id, record_id: x.record_id })}
        data-testid="exception-record"
      >
        Open the signed record ›
      </a>
      {x.status === 'closed' && (
        <p class="exc-closed" data-testid="exception-closed">
          Closed by <strong>{x.closed_by}</strong> on {when(x.closed_at)}:{' '}
          <span data-testid="exception-comment-text">{x.comment}</span>
        </p>
      )}
      {x.status === 'open' && mayClose && <CloseForm x={x} onClosed={onClosed} />}
    </li>
  );
}

function CloseForm({
  x,
  onClosed,
}: {
  x: SampleException;
  onClosed: (x: SampleException) => void;
}) {
  const { api } = useApp();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inputId = `exc-comment-${x.id}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (!comment.trim()) {
      setFieldError('Say what the review found and what was done.');
      return;
    }
    setBusy(true);
    try {
      onClosed(await api.closeException(x.id, comment.trim()));
    } catch (err) {
      const fe = fieldErrorsOf(err);
      if (fe.comment) setFieldError(fe.comment);
      else setError(fe.status ?? errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="exc-close" onSubmit={submit} noValidate data-testid="exception-close-form">
      <label for={inputId}>Review comment (required to close)</label>
      <textarea
        id={inputId}
        rows={2}
        value={comment}
        placeholder="What the review found and what was done"
        aria-invalid={fieldError ? true : undefined}
        aria-describedby={fieldError ? `${inputId}-error` : undefined}
        onInput={(e) => {
          setComment(e.currentTarget.value);
          setFieldError(null);
        }}
        data-testid="exception-comment"
      />
      <FieldError id={`${inputId}-error`} message={fieldError} testid="exception-comment-error" />
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button
          type="submit"
          class="btn btn-primary btn-small"
          disabled={busy}
          data-testid="exception-close"
        >
          {busy ? 'Closing…' : 'Close exception'}
        </button>
      </div>
    </form>
  );
}
